"""Streamlit AppTest of every dashboard page on the seed store (no browser).

Each test runs ``dashboard.py`` (the real navigation) and switches to the page under test, with
filters set through URL query params, and checks there is no exception and that the key
numbers are right for the two seed articles.
"""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard.py")


@pytest.fixture
def seed_env(seed_store, monkeypatch):
    """Point the dashboard's default store at the session's seed store."""
    monkeypatch.setenv("PRESSLENS_STORE", str(seed_store.path))
    return seed_store


def run_page(page: str | None = None, **query) -> AppTest:
    """Run the app (the page at ``pages/<page>.py``) with URL query params ``query``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    # pages/_shared.run_page turns a page's error into a short message: that is a failure too.
    assert not failures(at), failures(at)
    return at


def failures(at: AppTest) -> list[str]:
    """The friendly error messages on the page (each stands for a logged exception)."""
    from pages._shared import FAILED

    return [e.value for e in [*at.error, *at.sidebar.error] if FAILED in e.value]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(array) -> list:
    """A plotly data array: a list, or plotly 6's base64 typed-array dict."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def html_bodies(at: AppTest) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


def map_counts(at: AppTest) -> dict[str, float]:
    trace = next(f["data"][0] for f in figures(at) if f["data"][0]["type"] == "choropleth")
    return dict(zip(trace["locations"], values(trace["z"]), strict=True))


def test_overview_default_sample(seed_env):
    at = run_page()
    counts = seed_env.counts()
    assert metrics(at) == {
        "Articles": "2",
        "Sources": "2",
        "Mentions": f"{counts['mentions']:,}",
        "Countries": str(
            seed_env.query(
                "SELECT count(DISTINCT country_code) AS n FROM mentions"
                " WHERE country_code IS NOT NULL"
            )["n"].iloc[0]
        ),
    }
    by_country = map_counts(at)
    top_two = sorted(by_country, key=by_country.get, reverse=True)[:2]
    assert top_two == ["RUS", "PRK"]
    stored = seed_env.query("SELECT count(*) AS n FROM mentions WHERE country_code = 'RUS'")[
        "n"
    ].iloc[0]
    assert by_country["RUS"] == stored
    assert "Published from 2022-08-15 to 2022-08-16." in [c.value for c in at.caption]
    # The map reads its shapes from our static folder, never a CDN.
    chart = at.get("plotly_chart")[0]
    assert json.loads(chart.proto.config)["topojsonURL"] == "/app/static/"


def test_overview_filters_from_query_params(seed_env):
    at = run_page(source="BBC")
    assert metrics(at)["Articles"] == "1"
    assert at.multiselect(key="f_source").value == ["BBC"]
    at = run_page(**{"from": "2022-08-16"})
    assert metrics(at)["Articles"] == "1"
    assert str(at.date_input(key="f_from").value) == "2022-08-16"
    at = run_page(**{"from": "2000-01-01", "to": "2030-12-31"})  # dates outside the corpus
    assert metrics(at)["Articles"] == "2"
    at = run_page(country="PRK")
    assert list(map_counts(at)) == ["PRK"]
    at = run_page(q="no such words anywhere")
    assert metrics(at)["Articles"] == "0"
    at = run_page(q='OR ( "')  # no word to find: said, and nothing filtered
    assert metrics(at)["Articles"] == "2"
    assert any("holds no word to find" in w.value for w in at.warning)


def test_widget_change_writes_query_params(seed_env):
    at = run_page()
    at.multiselect(key="f_source").set_value(["BBC"]).run()
    assert at.query_params["source"] == "BBC"
    assert metrics(at)["Articles"] == "1"
    at.text_input(key="f_q").set_value("Kramatorsk").run()
    assert at.query_params["q"] == "Kramatorsk"


def test_sidebar_link_is_markdown_not_code(seed_env):
    """No st.code on any page: its highlighter bundle costs the browser ~1.2 s on first load."""
    for page in ("overview", "mentions", "network", "sources", "dates", "data"):
        at = run_page(page)
        assert not at.code, page
        assert any("Copy link to this view" in m.value for m in at.sidebar.markdown), page


def test_bad_date_param_is_ignored_with_a_warning(seed_env):
    at = run_page(**{"from": "15/08/2022"})
    assert metrics(at)["Articles"] == "2"
    assert any("YYYY-MM-DD" in w.value for w in at.warning)


def test_mentions_page(seed_env):
    at = run_page("mentions")
    bars = figures(at)[0]["data"][0]
    entities = list(bars["y"])
    counts = dict(zip(entities, values(bars["x"]), strict=True))
    assert max(counts, key=counts.get) == "Russia"
    n_russia = seed_env.query("SELECT count(*) AS n FROM mentions WHERE entity = 'Russia'")[
        "n"
    ].iloc[0]
    assert counts["Russia"] == n_russia
    # The context list shows every sentence the Russia bar counts, the mention marked.
    assert f"**{n_russia}** sentence(s) shown for **Russia**" in [m.value for m in at.markdown]
    assert html_bodies(at).count("<mark>") == n_russia


def test_mentions_drill_down_by_source_from_url(seed_env):
    at = run_page("mentions", focus="North Korea", focus_source="BBC", split="yes")
    n = seed_env.query(
        "SELECT count(*) AS n FROM mentions JOIN articles USING (article_id)"
        " WHERE entity = 'North Korea' AND source = 'BBC'"
    )["n"].iloc[0]
    assert any(m.value.startswith(f"**{n}** sentence(s)") for m in at.markdown)
    assert {t["name"] for t in figures(at)[0]["data"]} == {"BBC", "unknown"}


def test_network_page(seed_env):
    at = run_page("network", min_support="2", node="North Korea")
    nodes = next(t for t in figures(at)[0]["data"] if t.get("mode") == "markers+text")
    assert "North Korea" in nodes["text"] and "Russia" in nodes["text"]
    assert at.selectbox(key="p_node").value == "North Korea"
    assert any("passage(s) with **North Korea**" in m.value for m in at.markdown)


def test_network_high_minimum_shows_a_hint(seed_env):
    at = run_page("network", min_support="50")
    assert any("Lower the minimum" in i.value for i in at.info)


def test_sources_page(seed_env):
    at = run_page("sources")
    m = metrics(at)
    assert int(m["Sentences aligned"]) > 10  # the rewrite keeps most sentences
    assert m["Text reuse"].endswith("%")
    figs = figures(at)
    heatmap = next(f["data"][0] for f in figs if f["data"][0]["type"] == "heatmap")
    assert sorted(heatmap["y"]) == ["BBC", "unknown"]
    # Shares of voice of one entity add up to 1 across the sources.
    russia = heatmap["x"].index("Russia")
    z = np.array(values(heatmap["z"]), dtype=float).reshape(len(heatmap["y"]), -1)
    assert z[:, russia].sum() == pytest.approx(1.0)
    titles = {f["layout"].get("title", {}).get("text") for f in figs}
    assert {"BBC", "unknown"} <= titles  # one distinctive-entities chart per source
    assert "<del" in html_bodies(at) and "<ins" in html_bodies(at)


def test_dates_page(seed_env):
    at = run_page("dates", freq="year")
    cells = figures(at)[0]
    years = {str(y)[:4] for t in cells["data"] if t.get("mode") == "markers" for y in t["y"]}
    assert {"1991", "2022"} <= years
    at = run_page("dates", freq="year", pub="2022-01-01", ref="1991-01-01", res="year")
    assert ">1991</mark>" in html_bodies(at)


def test_data_page_tables(seed_env):
    at = run_page("data", table="countries")
    assert at.radio(key="p_table").value == "countries"
    frames = [df.value for df in at.dataframe]
    assert any(len(f) == seed_env.counts()["countries"] for f in frames)


def test_article_text_is_shown_escaped(store, monkeypatch, tmp_path):
    from core.ingest import ingest_paths

    evil = "<script>window.__pwned=1</script> **bold** <b>Russia</b> [x](javascript:alert(1))"
    src = tmp_path / "in"
    src.mkdir()
    (src / "evil.txt").write_text(f"Title: Evil\nSource: Evil Daily\n\n{evil}\n", "utf-8")
    assert ingest_paths([src], store=store, progress=False).added == 1
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    at = run_page("data")
    assert evil in [t.value for t in at.text]  # st.text: shown literally
    at = run_page("mentions")
    body = html_bodies(at)
    assert "<script>" not in body and "&lt;script&gt;" in body


# -- helpers of pages/_shared.py and pages/ui/format.py -----------------------------------------


def test_parse_store_argument():
    from pages._shared import parse_store_argument

    assert parse_store_argument(["--store", "x/y"]).as_posix() == "x/y"
    assert parse_store_argument(["--other", "1"]) is None
    assert parse_store_argument([]) is None


def test_highlight_escapes_and_marks():
    from pages.ui.format import highlight

    assert highlight("a <b> c", [(2, 5)]) == "a <mark>&lt;b&gt;</mark> c"
    assert highlight("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
    # Overlapping or out-of-range spans never break the text.
    assert highlight("abcdef", [(0, 3), (2, 4), (5, 99)]) == "<mark>abc</mark>def"


def test_highlight_marks_the_searched_terms_apart_from_the_entity():
    from pages.ui.format import TERM_MARK, highlight, term_spans

    text = "Iranian Prime\nMinister <Ali> met the prime minister."
    # As the search box matches: any case, inside a word, a phrase over any whitespace run.
    assert term_spans(text, ["iran", "prime minister"]) == [(0, 4), (8, 22), (37, 51)]
    got = highlight(text, [(24, 27)], ["iran", "prime minister", "ali"])
    assert got == (
        f"{TERM_MARK}Iran</mark>ian {TERM_MARK}Prime\nMinister</mark> &lt;<mark>Ali</mark>&gt;"
        f" met the {TERM_MARK}prime minister</mark>."
    )  # "ali" lies in the entity's span: the entity's mark wins
    assert highlight("a.b", [], ["."]) == f"a{TERM_MARK}.</mark>b"  # escaped as a pattern


def test_table_bytes_round_trip():
    from core.schema import DATE
    from pages.ui.format import table_bytes

    df = pd.DataFrame({"entity": ["Russia", "Côte d'Ivoire"], "n": [3, 1]}).astype(
        {"entity": "string", "n": "Int64"}
    )
    df["published"] = pd.Series(["2022-08-15", None]).astype("datetime64[ns]").dt.date
    df["published"] = df["published"].astype(DATE)
    assert pd.read_csv(io.BytesIO(table_bytes(df, "csv")))["published"].tolist()[0] == "2022-08-15"
    assert json.loads(table_bytes(df, "json"))[1] == {
        "entity": "Côte d'Ivoire",
        "n": 1,
        "published": None,
    }
    back = pd.read_parquet(io.BytesIO(table_bytes(df, "parquet")))
    assert back["entity"].tolist() == ["Russia", "Côte d'Ivoire"]
    with pytest.raises(ValueError, match="valid: csv, json, parquet"):
        table_bytes(df, "xlsx")


def test_diff_and_markdown_helpers_escape():
    from pages.ui.format import diff_html, md

    a, b = diff_html(
        [{"op": "equal", "a": "<b>x", "b": "<b>x"}, {"op": "replace", "a": "1", "b": "2"}]
    )
    assert a == "&lt;b&gt;x <del style='background:#fdd'>1</del>"
    assert b == "&lt;b&gt;x <ins style='background:#dfd;text-decoration:none'>2</ins>"
    assert md("**Kim** [x](y)") == r"\*\*Kim\*\* \[x\]\(y\)"


# -- hostile and unusual URLs, values that must round-trip -----------------------------------

PAYLOADS = (
    "**bold** _it_ [link](https://evil.example/x) ![img](https://evil.example/i.png)",
    "<b>html</b><script>window.__pwned=1</script><img src=x onerror=alert(1)>",
    "`code` https://evil.example www.evil.example :red[red] # heading\n- item",
)


def _raw_markup(body: str) -> list[str]:
    """Markdown / HTML openers not escaped by a backslash: a tag, a link, an image, a URL."""
    return re.findall(r"(?<!\\)(?:<[a-z/]|\]\(|https?:|www\.)", body)


def _shown_texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.warning, *at.error, *at.info, *at.title]
    parts += [*at.sidebar.markdown, *at.sidebar.caption, *at.sidebar.warning]
    return "\n".join(str(e.value) for e in parts)


@pytest.mark.parametrize("page", ["overview", "mentions", "network", "sources", "dates", "data"])
def test_hostile_params_fall_back_with_a_notice(seed_env, page):
    """Bad dates, unknown options, huge numbers, SQL and markup: defaults, a notice, no error."""
    query = {
        "from": "2022-02-30",
        "to": "'; DROP TABLE articles; --",
        "kind": "<b>person</b>",
        "country": "Russia",
        "metric": "n_mentions; DROP TABLE mentions",
        "top": "9" * 5000,
        "min_support": "-1e309",
        "pairs": "99999999999999999999",
        "window": PAYLOADS[0],
        "weight": PAYLOADS[1],
        "freq": PAYLOADS[2],
        "voice": "x",
        "unit": "<i>",
        "table": "articles; --",
        "article": PAYLOADS[0],
        "node": PAYLOADS[1],
    }
    at = run_page(page, **query)
    shown = _shown_texts(at)
    assert at.warning, "no notice"
    # Every payload is shown escaped (as text): no raw link, image or HTML reached the page.
    for el in [*at.warning, *at.markdown, *at.caption]:
        body = str(el.value)
        if body.startswith("**Copy link"):  # the one link: the URL itself, percent-encoded
            continue
        assert not _raw_markup(body), body[:300]
    assert "2022\\-02\\-30" in shown  # named in the notice, escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_filter_values_is_shown_as_text(seed_env, payload):
    at = run_page("mentions", source=payload, entity=payload, q=payload, focus=payload)
    for el in [*at.warning, *at.markdown, *at.caption, *at.info]:
        body = str(el.value)
        if not body.startswith("**Copy link"):
            assert not _raw_markup(body), body[:300]
    assert payload in at.multiselect(key="f_source").value


def test_values_with_commas_round_trip_through_the_url(seed_env):
    odd = ["Dawn, Karachi", 'The "Times" & Co', "Новая газета", "a,b,c"]
    at = run_page()
    at.multiselect(key="f_source").set_value(odd[:1]).run()
    assert at.query_params["source"] == ["Dawn, Karachi", ""]  # not read as two values
    assert at.multiselect(key="f_source").value == ["Dawn, Karachi"]
    at.multiselect(key="f_source").set_value(odd).run()
    assert at.query_params["source"] == odd
    # The link the sidebar shows opens the same values in a fresh session.
    link = next(m.value for m in at.sidebar.markdown if "Copy link" in m.value)
    url = link.split("](", 1)[1].rstrip(")")
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.query_params["source"] = query["source"]
    fresh.run()
    assert fresh.multiselect(key="f_source").value == odd
    # Old comma-joined links keep working.
    old = run_page(source="BBC,unknown")
    assert old.multiselect(key="f_source").value == ["BBC", "unknown"]
    assert metrics(old)["Articles"] == "2"


def test_a_page_error_is_a_short_message_and_logged(seed_env, monkeypatch, caplog):
    import core.analytics.frequencies as freq

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(freq, "count_countries", boom)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "unique-" + str(id(at))  # miss the data cache
    at.run()
    assert not at.exception
    assert failures(at)
    assert "secret detail" not in _shown_texts(at)
    assert "secret detail" in caplog.text


def test_place_labels_never_overlap():
    from pages.ui.format import place_labels

    xy = [(0, 0), (5, 2), (100, 0), (0, 30), (101, 1)]
    keep = place_labels(xy, [40, 40, 40, 40, 40], height=14, limit=10)
    assert keep == [True, False, True, True, False]
    assert place_labels(xy, [1] * 5, height=1, limit=2) == [True, True, False, False, False]


def test_hover_template_and_plot_text():
    from pages.ui.format import hover_template, plot_text

    assert hover_template("%{y}", [("mentions", "%{x:,.0f}")]) == (
        "<b>%{y}</b><br>mentions: %{x:,.0f}<extra></extra>"
    )
    assert plot_text("<a href='x'>y</a>\nz") == "&lt;a href='x'&gt;y&lt;/a&gt; z"
    assert plot_text("abcdef", limit=4) == "abc…"


def test_sources_click_shows_the_sentences_behind_a_cell_or_bar(seed_env):
    at = run_page("sources", pick="Russia", pick_source="BBC", pick_unit="entity")
    n = seed_env.query(
        "SELECT count(*) AS n FROM mentions JOIN articles USING (article_id)"
        " WHERE entity = 'Russia' AND source = 'BBC'"
    )["n"].iloc[0]
    body = html_bodies(at)
    assert body.count("<mark>") == min(n, 50)
    voice = next(f["data"] for f in figures(at) if f["data"][0]["type"] == "heatmap")
    # The heatmap's cells take clicks and hovers through one invisible marker each.
    assert voice[0]["hoverinfo"] == "skip"
    assert "mentions: %{customdata[4]:,}" in voice[1]["hovertemplate"]
    assert len(voice[1]["x"]) == len(voice[0]["x"]) * len(voice[0]["y"])
    at = run_page("sources", unit="term", pick="russia", pick_source="BBC", pick_unit="term")
    assert ">Russia</mark>" in html_bodies(at) or ">russia</mark>" in html_bodies(at)


def test_network_tooltips_are_labelled_and_rounded(seed_env):
    at = run_page("network", min_support="1")
    nodes = next(t for t in figures(at)[0]["data"] if t.get("mode") == "markers+text")
    assert "connections: %{customdata[3]}" in nodes["hovertemplate"]
    assert "%{customdata[4]:.3f}" in nodes["hovertemplate"]
    labels = [t for t in nodes["text"] if t]
    assert 0 < len(labels) <= 40


def test_find_term_evidence_marks_whole_words(seed_store):
    from core.analytics.term_evidence import find_term_evidence

    rows = find_term_evidence(seed_store, term="Russia", limit=None)
    sentences = seed_store.query(
        "SELECT lower(substr(a.text, s.start_char + 1, s.end_char - s.start_char)) AS t"
        " FROM sentences s JOIN articles a USING (article_id)"
    )["t"]
    # One row per occurrence (as the word counts count them), not per sentence holding it.
    n_words = sum(len(re.findall(r"(?<![a-z])russia(?![a-z])", t)) for t in sentences)
    assert len(rows) == n_words > 0
    marked = [
        t[s:e]
        for t, s, e in zip(
            rows["sentence_text"], rows["start_in_sentence"], rows["end_in_sentence"], strict=True
        )
    ]
    assert {m.lower() for m in marked} == {"russia"}
    page = find_term_evidence(seed_store, term="russia", limit=2, offset=1)
    assert list(page["sentence_text"]) == list(rows["sentence_text"][1:3])
    assert find_term_evidence(seed_store, term="russ", limit=None).empty  # whole words only
    assert find_term_evidence(seed_store, term="   ", limit=None).empty

"""Every control a page draws changes what its open view shows (none is silently ignored), and
the Sources page's side-by-side pickers offer only what the sidebar filter keeps."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import APP, failures, figures, run_page, values


@pytest.fixture
def seed_env(seed_store, monkeypatch):
    monkeypatch.setenv("PRESSLENS_STORE", str(seed_store.path))
    return seed_store


def _radios(at) -> set[str]:
    return {r.key for r in at.radio}


def test_mentions_draws_each_control_on_the_tabs_it_changes(seed_env):
    at = run_page("mentions", freq="week")
    assert "p_split" in _radios(at) and "p_freq" not in _radios(at)  # bars: no periods
    assert at.selectbox(key="p_metric")
    at = run_page("mentions", view="time", split="yes", freq="week")
    assert "p_split" not in _radios(at)  # a series is never split by source
    assert at.radio(key="p_freq").value == "week"
    at = run_page("mentions", view="compare", compare="Russia")
    assert "p_split" not in _radios(at) and "p_freq" in _radios(at)
    assert "p_metric" not in {s.key for s in at.selectbox}  # the searches' own measure: qmetric
    assert "p_qmetric" in _radios(at)


def test_a_hidden_control_keeps_its_value_in_the_link(seed_env):
    at = run_page("mentions", view="time", split="yes")
    assert at.query_params["split"] == "yes"
    at = run_page("mentions", split="yes")  # back on the bars: still split
    assert at.radio(key="p_split").value == "yes"


def test_periods_are_said_in_words_beside_their_sentences(seed_env):
    import datetime as dt

    from pages.ui.charts import period_words

    day = dt.date(2018, 12, 3)
    assert period_words(day, "month") == "December 2018"
    assert period_words(day, "week") == "week of 03 Dec 2018"
    assert period_words(day, "year") == "2018"
    assert period_words(day, "day") == "03 Dec 2018"
    assert period_words(None, "month") == ""
    at = run_page("mentions", view="time", freq="month", focus="Russia", period="2022-08-01")
    assert any("(month of August 2022)" in m.value for m in at.markdown)
    at = run_page("dates", freq="year", pub="2022-01-01", ref="1991-01-01", res="year")
    said = [m.value for m in at.markdown if "expression(s)" in m.value]
    assert said and said[0].startswith("Written in **2022**, referring to **1991**")


def test_overview_says_why_an_entity_filter_leaves_no_country(seed_env):
    entity = "Nobody Mentioned"  # an entity filter: only its mentions count, none a country's
    at = run_page(None, entity=entity)
    said = " ".join(c.value for c in at.caption)
    assert "the filter keeps only mentions of" in said and entity in said
    at = run_page(None)
    assert "keeps only mentions" not in " ".join(c.value for c in at.caption)


def test_articles_second_page_and_its_read_links(store, monkeypatch, tmp_path):
    """The list's own param ``page`` goes into every 'read' link (it broke the page before)."""
    from core.ingest import ingest_paths

    src = tmp_path / "in"
    src.mkdir()
    for i in range(55):  # two pages of 50
        words = " ".join(["word"] * (i + 1))
        (src / f"{i:02}.txt").write_text(f"Title: Story {i}\nSource: S\n\nParis {words}.\n")
    assert ingest_paths([src], store=store, progress=False).added == 55
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"page": "2", "sort": "n_words", "order": "asc"}.items():
        at.query_params[key] = value  # run_page() cannot take a param named "page"
    at.run()
    at.switch_page("pages/articles.py").run()
    assert not at.exception and not failures(at)
    assert any(m.value.startswith("**55** article(s), **51–55** shown") for m in at.markdown)
    body = "\n".join(el.proto.body for el in at.get("html"))
    assert body.count("page=2") == 5 and "article=" in body  # a read link per row
    assert "<th style='text-align:left;padding:4px 8px'>Words</th>" in body
    lengths = sorted(store.query("SELECT n_words FROM articles")["n_words"])[50:]
    # Each row's right-aligned numbers: its mentions, then its words.
    cells = re.findall(r"text-align:right'>(\d+)</td>", body)
    assert [int(c) for c in cells[1::2]] == lengths  # the sorted-by lengths are shown


def test_data_tables_say_which_filters_they_follow(seed_env):
    at = run_page("data", entity="Russia")
    assert any(
        "entity, kind and country-mention filters are not applied" in w.value for w in at.warning
    )
    at = run_page("data", source="BBC")
    assert not any("not applied" in w.value for w in at.warning)


def test_a_page_keeps_its_own_choices_across_a_sidebar_page_switch(seed_env):
    at = run_page("sources", voice="share", unit="term", source="BBC")
    assert at.radio(key="p_voice").value == "share"
    # A sidebar switch: Streamlit drops the whole query string.
    at.query_params.clear()
    at.switch_page("pages/mentions.py").run()
    assert at.query_params.get("source") == "BBC"  # the filter came back
    assert "voice" not in at.query_params  # another page's choice stays with its page
    at.query_params.clear()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert at.radio(key="p_voice").value == "share" and at.radio(key="p_unit").value == "term"
    assert at.query_params.get("voice") == "share"  # in the link again: a copy reproduces it
    # A link naming the page's own choices wins over the remembered ones.
    at.query_params.clear()
    at.switch_page("pages/mentions.py").run()
    at.query_params.clear()
    at.query_params["unit"] = "entity"
    at.switch_page("pages/sources.py").run()
    assert at.radio(key="p_unit").value == "entity" and at.radio(key="p_voice").value != "share"


# (file, source, date, title, text): two outlets, three dates.
ARTICLES = [
    ("a.txt", "Daily Alpha", "2024-01-05", "Alpha reports Paris talks", "Talks in Paris began."),
    ("b.txt", "Daily Alpha", "2024-03-09", "Alpha on Berlin trade", "Trade in Berlin slowed."),
    ("c.txt", "Beta Times", "2024-01-06", "Beta reports Paris talks", "Paris talks began today."),
    ("d.txt", "Beta Times", "2024-06-01", "Beta on Rome", "Rome hosted a summit."),
]


@pytest.fixture
def four_env(store, monkeypatch, tmp_path):
    from core.ingest import ingest_paths

    src = tmp_path / "in"
    src.mkdir()
    for name, source, date, title, text in ARTICLES:
        header = f"Title: {title}\nSource: {source}\nDate: {date}\n\n"
        (src / name).write_text(header + text + "\n", "utf-8")
    assert ingest_paths([src], store=store, progress=False).added == len(ARTICLES)
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    return store


def _offered(at, param: str) -> list[str]:
    return list(at.selectbox(key=f"p_{param}").options)


def test_side_by_side_offers_every_article_without_a_filter(four_env):
    at = run_page("sources")
    assert len(_offered(at, "a")) == len(ARTICLES) == len(_offered(at, "b"))


def test_side_by_side_offers_only_articles_the_filter_keeps(four_env):
    at = run_page("sources", source="Beta Times")
    for param in ("a", "b"):
        offered = _offered(at, param)
        assert len(offered) == 2 and all(o.startswith("Beta Times · ") for o in offered)
    # Dates and searches narrow the pickers too.
    at = run_page("sources", **{"from": "2024-01-01", "to": "2024-01-31"})
    assert sorted(o.split(" · ")[2] for o in _offered(at, "a")) == [
        "Alpha reports Paris talks",
        "Beta reports Paris talks",
    ]
    at = run_page("sources", q="Berlin OR Rome")
    assert sorted(o.split(" · ")[2] for o in _offered(at, "b")) == [
        "Alpha on Berlin trade",
        "Beta on Rome",
    ]


def test_side_by_side_says_when_the_filter_keeps_fewer_than_two(four_env):
    at = run_page("sources", q="Rome")
    assert not at.selectbox  # no picker offers articles outside the filter
    assert any("keeps 1 article" in c.value for c in at.caption)


def test_side_by_side_url_article_outside_the_filter_is_not_shown(four_env):
    from core.analytics.tables import read_article_index

    index = read_article_index(four_env)
    alpha = index.loc[index["source"] == "Daily Alpha", "article_id"].iloc[0]
    at = run_page("sources", source="Beta Times", a=alpha)
    assert at.selectbox(key="p_a").value != alpha
    assert any("not kept by the sidebar filter" in w.value for w in at.warning)
    assert at.selectbox(key="p_a").value in set(
        index["article_id"][index["source"] == "Beta Times"]
    )
    # A copied URL with the picks reproduces them.
    beta = list(index.loc[index["source"] == "Beta Times", "article_id"])
    at = run_page("sources", source="Beta Times", a=beta[1], b=beta[0])
    assert (at.selectbox(key="p_a").value, at.selectbox(key="p_b").value) == (beta[1], beta[0])


@pytest.mark.parametrize("unit", ["term", "entity"])
def test_a_picked_cell_or_bar_says_how_many_rows_it_lists(seed_env, unit):
    from core.analytics.evidence import find_evidence
    from core.analytics.term_evidence import find_term_evidence

    pick = "russia" if unit == "term" else "Russia"
    at = run_page("sources", pick=pick, pick_source="BBC", pick_unit=unit, unit=unit)
    if unit == "term":
        rows = find_term_evidence(seed_env, term=pick, source="BBC", limit=None)
    else:
        rows = find_evidence(seed_env, entity=pick, source="BBC", limit=None)
    said = next(m.value for m in at.markdown if "in **BBC**" in m.value or "of **BBC**" in m.value)
    noun = "use(s) of the word" if unit == "term" else "mention(s)"
    assert said.startswith(f"**{len(rows):,}** {noun}") and len(rows) > 0


def test_labels_are_cut_at_a_word_with_an_ellipsis():
    from pages.ui.format import shorten

    assert shorten("Trump declares emergency on border", 20) == "Trump declares…"
    assert shorten("short title", 20) == "short title"
    assert shorten("Supercalifragilistic", 10) == "Supercali…"
    assert len(shorten("a " * 50, 11)) <= 11


def test_share_of_voice_cells_never_say_0_percent_for_a_mention():
    import pandas as pd

    from pages.ui.sources.voice import voice_figure

    voice = pd.DataFrame(
        {
            "source": ["A", "B", "A"],
            "entity": ["X", "X", "Y"],
            "n_mentions": [999, 1, 5],
            "share_of_voice": [0.999, 0.001, 1.0],
        }
    )
    fig = voice_figure(voice, "share_of_voice", label="share")
    text = dict(zip(fig.data[0].y, fig.data[0].text, strict=True))
    assert list(text["A"]) == ["100%", "100%"] and list(text["B"]) == ["<1%", ""]
    clicked = [c[:2] for c in fig.data[1].customdata]  # a click reads the raw names
    assert clicked == [["A", "X"], ["A", "Y"], ["B", "X"], ["B", "Y"]]


def test_dates_evidence_says_its_order(seed_env, store, monkeypatch, tmp_path):
    at = run_page("dates")
    assert any("expressions of the most recently published articles" in c.value for c in at.caption)
    from core.ingest import ingest_paths

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Title: Undated\nSource: S\n\nThe vote was held in March 2019.\n")
    assert ingest_paths([src], store=store, progress=False).added == 1
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    at = run_page("dates")
    said = " ".join(c.value for c in at.caption)
    assert "expressions of the first articles" in said and "recent" not in said


def test_side_by_side_says_when_nothing_aligns(four_env):
    at = run_page("sources", q="Berlin OR Rome")  # two unrelated articles
    assert any("No sentence of A matches one of B" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Sentences aligned"] == "0"


def test_a_share_of_no_articles_is_a_gap_not_zero(four_env):
    import json

    def series(**query):
        at = run_page("mentions", view="time", freq="month", **query)
        (fig,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        return at, {
            t["name"]: dict(zip(values(t["x"]), values(t["y"]), strict=True)) for t in fig["data"]
        }

    at, shares = series(metric="share_articles")
    paris = shares["Paris"]
    gap = paris["2024-02-01"]
    assert (gap is None or gap != gap) and paris["2024-01-01"] == 1.0  # Feb: no articles, NaN
    assert paris["2024-03-01"] == 0.0  # an article that month, not about Paris: a real 0
    assert any("a period without articles is a gap" in c.value for c in at.caption)
    at, counts = series(metric="n_mentions")
    assert counts["Paris"]["2024-02-01"] == 0  # counts: nothing found is 0
    at = run_page("mentions", view="time", freq="year")
    assert at.radio(key="p_freq").value == "year"  # years offered for long spans


def test_default_period_holds_a_few_articles():
    from pages._views import auto_freq

    assert auto_freq("2024-01-01", "2024-01-20") == "day"  # span rule alone
    assert auto_freq("2010-01-01", "2019-12-31") == "month"
    assert auto_freq("2010-01-01", "2019-12-31", 300) == "year"  # 2.5 articles a month
    assert auto_freq("2010-01-01", "2019-12-31", 100_000) == "month"
    assert auto_freq("2024-01-01", "2024-01-20", 40) == "week"  # 2 a day, 14 a week
    assert auto_freq("2024-01-01", "2024-01-01", 1) == "day"  # one day, one article
    assert auto_freq(None, "2024-01-01", 10) == "month"


def test_a_coarse_expression_is_said_at_its_own_resolution(seed_env):
    import datetime as dt

    from pages.ui.charts import referred_words

    jan = dt.date(2004, 1, 1)
    assert referred_words(jan, "month", "year") == "2004"  # not "January 2004"
    assert referred_words(jan, "month", "day") == "January 2004"  # finer: the chart's period
    assert referred_words(dt.date(1980, 1, 1), "year", "decade") == "the 1980s"
    assert referred_words(dt.date(2004, 4, 1), "week", "quarter") == "Q2 2004"
    assert referred_words(jan, "year", "year") == "2004"
    at = run_page("dates", freq="month", ref="1991-01-01", res="year")
    said = [m.value for m in at.markdown if "expression(s)" in m.value]
    assert said and said[0].startswith("Referring to **1991** (said as a year)")


def test_quotes_read_as_words_with_their_changes_marked():
    from pages.ui.sources.compare import quotes_html

    body = quotes_html(
        [
            {"a": "we will win", "b": None, "speaker": None, "status": "only_a", "diff": []},
            {
                "a": "a big <win>",
                "b": "a huge <win>",
                "speaker": "Ann",
                "status": "altered",
                "diff": [
                    {"op": "equal", "a": "a", "b": "a"},
                    {"op": "replace", "a": "big", "b": "huge"},
                    {"op": "equal", "a": "<win>", "b": "<win>"},
                ],
            },
        ]
    )
    assert "None" not in body and "only_a" not in body and "only in A" in body
    assert "(not said)" in body and "changed" in body and "Ann" in body
    assert "<del style='background:#fdd'>big</del>" in body and ">huge</ins>" in body
    assert "&lt;win&gt;" in body and "<win>" not in body  # escaped


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Blair spoke. Blair's aides agreed.", 2),  # a possessive is a use of the word
        ("Blair met Blair.", 2),  # twice in one sentence: listed twice
        ("BLAIR’S aides and Blair-led talks.", 2),  # curly apostrophe, case, a hyphen
    ],
)
def test_a_word_pick_lists_as_many_uses_as_the_chart_counts(store, monkeypatch, tmp_path, text, n):
    # Formerly the page explained why a word's sentences and its count differed
    # ("blair's" was a word of its own); one rule (core.analytics.words) now makes them equal.
    from core.analytics.sources import score_distinctive
    from core.ingest import ingest_paths

    src = tmp_path / "in"
    src.mkdir()
    texts = {"a.txt": ("Alpha", text), "b.txt": ("Beta", "Rain fell on the quiet town.")}
    for name, (source, body) in texts.items():
        (src / name).write_text(f"Title: {source} story\nSource: {source}\n\n{body}\n")
    assert ingest_paths([src], store=store, progress=False).added == 2
    counted = score_distinctive(store, unit="term", top=None)
    row = counted[(counted["source"] == "Alpha") & (counted["term"] == "blair")]
    assert row["count"].tolist() == [n]
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    at = run_page("sources", unit="term", pick="blair", pick_source="Alpha", pick_unit="term")
    said = next(m.value for m in at.markdown if "in **Alpha**" in m.value)
    assert said == f"**{n}** use(s) of the word **blair** in **Alpha**"
    body = "\n".join(el.proto.body for el in at.get("html"))
    assert len(re.findall(r"<mark>blair</mark>", body, flags=re.IGNORECASE)) == n
    assert any(c.value.startswith("One row per use") for c in at.caption)


def test_mentions_evidence_says_a_row_is_a_mention(seed_env):
    at = run_page("mentions", focus="Russia")
    assert any(c.value.startswith("One row per mention") for c in at.caption)
    at = run_page("mentions", focus="Nobody Mentioned")
    assert not any(c.value.startswith("One row per mention") for c in at.caption)


def test_one_source_is_set_against_the_others(seed_env):
    """A filter on one source: its distinctive terms against every other source (before, each
    z was 0 and the chart drew labels without bars)."""
    at = run_page("sources", source="BBC", unit="term")
    assert not at.exception and not failures(at)
    assert any("BBC is set against every other source" in c.value for c in at.caption)
    scored = [
        fig["data"][0]
        for fig in figures(at)
        if fig["layout"].get("xaxis", {}).get("title", {}).get("text", "").startswith("z (")
    ]
    assert len(scored) == 1 and any(abs(float(z)) > 0 for z in values(scored[0]["x"]))

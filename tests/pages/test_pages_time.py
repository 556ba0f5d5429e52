"""AppTest of the time charts, search comparisons and evidence paging (several sources, dates).

The store is hand-written (tests.analytics.query.test_analytics_filters.make_store): three
sources, articles in January and March 2024 (none in February), one undated article; a second
store has no dates at all, as BBC News.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.analytics.query.test_analytics_filters import make_store
from tests.conftest import REPO

APP = str(REPO / "dashboard.py")
RU = ("Russia", "country", "RUS")
UA = ("Ukraine", "country", "UKR")
FR = ("France", "country", "FRA")
PUTIN = ("Vladimir Putin", "person", "RUS")

DOCS = [
    {
        "id": "a1",
        "source": "BBC",
        "published": "2024-01-03",
        "title": "Russia and Ukraine talk",
        "text": "Russia and Ukraine talk. Vladimir Putin spoke on 2 January 2024 in Moscow.",
        "url": "https://bbc.example/a1",
        "mentions": {"Russia": RU, "Ukraine": UA, "Vladimir Putin": PUTIN},
        # Many expressions near the publication dates, two far away (in a3).
        "dates": [("2 January 2024", "DATE", "2024-01-02")] * 150,
    },
    {
        "id": "a2",
        "source": "Dawn, Karachi",
        "published": "2024-01-20",
        "title": "France in the news",
        "text": "France said the security council would meet. Russia objected.",
        "url": "javascript:alert(1)",
        "mentions": {"France": FR, "Russia": RU},
    },
    {
        "id": "a3",
        "source": "Reuters",
        "published": "2024-03-05",
        "title": "Ukraine in March",
        "text": "Ukraine said so in 1825 and again in 2100. Russia too.",
        "mentions": {"Ukraine": UA, "Russia": RU},
        "dates": [("1825", "DATE", "1825"), ("2100", "DATE", "2100")],
    },
    {
        "id": "a4",
        "source": "BBC",
        "published": None,
        "title": "Undated",
        "text": "Russia, undated. " * 3,
        "mentions": {"Russia": RU},
    },
]


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("pages_time") / "store", DOCS)


@pytest.fixture(scope="module")
def undated_store(tmp_path_factory):
    docs = [
        {**d, "published": None, "id": f"u{i}", "dates": [(d["text"][:6], "DATE", "2024-01")]}
        for i, d in enumerate(DOCS[:2])
    ]
    return make_store(tmp_path_factory.mktemp("pages_undated") / "store", docs)


def run(store, monkeypatch, page: str, **query) -> AppTest:
    monkeypatch.setenv("PRESSLENS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def time_figures(at: AppTest) -> list[dict]:
    """Figures whose traces are drawn over periods (x named 'period' in hover/labels)."""
    return [f for f in figures(at) if f["layout"].get("xaxis", {}).get("type") == "date"]


def test_mentions_over_time_on_a_date_axis_with_every_entity(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "mentions", top="15", freq="month")
    (bars,) = figures(at)  # the default view draws the bars alone
    n_entities = len(bars["data"][0]["y"])
    assert n_entities == 4  # every entity of the store (15 asked, 4 exist)
    at = run(dated_store, monkeypatch, "mentions", top="15", freq="month", view="time")
    (series,) = figures(at)
    assert series["layout"]["xaxis"]["type"] == "date"
    assert len(series["data"]) == n_entities  # exactly the entities of the bars
    for trace in series["data"]:
        # January, February (no articles: 0) and March, as dates.
        assert [str(x)[:10] for x in trace["x"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert series["layout"]["yaxis"]["tickformat"] == ",d"
    captions = " ".join(c.value for c in at.caption)
    assert "1 of 4 articles have no publication date" in captions
    assert "Not mentioned in any dated article" not in captions
    assert "15 asked for; the filtered articles mention only 4" in captions


def test_mentions_measures_and_split(dated_store, monkeypatch):
    for metric, fmt in (("share_articles", ".0%"), ("per_1000_words", ",.2f")):
        at = run(dated_store, monkeypatch, "mentions", metric=metric, split="yes")
        (bars,) = figures(at)
        assert {t["name"] for t in bars["data"]} == {"BBC", "Dawn, Karachi", "Reuters"}
        at = run(dated_store, monkeypatch, "mentions", metric=metric, split="yes", view="time")
        (series,) = figures(at)
        assert series["layout"]["yaxis"]["tickformat"] == fmt
        hover = series["data"][0]["hovertemplate"]
        # Human names, rounded numbers.
        for part in ("share of articles=", ":.1%}", "per 1,000 words=", ":.2f}", "mentions="):
            assert part in hover
        assert "share_articles" not in hover


def test_compare_searches(dated_store, monkeypatch):
    query = 'russia\n"security council" OR 1825'
    at = run(dated_store, monkeypatch, "mentions", compare=query, view="compare")
    queries = next(f for f in time_figures(at) if f["data"][0]["name"] == "russia")
    assert [t["name"] for t in queries["data"]] == ["russia", '"security council" OR 1825']
    links = " ".join(c.value for c in at.caption)
    assert "articles?q=russia" in links


def test_compare_links_keep_the_sidebar_filter(dated_store, monkeypatch):
    at = run(
        dated_store,
        monkeypatch,
        "mentions",
        compare="ukraine",
        view="compare",
        q="russia",
        source="BBC",
    )
    links = " ".join(c.value for c in at.caption)
    # Each line counts within the sidebar filter, so its articles link keeps the filter too.
    assert "articles?source=BBC&q=%28russia%29+%28ukraine%29" in links


def test_evidence_is_paged(tmp_path, monkeypatch):
    store = make_store(
        tmp_path / "many",
        [
            {
                "id": "m",
                "source": "S",
                "published": "2024-01-01",
                "text": "Russia spoke. " * 250,
                "mentions": {"Russia": RU},
            }
        ],
    )
    at = run(store, monkeypatch, "mentions")
    assert any("**1–200** of **250** sentence(s)" in m.value for m in at.markdown)
    at = run(store, monkeypatch, "mentions", epage="2")
    assert any("**201–250** of **250** sentence(s)" in m.value for m in at.markdown)
    body = "".join(h.proto.body for h in at.get("html"))
    assert body.count("<mark>") == 50


def test_overview_timeline_zero_fills_on_a_date_axis(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "overview", freq="month")
    timeline = time_figures(at)[-1]
    assert {t["name"] for t in timeline["data"]} == {"BBC", "Dawn, Karachi", "Reuters"}
    assert timeline["layout"]["yaxis"]["dtick"] == 1  # whole articles only


def test_dates_page_ranges_to_what_matters(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "dates", freq="year")
    cells = figures(at)[0]
    assert cells["layout"]["xaxis"]["type"] == "date"
    assert cells["layout"]["yaxis"]["type"] == "date"
    lo, hi = cells["layout"]["yaxis"]["range"]
    assert "2023" <= hi[:4] <= "2026" and lo[:4] >= "2020"  # not 1825–2100
    assert any("outside" in c.value for c in at.caption)
    at = run(dated_store, monkeypatch, "dates", freq="year", range="all")
    lo, hi = figures(at)[0]["layout"]["yaxis"]["range"]
    assert lo[:4] <= "1825" and hi[:4] >= "2100"


def test_undated_corpus_gets_a_way_forward(undated_store, monkeypatch):
    at = run(undated_store, monkeypatch, "mentions", view="time")
    assert any("no publication date" in i.value for i in at.info)
    assert any("--map published=" in i.value for i in at.info)
    assert not time_figures(at)
    at = run(undated_store, monkeypatch, "dates")
    (bars,) = figures(at)
    assert bars["layout"]["xaxis"]["type"] == "date"
    assert any("no publication date" in i.value for i in at.info)
    at = run(undated_store, monkeypatch, "dates", ref="2024-01-01")
    assert any("**2** expression(s)" in m.value for m in at.markdown)
    at = run(undated_store, monkeypatch, "overview")
    assert any("no publication date" in i.value for i in at.info)


def html_bodies(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_articles_page_lists_searches_and_sorts(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "articles")
    assert any(m.value.startswith("**4** article(s)") for m in at.markdown)
    table = html_bodies(at)
    assert table.index("Ukraine in March") < table.index("France in the news")
    assert 'href="https://bbc.example/a1"' in table
    assert "javascript:" not in table  # never a link
    assert "article=a1" in table
    at = run(dated_store, monkeypatch, "articles", q='"security council" OR 1825')
    assert any(m.value.startswith("**2** article(s)") for m in at.markdown)
    at = run(dated_store, monkeypatch, "articles", sort="n_mentions", order="asc")
    table = html_bodies(at)
    assert table.index("France in the news") < table.index("Russia and Ukraine talk")
    at = run(dated_store, monkeypatch, "articles", source="nobody")
    assert any("No articles match" in i.value for i in at.info)


def test_articles_reader_marks_mentions_and_dates(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "articles", article="a1", source="BBC")
    body = html_bodies(at)
    assert body.count("<mark") >= 4  # three mentions and the date
    assert "articles?source=BBC&amp;entity=Vladimir+Putin" in body
    assert "dates?source=BBC&amp;ref=2024-01-02&amp;freq=day" in body
    assert any("open the original" in m.value for m in at.markdown)
    at = run(dated_store, monkeypatch, "articles", article="no-such-id")
    assert any("not in the store" in w.value for w in at.warning)


def test_countries_filter_means_mentions_or_articles(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "overview", country="UKR")
    coded = {m.label: m.value for m in at.metric}
    assert at.selectbox(key="p_cmode").value == "mentions"
    at = run(dated_store, monkeypatch, "overview", country="UKR", cmode="articles")
    mentioning = {m.label: m.value for m in at.metric}
    assert coded["Articles"] == mentioning["Articles"] == "2"  # a1 and a3 mention Ukraine
    assert int(coded["Mentions"]) == 2  # the two Ukraine mentions only
    assert int(mentioning["Mentions"]) == 5  # everything in those two articles
    at = run(dated_store, monkeypatch, "articles", country="UKR", cmode="articles")
    assert any(m.value.startswith("**2** article(s)") for m in at.markdown)


def test_dates_page_draws_years_when_the_month_grid_is_too_large(dated_store, monkeypatch):
    from pages.ui import limits

    assert limits.default_date_period(limits.MAX_DATE_CELLS) == "month"
    assert limits.default_date_period(limits.MAX_DATE_CELLS + 1) == "year"
    at = run(dated_store, monkeypatch, "dates")
    assert at.radio(key="p_freq").value == "month"  # a handful of month cells
    monkeypatch.setattr(limits, "MAX_DATE_CELLS", 1)
    at = run(dated_store, monkeypatch, "dates")
    assert at.radio(key="p_freq").value == "year"
    years = {
        str(y)[:4] for t in figures(at)[0]["data"] if t.get("mode") == "markers" for y in t["x"]
    }
    assert years == {"2024"}  # published in 2024, drawn per year
    at = run(dated_store, monkeypatch, "dates", freq="month")  # the URL's choice still holds
    assert at.radio(key="p_freq").value == "month"


def test_a_date_range_says_it_leaves_out_the_undated_articles(dated_store, monkeypatch):
    at = run(dated_store, monkeypatch, "network", **{"from": "2024-01-01"})
    said = [c.value for c in at.sidebar.caption]
    assert "1 of 4 articles have no publication date: a date range leaves them out." in said
    at = run(dated_store, monkeypatch, "network")
    assert not any("no publication date" in c.value for c in at.sidebar.caption)

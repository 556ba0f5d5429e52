"""AppTest: views that must not mislead. Referenced dates at their own granularity (Dates), a
corpus without publication dates (no period or date controls), one source (no 100% share of
voice), evidence pages kept in the URL (Sources, Network, Mentions).

The stores are hand-written (tests.analytics.query.test_analytics_filters.make_store).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.analytics.timeline import count_coarser_dates, count_referenced_dates
from tests.analytics.query.test_analytics_filters import make_store
from tests.pages.test_pages import values
from tests.pages.test_pages_time import figures, run

RU = ("Russia", "country", "RUS")
UA = ("Ukraine", "country", "UKR")

# Dated, two sources: one exact day, one month, three year-only mentions of 2019, a decade.
DATED = [
    {
        "id": "d1",
        "source": "BBC",
        "published": "2020-03-02",
        "title": "Russia looks back",
        "text": "Russia said alpha. Ukraine said beta. Russia said gamma. Delta and epsilon.",
        "mentions": {"Russia": RU, "Ukraine": UA},
        "dates": [
            ("alpha", "DATE", "2019"),
            ("beta", "DATE", "2019"),
            ("gamma", "DATE", "2019-06-05"),
            ("Delta", "DATE", "2019-06"),
            ("epsilon", "DATE", "199"),
        ],
    },
    {
        "id": "d2",
        "source": "Reuters",
        "published": "2020-04-01",
        "title": "Ukraine",
        "text": "Ukraine and Russia met in zeta. " * 60,
        "mentions": {"Russia": RU, "Ukraine": UA},
        "dates": [("zeta", "DATE", "2019")],
    },
]
# Undated, one source.
UNDATED = [
    {
        "id": f"u{i}",
        "source": "BBC",
        "published": None,
        "title": f"Undated {i}",
        "text": f"Russia and Ukraine spoke in eta{i}. Russia again.",
        "mentions": {"Russia": RU, "Ukraine": UA},
        "dates": [(f"eta{i}", "DATE", "2004")],
    }
    for i in range(3)
]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("honest_dated") / "store", DATED)


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("honest_undated") / "store", UNDATED)


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("info", "caption", "markdown") for e in at.get(kind))


def html_bodies(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_month_chart_leaves_years_out_and_draws_them_over_their_span(dated, monkeypatch):
    at = run(dated, monkeypatch, "dates", freq="month")
    cells, spans = figures(at)
    drawn = {str(y)[:7] for t in cells["data"] if t.get("mode") == "markers" for y in t["y"]}
    assert drawn == {"2019-06"}  # no dot on January 2019
    want = count_referenced_dates(dated, freq="month", coarser="leave_out")
    assert want["n_expressions"].sum() == 2  # the day and the month, both June 2019
    left = count_coarser_dates(dated, freq="month")
    said = texts(at)
    assert "**4 of 6 expressions are not in the chart above**" in said
    assert "3 years, 1 decade" in said
    # The left-out spans: each a segment from its first to its last day.
    year = next(t for t in spans["data"] if t["name"] == "year")
    assert [str(x)[:10] if x else None for x in year["x"]] == ["2019-01-01", "2019-12-31", None]
    assert values(year["y"])[:2] == [3, 3]
    # The downloads offer exactly what is drawn: the cells, and the left-out spans.
    downloads = [c.value for c in at.caption if c.value.endswith("rows")]
    assert f"{len(want):,} rows" in downloads and f"{len(left):,} rows" in downloads


def test_a_year_chart_counts_the_years(dated, monkeypatch):
    at = run(dated, monkeypatch, "dates", freq="year")
    cells = figures(at)[0]
    years = {str(y)[:4] for t in cells["data"] if t.get("mode") == "markers" for y in t["y"]}
    assert years == {"2019"}
    said = texts(at)
    assert "**1 of 6 expressions are not in the chart above**" in said  # the decade
    assert "Choose 'year'" not in said


def test_a_left_out_span_reads_its_sentences(dated, monkeypatch):
    at = run(dated, monkeypatch, "dates", freq="month", span="2019-01-01", res="year")
    said = texts(at)
    assert "Referring to **2019** as a whole (said as a year, not a dot above): **3**" in said
    assert html_bodies(at).count("<mark>") == 3


def test_undated_corpus_offers_no_time_controls(undated, monkeypatch):
    at = run(undated, monkeypatch, "mentions", view="time")
    assert any("3 article(s) in this view have no publication date" in i.value for i in at.info)
    assert not [r for r in at.radio if r.key == "p_freq"]  # no period to choose
    assert not [s for s in at.selectbox if s.key == "p_metric"]
    assert not at.sidebar.date_input  # no date filter that could only drop every article
    assert any("none of the 3 articles has a publication date" in c.value for c in at.caption)
    at = run(undated, monkeypatch, "mentions", view="compare")
    assert not at.text_area and not [r for r in at.radio if r.key == "p_freq"]
    at = run(undated, monkeypatch, "articles")
    assert "date" not in at.selectbox(key="p_sort").options  # labels: date, source, …
    assert "source" in at.selectbox(key="p_sort").options
    assert any("None of these 3 articles has a publication date" in c.value for c in at.caption)
    listed = html_bodies(at)
    assert "Undated 0" in listed and ">Date<" not in listed and "no date" not in listed
    at = run(undated, monkeypatch, "dates", freq="month")
    assert any("The 3 article(s) in this view have no publication date" in i.value for i in at.info)
    assert "**3 of 3 expressions are not in the chart above**" in texts(at)


def test_a_date_range_on_an_undated_corpus_can_be_cleared(undated, monkeypatch):
    at = run(undated, monkeypatch, "network", **{"from": "2020-01-01"})
    said = [c.value for c in at.sidebar.caption]
    assert "3 of 3 articles have no publication date: a date range leaves them out." in said
    assert any("leaves out every one of them" in i.value for i in at.info)
    next(b for b in at.sidebar.button if b.label == "Clear the date range").click().run()
    assert "from" not in at.query_params


def test_one_source_shows_counts_not_a_full_share_of_voice(undated, dated, monkeypatch):
    at = run(undated, monkeypatch, "sources")
    assert any("Only one source, **BBC**" in i.value for i in at.info)
    # Counts or the share of its own mentions: never the share of voice, 100% each.
    assert at.radio(key="p_voice").options == ["mentions", "share of its mentions"]
    bars = figures(at)[0]["data"][0]
    assert bars["type"] == "bar" and sorted(values(bars["x"])) == [3.0, 6.0]  # Ukraine 3, Russia 6
    assert not any(f["data"][0]["type"] == "heatmap" for f in figures(at))
    at = run(undated, monkeypatch, "sources", voice="share_of_voice")
    assert any("is 100% for every entity with one source" in w.value for w in at.warning)
    at = run(undated, monkeypatch, "sources", voice="share")
    assert figures(at)[0]["layout"]["xaxis"]["tickformat"] == ".0%"
    # The same with a filter on one source of several: said, and how to widen it.
    at = run(dated, monkeypatch, "sources", source="Reuters")
    assert any("Remove the source filter" in i.value for i in at.info)
    at = run(dated, monkeypatch, "sources")
    assert any(f["data"][0]["type"] == "heatmap" for f in figures(at))
    at = run(undated, monkeypatch, "mentions", split="yes")
    assert not [r for r in at.radio if r.key == "p_split"]
    assert len(figures(at)[0]["data"]) == 1  # one colour of bars


def test_evidence_pages_live_in_the_url(dated, monkeypatch):
    query = {"pick": "Russia", "pick_source": "Reuters", "pick_unit": "entity"}
    at = run(dated, monkeypatch, "sources", **query)
    assert any(c.value == "Showing 1–50 of 60" for c in at.caption)
    at.button(key="_next_epage").click().run()
    assert at.query_params["epage"] == "2"
    assert any(c.value == "Showing 51–60 of 60" for c in at.caption)
    # A copied link opens the same page.
    at = run(dated, monkeypatch, "sources", **query, epage="2")
    assert any(c.value == "Showing 51–60 of 60" for c in at.caption)
    at.button(key="_prev_epage").click().run()
    assert "epage" not in at.query_params
    # Another list (another source's bar) starts at its first page.
    at = run(dated, monkeypatch, "sources", **query, epage="2")
    at.query_params["pick_source"] = "BBC"
    at.run()
    assert "epage" not in at.query_params
    assert not any(c.value.startswith("Showing 51") for c in at.caption)


def test_network_pair_evidence_pages_live_in_the_url(dated, monkeypatch):
    query = {"min_support": "1", "node": "Russia", "pair_with": "Ukraine"}
    at = run(dated, monkeypatch, "network", **query, epage="2")
    assert any(c.value.startswith("Showing 51–") for c in at.caption)


def test_mentions_evidence_page_restarts_for_another_entity(tmp_path, monkeypatch):
    store = make_store(
        tmp_path / "many",
        [
            {
                "id": "m",
                "source": "S",
                "published": "2024-01-01",
                "text": "Russia spoke. Ukraine too. " * 210,
                "mentions": {"Russia": RU, "Ukraine": UA},
            }
        ],
    )
    at = run(store, monkeypatch, "mentions", focus="Russia", epage="2")
    assert any("**201–210** of **210**" in m.value for m in at.markdown)  # the link's page
    at.selectbox(key="p_focus").set_value("Ukraine").run()
    assert "epage" not in at.query_params
    assert any(
        "**1–200** of **210** sentence(s) shown for **Ukraine**" in m.value for m in at.markdown
    )


def test_the_reader_links_a_decade_to_its_whole_span(dated, monkeypatch):
    at = run(dated, monkeypatch, "articles", article="d1")
    body = html_bodies(at)
    assert "dates?span=1990-01-01&amp;res=decade" in body  # no year chart holds the 1990s
    assert "dates?ref=2019-01-01&amp;freq=year" in body  # "2019": its year
    at = run(dated, monkeypatch, "dates", span="1990-01-01", res="decade")
    assert "Referring to **the 1990s** as a whole" in texts(at)

"""Every control a page draws changes what its open view shows (none is silently ignored)."""

from __future__ import annotations

import pytest

from tests.pages.test_pages import run_page


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

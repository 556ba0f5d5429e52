"""Every control a page draws changes what its open view shows (none is silently ignored)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import APP, failures, run_page


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

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

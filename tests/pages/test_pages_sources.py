"""Sources page, two articles side by side: the pickers offer only what the sidebar filter keeps."""

from __future__ import annotations

import pytest

from tests.pages.test_pages import run_page

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


@pytest.fixture
def seed_env(seed_store, monkeypatch):
    monkeypatch.setenv("PRESSLENS_STORE", str(seed_store.path))
    return seed_store


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
    said = next(m.value for m in at.markdown if "of **BBC** with the" in m.value)
    noun = "sentence(s)" if unit == "term" else "mention(s)"
    assert said.startswith(f"**{len(rows):,}** {noun}") and len(rows) > 0


def test_labels_are_cut_at_a_word_with_an_ellipsis():
    from pages.ui.format import shorten

    assert shorten("Trump declares emergency on border", 20) == "Trump declares…"
    assert shorten("short title", 20) == "short title"
    assert shorten("Supercalifragilistic", 10) == "Supercali…"
    assert len(shorten("a " * 50, 11)) <= 11

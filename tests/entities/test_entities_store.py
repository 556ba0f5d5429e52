"""Resolution over a store: every count and export through it, corrections without re-ingest."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.analytics.frequencies import count_mentions
from core.cli import main
from core.entities import add_rule, read_entities, read_mentions, read_resolution, read_rules
from core.entities.derived import resolution_path
from core.entities.rules import RuleError, import_rules

TEXT = "Donald J. Trump met Nancy Pelosi. Donald Trump, Mr. Trump, spoke. The TV was on."


def _batch(articles: list[tuple[str, str, str]], mentions: list[tuple], body: str = TEXT) -> dict:
    """articles: (article_id, source, published); mentions: (article_id, entity, text, kind)."""
    a = pd.DataFrame(articles, columns=["article_id", "source", "published"])
    a["published"] = [dt.date.fromisoformat(d) for d in a["published"]]
    a["text"] = body
    a["n_words"] = len(body.split())
    rows = []
    for aid, entity, text, kind in mentions:
        start = body.find(text)
        rows.append((aid, 0, start, start + len(text), text, entity, kind, "test/1"))
    m = pd.DataFrame(
        rows,
        columns=[
            "article_id",
            "sentence",
            "start_char",
            "end_char",
            "text",
            "entity",
            "kind",
            "method",
        ],
    )
    return {"articles": a, "mentions": m}


@pytest.fixture
def people_store(store):
    store.append(
        _batch(
            [("a1", "NYT", "2019-01-02"), ("a2", "Fox", "2019-01-03")],
            [
                ("a1", "Donald J. Trump", "Donald J. Trump", "person"),
                ("a1", "Donald J. Trump", "Trump", "person"),
                ("a1", "Nancy Pelosi", "Nancy Pelosi", "person"),
                ("a2", "Donald Trump", "Trump", "person"),
                ("a2", "Donald Trump", "Donald Trump", "person"),
                ("a2", "Pelosi", "Pelosi", "person"),
                ("a2", "TV", "TV", "org"),
            ],
        )
    )
    return store


def _counts(store) -> dict[str, int]:
    df = count_mentions(store, by=("entity",))
    return dict(zip(df["entity"], df["n_mentions"], strict=True))


def test_counts_use_canonical_names(people_store):
    assert _counts(people_store) == {"Donald Trump": 4, "Nancy Pelosi": 2, "TV": 1}
    ents = read_entities(people_store).set_index("entity_id")
    assert ents.loc["person:donald-trump", "n_articles"] == 2
    assert ents.loc["person:nancy-pelosi", "aliases"] == "Pelosi"
    res = read_resolution(people_store)
    assert set(res["resolved_by"]) == {
        "exact",
        "variant",
        "surname-in-article",
        "surname-in-corpus",
    }
    assert resolution_path(people_store).exists()  # kept for the next reader


def test_rules_change_counts_exports_and_version_without_reingest(people_store, tmp_path):
    before = people_store.version()
    add_rule(people_store, "merge", "Pelosi", "Donald J. Trump")
    add_rule(people_store, "block", "tv")
    add_rule(people_store, "rename", "person:donald-trump", "D. Trump")
    assert people_store.version() != before
    assert _counts(people_store) == {"D. Trump": 6}
    mentions = read_mentions(people_store)
    assert set(mentions["entity"]) == {"D. Trump"} and len(mentions) == 6
    out = tmp_path / "entities.csv"
    assert main(["export", "entities", "--store", str(people_store.path), "-o", str(out)]) == 0
    exported = pd.read_csv(out)
    assert list(exported["name"]) == ["D. Trump"]
    res = read_resolution(people_store)
    assert set(res.loc[res["entity"] == "Pelosi", "resolved_by"]) == {"user"}
    assert set(res.loc[res["entity"] == "TV", "status"]) == {"blocked"}


def test_rules_csv_round_trip_and_bad_rows_named(people_store, tmp_path, capsys):
    good = tmp_path / "rules.csv"
    good.write_text("action,entity,target\nkind,TV,place\nunblock,TV,\n", encoding="utf-8")
    rules = import_rules(people_store, good)
    assert list(rules["action"]) == ["kind", "unblock"]
    assert read_entities(people_store).set_index("name").loc["TV", "kind"] == "place"
    bad = tmp_path / "bad.csv"
    bad.write_text("action,entity,target\nmerge,TV,\nfrobnicate,TV,x\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.csv row 2: merge needs a target"):
        import_rules(people_store, bad)
    assert len(read_rules(people_store)) == 2  # nothing stored is lost
    assert main(["entities", "import", str(bad), "--store", str(people_store.path)]) == 1
    assert "row 2" in capsys.readouterr().err
    assert main(["entities", "export", "--store", str(people_store.path)]) == 0
    assert capsys.readouterr().out.startswith("action,entity,target,created\nkind,TV,place,")


def test_a_later_batch_rebuilds_the_resolution(people_store):
    first = resolution_path(people_store)
    read_resolution(people_store)
    people_store.append(
        _batch(
            [("b1", "Fox", "2019-01-04")],
            [("b1", "Donald Trump Jr", "Donald Trump Jr", "person")],
        )
    )
    assert resolution_path(people_store) != first
    ids = set(read_resolution(people_store)["entity_id"])
    assert "person:donald-trump-jr" not in ids or "person:donald-trump" in ids
    assert not first.exists()  # the older version's file is dropped


def test_an_acronym_defined_anywhere_is_its_organisation_everywhere(store):
    body = "The Federal Election Commission (FEC) fined him. The FEC said so."
    store.append(
        _batch(
            [("a1", "NYT", "2019-01-02"), ("a2", "Fox", "2019-02-03")],
            [
                ("a1", "Federal Election Commission", "Federal Election Commission", "org"),
                ("a1", "FEC", "FEC", "org"),
                ("a2", "FEC", "FEC", "org"),
            ],
            body,
        )
    )
    ents = read_entities(store)
    assert list(ents["name"]) == ["FEC"] and ents["n_articles"].tolist() == [2]
    assert ents["aliases"].tolist() == ["Federal Election Commission"]


def test_empty_store_has_typed_empty_entities(store):
    ents = read_entities(store)
    assert ents.empty and list(ents.columns)[:3] == ["entity_id", "name", "kind"]


def test_entities_commands(people_store, capsys):
    where = ["--store", str(people_store.path)]
    assert main(["entities", "merge", "Pelosi", "person:donald-trump", *where]) == 0
    assert main(["entities", "kind", "TV", "place", *where]) == 0
    assert main(["entities", "kind", "TV", "planet", *where]) == 1  # named in the error
    assert "kind must be one of" in capsys.readouterr().err
    assert main(["entities", "list", *where]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split(",")[:3] for line in listed] == [
        ["action", "entity", "target"],
        ["merge", "Pelosi", "person:donald-trump"],
        ["kind", "TV", "place"],
    ]
    assert main(["entities", "top", "--kind", "person", *where]) == 0
    top = capsys.readouterr().out.splitlines()
    assert top[0].startswith("entity_id,name,kind") and len(top) == 2  # Pelosi merged away


@pytest.mark.parametrize("reverse", [False, True])
def test_a_kind_tie_is_broken_by_the_kind_not_by_row_order(store, reverse):
    # "Merrick Garland" written once as a person and once as an organisation in an article:
    # the same kind whatever order the mentions come in (it flipped between runs before).
    mentions = [
        ("a1", "Merrick Garland", "Merrick Garland", "org"),
        ("a1", "Merrick Garland", "Merrick Garland", "person"),
        ("a1", "West Ham", "West Ham", "place"),
        ("a1", "West Ham", "West Ham", "org"),
    ]
    body = "Merrick Garland and Merrick Garland went to West Ham and West Ham."
    batch = _batch([("a1", "BBC", "2019-01-02")], mentions, body)
    m = batch["mentions"]
    for i in (1, 3):  # the second of each name is its second occurrence
        start = body.find(m.loc[i, "text"], m.loc[i - 1, "end_char"])
        m.loc[i, ["start_char", "end_char"]] = [start, start + len(m.loc[i, "text"])]
    batch["mentions"] = m.iloc[::-1].reset_index(drop=True) if reverse else m
    store.append(batch)
    from core.entities.derived import read_resolution_pairs

    kinds = read_resolution_pairs(store).set_index("entity")["kind"].to_dict()
    assert kinds == {"Merrick Garland": "person", "West Ham": "org"}

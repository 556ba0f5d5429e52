"""Mention / country evaluation: readers and metrics on tiny hand-made corpora, hand-computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.evaluate.countries import read_geowebnews, score_geowebnews
from core.evaluate.mentions import (
    conll_type,
    format_report,
    read_conll,
    run_countries,
    run_mentions,
    score_spans,
)
from core.evaluate.reuters import BORDERS_1987, REUTERS_SLUGS, read_reuters, score_reuters

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"

CONLL = """-DOCSTART- -X- O O

Vladimir NNP I-NP I-PER
Putin NNP I-NP I-PER
visited VBD I-VP O
Paris NNP I-NP I-LOC
with IN I-PP O
Reuters NNP I-NP I-ORG
. . O O

-DOCSTART- -X- O O

Mr NNP I-NP O
Smith NNP I-NP I-PER
met VBD I-VP O
Jones NNP I-NP I-PER
Brown NNP I-NP B-PER
in IN I-PP O
London NNP I-NP I-LOC
. . O O
"""


@pytest.fixture
def conll_file(tmp_path):
    path = tmp_path / "eng.testa"
    path.write_text(CONLL, encoding="utf-8")
    return path


def test_read_conll_rebuilds_text_and_iob1_spans(conll_file):
    docs = list(read_conll(conll_file))
    assert [d[0] for d in docs] == [
        "Vladimir Putin visited Paris with Reuters .",
        "Mr Smith met Jones Brown in London .",
    ]
    assert docs[0][1] == {(0, 14, "PER"), (23, 28, "LOC"), (34, 41, "ORG")}
    # B-PER after I-PER starts a second person (IOB1).
    assert docs[1][1] == {(3, 8, "PER"), (13, 18, "PER"), (19, 24, "PER"), (28, 34, "LOC")}


def test_score_spans_hand_computed(conll_file):
    docs = list(read_conll(conll_file))
    preds = {
        docs[0][0]: {(0, 14, "PER"), (23, 28, "LOC"), (0, 8, "ORG")},
        docs[1][0]: {(3, 8, "PER"), (28, 34, "LOC"), (13, 24, "PER")},
    }
    s = score_spans(docs, lambda text: preds[text])
    # PER: tp 2 (Putin, Smith), fp 1 (Jones Brown merged), fn 2 (Jones, Brown).
    assert (s["PER"]["tp"], s["PER"]["fp"], s["PER"]["fn"]) == (2, 1, 2)
    assert s["PER"]["precision"] == pytest.approx(2 / 3)
    assert s["PER"]["recall"] == pytest.approx(0.5)
    assert s["PER"]["f1"] == pytest.approx(4 / 7)
    assert (s["LOC"]["tp"], s["LOC"]["fp"], s["LOC"]["fn"]) == (2, 0, 0)
    assert s["ORG"]["f1"] == 0.0 and (s["ORG"]["fp"], s["ORG"]["fn"]) == (1, 1)
    assert (s["overall"]["tp"], s["overall"]["fp"], s["overall"]["fn"]) == (4, 2, 3)
    assert s["overall"]["f1"] == pytest.approx(2 * 4 / (2 * 4 + 2 + 3))


def test_conll_type_mapping():
    row = {"kind": "country", "via": "demonym"}
    assert conll_type(row) is None  # "German" is MISC in CoNLL
    assert conll_type({"kind": "country", "via": "name"}) == "LOC"
    assert conll_type({"kind": "place", "via": "capital"}) == "LOC"
    assert conll_type({"kind": "person", "via": None}) == "PER"
    assert conll_type({"kind": "org", "via": "org"}) == "ORG"


def test_run_mentions_on_a_path(conll_file):
    result = run_mentions(str(conll_file), baselines=False)
    ours = next(iter(result["systems"].values()))
    assert result["documents"] == 2
    assert result["gold_entities"] == {"PER": 4, "LOC": 2, "ORG": 1}
    # Putin, Smith (after Mr) found; Jones and Brown have no cue. Paris, London; Reuters.
    assert (ours["PER"]["tp"], ours["PER"]["fn"]) == (2, 2)
    assert (ours["LOC"]["tp"], ours["LOC"]["fp"]) == (2, 0)
    assert ours["ORG"]["tp"] == 1
    text = format_report(result)
    assert "PER" in text and "F1" in text


GWN = """<?xml version="1.0" ?>
<articles>
<article file="0"><title>t</title><link>l</link>
<text>Troops left Moscow for Ukraine. The Kremlin met Paris Hilton.</text>
<toponyms>
<toponym><extractedName>Moscow</extractedName><type>Literal</type>
<start>12</start><end>18</end><geonamesID>524901</geonamesID>
<latitude>55.75222</latitude><longitude>37.61556</longitude></toponym>
<toponym><extractedName>Ukraine</extractedName><type>Literal</type>
<start>23</start><end>30</end><geonamesID/>
<latitude>50.45466</latitude><longitude>30.5238</longitude></toponym>
<toponym><extractedName>Paris</extractedName><type>Homonym</type>
<start>48</start><end>53</end><geonamesID/></toponym>
</toponyms></article>
</articles>
"""


@pytest.fixture
def gwn_dir(tmp_path):
    (tmp_path / "GWN.xml").write_text(GWN, encoding="utf-8")
    return tmp_path / "GWN.xml"


def test_read_geowebnews_gold_countries(gwn_dir):
    [(text, tops)] = read_geowebnews(gwn_dir)
    assert [text[t["start"] : t["end"]] for t in tops] == ["Moscow", "Ukraine", "Paris"]
    # Moscow by GeoNames ID; Ukraine by the nearest city to its coordinates (Kyiv).
    assert [t["country"] for t in tops] == ["RUS", "UKR", None]


def test_score_geowebnews_hand_computed(gwn_dir):
    articles = read_geowebnews(gwn_dir)
    preds = [(12, 18, "RUS"), (23, 30, "RUS"), (48, 53, "FRA")]
    s = score_geowebnews(articles, lambda text: preds)
    # Gold: Moscow, Ukraine (Paris is a Homonym, not gold). Paris is a false positive.
    assert (s["toponyms"]["tp"], s["toponyms"]["fp"], s["toponyms"]["fn"]) == (2, 1, 0)
    assert s["toponyms"]["f1"] == pytest.approx(0.8)
    assert s["resolved_toponyms"] == 2
    assert s["country_right"] == pytest.approx(0.5)  # Ukraine resolved to RUS is wrong


def test_run_countries_geowebnews_path(gwn_dir):
    result = run_countries(str(gwn_dir), baselines=False)
    ours = next(iter(result["systems"].values()))
    assert result["gold_toponyms"] == 2
    assert ours["toponyms"]["tp"] == 2 and ours["country_right"] == 1.0


SGM = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="1" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<PLACES><D>usa</D><D>ussr</D></PLACES>
<TEXT>&#2;
<TITLE>GRAIN TALKS</TITLE>
<DATELINE>    WASHINGTON, Feb 26 - </DATELINE><BODY>Moscow and Washington agreed.
</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="YES" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="2" NEWID="2">
<PLACES><D>uk</D></PLACES>
<TEXT><BODY>Held out.</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="3" NEWID="3">
<PLACES></PLACES>
<TEXT><BODY>No label.</BODY></TEXT>
</REUTERS>
"""


@pytest.fixture
def reuters_dir(tmp_path):
    (tmp_path / "sgm").mkdir()
    (tmp_path / "sgm" / "reut2-000.sgm").write_text(SGM, encoding="latin-1")
    return tmp_path


def test_read_reuters_skips_test_split_and_unlabelled(reuters_dir):
    stories = read_reuters(reuters_dir)
    assert [s["id"] for s in stories] == [1]
    assert stories[0]["places"] == {"USA", "SUN"}
    assert stories[0]["text"].startswith("GRAIN TALKS\nWASHINGTON, Feb 26 -")


def test_score_reuters_1987_borders_vs_strict(reuters_dir):
    stories = read_reuters(reuters_dir)
    s = score_reuters(stories, lambda text: [(0, 1, "RUS"), (2, 3, "USA"), (4, 5, None)])
    assert s["micro_1987_borders"]["f1"] == 1.0  # RUS counts as SUN in 1987
    assert (s["micro_strict"]["tp"], s["micro_strict"]["fp"], s["micro_strict"]["fn"]) == (1, 1, 1)
    assert s["micro_strict"]["f1"] == pytest.approx(0.5)
    assert s["macro_f1_strict"] == pytest.approx(0.5)  # USA 1.0, SUN 0.0


def test_run_countries_reuters_path(reuters_dir):
    result = run_countries(str(reuters_dir), baselines=False)
    ours = next(iter(result["systems"].values()))
    assert result["documents"] == 1
    assert ours["micro_1987_borders"]["f1"] == 1.0  # Moscow → RUS → SUN; Washington → USA


def test_slug_map_historical_states():
    assert REUTERS_SLUGS["ussr"] == "SUN"
    assert REUTERS_SLUGS["west-germany"] == "DEU"
    assert REUTERS_SLUGS["east-germany"] == "DDR"
    assert REUTERS_SLUGS["congo"] == "COG" and REUTERS_SLUGS["zaire"] == "COD"
    assert BORDERS_1987["UKR"] == "SUN" and "DEU" not in BORDERS_1987


@pytest.mark.corpus
@pytest.mark.skipif(
    not (CORPORA / "reuters21578" / "aux").is_dir(), reason="../shared/corpora not present"
)
def test_slug_map_covers_every_reuters_place():
    slugs = (CORPORA / "reuters21578" / "aux" / "all-places-strings.lc.txt").read_text().split()
    assert len(slugs) == 175
    assert sorted(set(slugs) - set(REUTERS_SLUGS)) == []

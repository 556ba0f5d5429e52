"""Language: detected and stored per article; extraction only for the languages it supports."""

from __future__ import annotations

from collections import Counter

from core.ingest import ingest_paths
from core.ingest.language import describe_unsupported, detect_language, is_extracted

FRENCH = (
    "Le Royaume-Uni a annoncé mardi de nouvelles sanctions contre la Russie, a déclaré le "
    "ministre des Affaires étrangères à Londres devant les députés."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag in Berlin neue Sanktionen gegen Russland beschlossen, "
    "teilte ein Sprecher des Auswärtigen Amtes mit."
)
CHINESE = "中国外交部周二在北京表示，将继续推动和平谈判，并呼吁各方保持克制。"
ENGLISH = (
    "The United Kingdom announced new sanctions against Russia on Tuesday, the foreign "
    "secretary told members of parliament in London."
)


def test_detect_language():
    assert detect_language(ENGLISH) == "en"
    assert detect_language(FRENCH) == "fr"
    assert detect_language(GERMAN) == "de"
    assert detect_language(CHINESE) == "zh"
    assert detect_language("Kim met Putin.") is None  # too short to tell
    assert is_extracted("en") and is_extracted(None) and not is_extracted("fr")


def test_other_languages_are_stored_without_extraction_and_said_per_file(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("en.txt", ENGLISH), ("fr.txt", FRENCH), ("de.txt", GERMAN)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "zh.txt").write_text(CHINESE, encoding="utf-8")
    report = ingest_paths([folder], store=store, progress=False)
    assert report.ok and report.added == 4
    arts = store.table("articles").set_index("origin")
    by_file = {origin.rsplit("/", 1)[-1]: lang for origin, lang in arts.language.items()}
    assert by_file == {"en.txt": "en", "fr.txt": "fr", "de.txt": "de", "zh.txt": "zh"}
    mentioned = set(store.table("mentions").article_id)
    english_id = arts.article_id[arts.language == "en"].iloc[0]
    assert english_id in mentioned  # "United Kingdom", "Russia", "London"
    assert mentioned == {english_id}  # "Le Royaume-Uni" is no person, the Chinese has nothing
    assert store.table("dates").article_id.isin([english_id]).all()
    assert set(store.table("sentences").article_id) == set(arts.article_id)
    notes = [n for n in report.notices if "extraction supports en only" in n]
    assert len(notes) == 3 and any("fr.txt: 1 in fr: stored without mentions" in n for n in notes)


def test_describe_unsupported_groups_by_file():
    notes = describe_unsupported(Counter({("a.jsonl", "fr"): 2, ("a.jsonl", "de"): 1}))
    assert notes == [
        "a.jsonl: 1 in de, 2 in fr: stored without mentions, dates or countries "
        "(extraction supports en only)"
    ]

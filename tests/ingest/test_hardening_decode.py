"""Text decoded right: a few bad bytes in UTF-8 are replaced and counted, never a code page."""

from __future__ import annotations

import pytest

from core.cli import main
from core.ingest.formats.decode import decode_document
from core.store import Store

ZURICH = (
    "Flooding closed roads between Zürich and Köln on Monday, officials said. "
    "Trains from Zürich were cancelled and the river in Köln rose overnight.\n\n"
)


def _with_bad_bytes(text: str, size: int = 2400) -> bytes:
    """``text`` repeated to ``size`` bytes of UTF-8, three invalid bytes put between words."""
    data = (text * (size // len(text.encode()) + 1)).encode("utf-8")[:size]
    data = data[: data.rfind(b" ")]  # end on a whole character
    spaces = [i for i, b in enumerate(data) if b == 0x20]
    for i in sorted((spaces[5], spaces[len(spaces) // 2], spaces[-5]), reverse=True):
        data = data[:i] + b"\xff" + data[i:]
    return data


def test_a_utf8_file_with_three_bad_bytes_keeps_its_places(tmp_path, capsys):
    path = tmp_path / "floods.txt"
    path.write_bytes(_with_bad_bytes(ZURICH))
    assert 2300 < path.stat().st_size < 2500
    store = tmp_path / "store"
    assert main(["ingest", str(path), "--store", str(store)]) == 0
    err = capsys.readouterr().err
    assert "floods.txt: 3 invalid UTF-8 byte(s) replaced with U+FFFD" in err
    text = Store(store).table("articles")["text"].iloc[0]
    assert "Zürich" in text and "Köln" in text and text.count("\ufffd") == 3
    places = set(Store(store).table("mentions")["text"])
    assert {"Zürich", "Köln"} <= places
    meta = Store(store).table("article_meta")
    assert list(meta.loc[meta["key"] == "encoding", "value"]) == [
        "utf-8 (3 invalid bytes replaced)"
    ]


def test_a_legacy_code_page_file_is_still_read_as_one():
    decoded = decode_document("Zürich, Köln und Genève: café.".encode("cp1252"))
    # (cp1250 and cp1252 agree on these letters; a short file cannot tell them apart)
    assert decoded.text.startswith("Zürich, Köln") and decoded.replaced == 0
    assert decoded.encoding != "utf-8"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_recognised(encoding):
    decoded = decode_document(ZURICH.encode(encoding))
    assert decoded.text == ZURICH and decoded.encoding == encoding


def test_clean_utf8_has_no_warning():
    decoded = decode_document(ZURICH.encode())
    assert (decoded.encoding, decoded.replaced, decoded.warning) == ("utf-8", 0, None)


def test_one_stray_latin1_byte_beside_one_utf8_letter_stays_utf8():
    # A UTF-8 page with a Latin-1 "é" pasted in: one valid character, one bad byte.
    data = "Floods in Köln. The caf".encode() + b"\xe9" + b" closed.\n"
    decoded = decode_document(data)
    assert decoded.text == "Floods in Köln. The caf\ufffd closed.\n"
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1)


def test_one_curly_quote_outweighs_one_stray_byte_each():
    # A three-byte character (’) counts twice: a code page almost never spells one by chance.
    data = "The minister’s offer".encode() + b" \xe9t\xe9 " + b"rejected."
    decoded = decode_document(data)
    assert decoded.encoding == "utf-8" and "minister’s" in decoded.text
    assert decoded.replaced == 2


@pytest.mark.parametrize(
    "text",
    [
        "Zürich, Köln und Genève: café, thé et crème brûlée à Besançon.",
        "Ça coûte très cher à Montréal, dit-il; la Société Générale a réagi.",
        "Ángel García se reunió en León con Muñoz y Peña.",
    ],
)
def test_code_page_text_with_many_accents_is_read_as_its_code_page(text):
    decoded = decode_document(text.encode("cp1252"))
    assert decoded.encoding != "utf-8" and decoded.replaced == 0
    assert decoded.text == text


@pytest.mark.parametrize(
    "text",
    [
        "Ministr zahraničí Jan Lipavský řekl, že Česko podpoří Ukrajinu.",
        "Zażółć gęślą jaźń w Łodzi i Poznaniu, powiedział minister.",
    ],
)
def test_central_european_text_keeps_its_code_page(text):
    # cp1252 reads these bytes without an error too ("zahraniè"): the detector tells them apart.
    decoded = decode_document(text.encode("cp1250"))
    assert decoded.text == text and decoded.replaced == 0

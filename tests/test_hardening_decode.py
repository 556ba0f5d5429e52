"""Text decoded right: a few bad bytes in UTF-8 are replaced and counted, never a code page."""

from __future__ import annotations

import pytest

from core.cli import main
from core.ingest.decode import decode_document
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

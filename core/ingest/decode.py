"""Bytes to text: BOMs, UTF-8, UTF-16 and legacy single-byte encodings.

Detection is charset-normalizer's (a maintained detector); this module only
adds the news-specific rules around it: a BOM wins, strict UTF-8 wins next,
and binary files are refused instead of being decoded into mojibake.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """Bytes that are not a text document (empty, binary, undecodable)."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encodings a news file is plausibly in; restricting the detector keeps short
# cp1252 files from being read as, say, mac_cyrillic.
_CANDIDATES = [
    "utf_8",
    "utf_16",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "cp1250",
    "iso8859_2",
    "cp1253",
    "cp1254",
    "cp1256",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text document.

    Returns: ``(text, encoding)``. Raises ``DecodeError`` with a reason for
    empty, binary or undecodable input.
    """
    if not data.strip():
        raise DecodeError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} text after a BOM: {exc.reason}") from exc
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    elif not _looks_like_utf16(data):
        raise DecodeError("binary file (NUL bytes), not text")
    best = from_bytes(data[:200_000], cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("binary or undecodable file (no text encoding fits)")
    encoding = best.encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"undecodable as {encoding}: {exc.reason}") from exc
    if not _is_texty(text):
        raise DecodeError("binary file (mostly control characters), not text")
    return text, encoding


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: NULs at every other byte of ASCII-range text."""
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    return max(even_nuls, odd_nuls) > 0.3 and min(even_nuls, odd_nuls) < 0.05


def _is_texty(text: str) -> bool:
    sample = text[:20_000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= max(2, len(sample) // 100)

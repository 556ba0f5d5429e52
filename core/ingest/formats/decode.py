"""Bytes to text: BOMs, UTF-8, UTF-16 and legacy single-byte encodings.

Detection is charset-normalizer's (a maintained detector); this module only
adds the news-specific rules around it: a BOM wins, strict UTF-8 wins next, then
UTF-8 with a few invalid bytes (replaced, and counted for a warning: never read as
another code page), then UTF-16/32 without a BOM; binary files are refused instead
of being decoded into mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


_ESCAPED = re.compile("[\udc80-\udcff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    """A decoded document: its text, the encoding read, and the bytes that were replaced."""

    text: str
    encoding: str
    replaced: int = 0  # invalid UTF-8 bytes replaced with U+FFFD
    nuls: int = 0  # stray NUL bytes removed from a text file

    @property
    def warning(self) -> str | None:
        notes = []
        if self.replaced:
            notes.append(
                f"{self.replaced} invalid UTF-8 byte(s) replaced with U+FFFD "
                "(the rest of the file is UTF-8)"
            )
        if self.nuls:
            notes.append(f"{self.nuls} stray NUL byte(s) removed (the rest of the file is text)")
        return "; ".join(notes) or None


def decode_document(data: bytes) -> Decoded:
    """Decode a text document, saying which encoding was read and what was replaced.

    A file that is UTF-8 but for a few bytes (at least as many valid multi-byte UTF-8
    characters as invalid bytes) is read as UTF-8 with those bytes replaced, never as another
    code page. UTF-16 and UTF-32 are recognised with or without a BOM.

    Returns: the ``Decoded`` document. Raises ``DecodeError`` with a reason for empty,
    binary or undecodable input.
    """
    if not data.strip(b"\x00 \t\r\n"):
        raise DecodeError("empty file")
    if b"\x00" not in data:
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            mostly = _mostly_utf8(data)
            if mostly is not None:
                return mostly
    else:
        wide = _decode_wide(data)
        if wide is not None:
            return wide
        stray = _without_stray_nuls(data)
        if stray is not None:
            return stray
    try:
        text, encoding = decode_bytes(data)
    except DecodeError:
        # No code page fits either: text that is UTF-8 but for a few bytes (under 1%) is still
        # read as UTF-8, those bytes replaced; anything else stays refused.
        escaped = data.decode("utf-8", errors="surrogateescape")
        bad = len(_ESCAPED.findall(escaped))
        text = _ESCAPED.sub("\ufffd", escaped)
        if bad > max(3, len(data) // 100) or not _is_texty(text.replace("\ufffd", " ")):
            raise
        return Decoded(text, "utf-8", bad)
    return Decoded(text, encoding)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """``data`` read as UTF-8 with its few invalid bytes replaced, or None when the invalid
    bytes outnumber the valid multi-byte characters (then it is another code page)."""
    try:  # UTF-8 but for encoded surrogates (\xed\xbf\xbf, as WTF-8 or CESU-8 write them)
        passed = data.decode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        pass
    else:
        lone = len(_SURROGATES.findall(passed))
        return Decoded(_SURROGATES.sub("\ufffd", passed), "utf-8", lone)
    # surrogateescape turns each invalid byte into one lone surrogate: exact byte counts.
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = _ESCAPED.findall(escaped)
    # Evidence for UTF-8: each valid multi-byte character; one of three or four bytes counts
    # twice (a code page almost never spells one by chance, as "â€™" shows). A tie goes to
    # UTF-8: one stray Latin-1 byte beside one "Köln" is a UTF-8 file with a bad byte, and
    # reading it as a code page would garble every valid character ("KĂ¶ln").
    valid = sum(2 if ch >= "\u0800" else 1 for ch in escaped if ch > "\x7f") - 2 * len(bad)
    if not bad or valid < len(bad):
        return None
    return Decoded(_ESCAPED.sub("\ufffd", escaped), "utf-8", len(bad))


def _without_stray_nuls(data: bytes) -> Decoded | None:
    """A UTF-8 text file with a few NUL bytes in it (a stray one in a CSV cell, a page):
    the NULs removed, or None when there are too many for text (then it is binary)."""
    nuls = data.count(0)
    if nuls > max(8, len(data) // 1000):
        return None
    rest = data.replace(b"\x00", b"")
    if not rest.strip():
        return None
    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError:
        mostly = _mostly_utf8(rest)
        if mostly is None:
            return None
        return Decoded(mostly.text, "utf-8", mostly.replaced, nuls)
    # Valid UTF-8 once the NULs are out: text, unless control characters abound.
    controls = sum(1 for ch in text[:20_000] if ch < " " and ch not in "\t\n\r\f")
    return Decoded(text, "utf-8", 0, nuls) if controls <= max(8, len(text) // 20) else None


def _decode_wide(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 (BOM or not) by where the NUL bytes of ASCII-range text fall."""
    for bom, encoding in _BOMS:
        if data.startswith(bom) and encoding in ("utf-32", "utf-16"):
            return None  # decode_bytes reads BOMs
    sample = data[:4000]
    candidates = []
    if len(sample) >= 8 and len(data) % 4 == 0:
        nul = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
        if min(nul[1:]) > 0.9 and nul[0] < 0.5:
            candidates.append("utf-32-le")
        if min(nul[:3]) > 0.9 and nul[3] < 0.5:
            candidates.append("utf-32-be")
    if len(sample) >= 4 and len(data) % 2 == 0:
        even = sample[0::2].count(0) / len(sample[0::2])
        odd = sample[1::2].count(0) / len(sample[1::2])
        if odd > 0.3 and even < 0.05:
            candidates.append("utf-16-le")
        if even > 0.3 and odd < 0.05:
            candidates.append("utf-16-be")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_texty(text):
            return Decoded(text, encoding)
    return None


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
    encoding = _best_code_page(data)
    if encoding is None:
        raise DecodeError("binary or undecodable file (no text encoding fits)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"undecodable as {encoding}: {exc.reason}") from exc
    if not _is_texty(text):
        raise DecodeError("binary file (mostly control characters), not text")
    return text, encoding


# A code page later in _CANDIDATES must read the text this much more surely than an earlier
# one to win a tie of the detector (cp1252 news is far more common than cp1250 news).
PRIOR_MARGIN = 0.05


def _best_code_page(data: bytes) -> str | None:
    """The encoding charset-normalizer finds least messy; among those it cannot tell apart
    (cp1252 and cp1250 often tie on a short text: "Genève" or "Genčve", "Muñoz" or "Muńoz"),
    the one in whose reading the language detector is surest, earlier candidates first."""
    matches = list(from_bytes(data[:200_000], cp_isolation=_CANDIDATES))
    if not matches:
        return None
    best = matches[0]
    tied = [m.encoding for m in matches if (m.chaos, -m.coherence) <= (best.chaos, -best.coherence)]
    if len(tied) < 2:
        return best.encoding
    from core.ingest.language import score_language  # the detector loads only when needed

    order = {name.replace("_", ""): i for i, name in enumerate(_CANDIDATES)}
    tied.sort(key=lambda enc: order.get(enc.replace("_", ""), len(order)))
    sample = data[:4000]
    chosen, chosen_score = tied[0], score_language(sample.decode(tied[0], errors="replace"))
    for enc in tied[1:]:
        score = score_language(sample.decode(enc, errors="replace"))
        if score > chosen_score + PRIOR_MARGIN:
            chosen, chosen_score = enc, score
    return chosen


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

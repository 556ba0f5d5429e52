"""The generated inputs of ``bench_fuzz.py``: hypothesis strategies for files of every format
(good records mixed with hostile ones) and for extractor texts.

Returns: ``case()`` draws a ``Case``: the files of one input, and the markers of its good
records (each good record's text holds a unique marker).
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import zipfile
from dataclasses import dataclass, field

from hypothesis import strategies as st

FORMATS = ("txt", "html", "csv", "json", "jsonl", "zip", "gz", "extract")
_serial = itertools.count()
# Every format as often as the others, but HTML a quarter as often (trafilatura: ~60 ms a page).
_WEIGHTED_FORMATS = st.sampled_from([f for f in FORMATS if f != "html"] * 4 + ["html"])

# -- values -----------------------------------------------------------------------------------
NASTY = (
    [
        "2022-02-30", "31 April 2021", "29 February 2023", "year 0", "in 99999", "0000-00-00",
        "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-1", "\t=1", "\r",
        "\u202e\u2066", "\ufeff", "\u200b", "\x1b[31m", "\x00", "\udfff", "\ud800x", "ﬁ", "İ",
        "a" * 140_000, "Paris, " * 50, "\n" * 500, "<script>alert(1)</script>", "**b** [l](u)",
        "http://[::1", "http://[x]", "javascript:alert(1)", "Q4 9999", "week 53 of 2021",
    ]
)  # fmt: skip
_NASTY_TEXT = st.sampled_from(NASTY)
_TEXT = st.one_of(st.text(max_size=60), _NASTY_TEXT)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    st.just("9" * 5000),  # a string of digits; as a JSON number it is an int of 5000 digits
)
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=5), inner, max_size=3), max_leaves=8)  # fmt: skip
_FIELD = st.sampled_from(["text", "title", "source", "published", "url", "body", ""])
_DATES = st.sampled_from(
    ["2022-08-15", "15/08/2022", "2022-02-30", "31 April 2021", "", "Monday", "0000", "99999"]
)
_URLS = st.sampled_from(
    ["https://news.example/a", "http://[::1", "javascript:alert(1)", '=HYPERLINK("x")', ""]
)


@dataclass
class Case:
    """One generated input: files to write, and the markers of its good records."""

    fmt: str
    files: dict[str, bytes] = field(default_factory=dict)
    good: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # for the extractor cases


def _marker() -> str:
    return f"Marker{next(_serial):09d}"


@st.composite
def good_record(draw) -> dict:
    """A record every field of which is of the right type, with a unique marker in its text."""
    marker = _marker()
    extra = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
    return {
        "text": f"{marker} officials met in Paris on {draw(_DATES)} to discuss trade. {extra}",
        "title": draw(st.one_of(st.none(), _TEXT.filter(lambda t: "\x00" not in t))),
        "source": draw(st.sampled_from(["Reuters", "=cmd", "", "BBC"])),
        "published": draw(_DATES),
        "url": draw(_URLS),
    }


@st.composite
def hostile_record(draw) -> object:
    """Anything at all where a record is expected: wrong types, odd keys, not an object."""
    return draw(
        st.one_of(
            st.dictionaries(_FIELD, _VALUE, max_size=5),
            _VALUE,
            st.just({"text": 123, "published": [1, 2], "source": {"a": 1}, "url": "http://[::1"}),
        )
    )


def _json_dumps(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True, allow_nan=True)
    return text.replace('"' + "9" * 5000 + '"', "9" * 5000)  # a real 5,000-digit JSON number


def deep(n: int = 2000) -> str:
    return "[" * n + "]" * n


@st.composite
def case(draw, fmt: str | None = None) -> Case:
    # HTML pages go through trafilatura (~60 ms a page): fewer of them keep a run short.
    fmt = fmt or draw(_WEIGHTED_FORMATS)
    if fmt == "extract":  # a list of texts: each is one input of the extractors
        one = st.one_of(st.text(max_size=300), _TEXT, st.lists(
            st.one_of(_TEXT, st.integers().map(str)), max_size=30).map(" ".join))  # fmt: skip
        return Case(fmt, texts=draw(st.lists(one, min_size=1, max_size=100)))
    goods = draw(st.lists(good_record(), min_size=0, max_size=3))
    bads = draw(st.lists(hostile_record(), max_size=4))
    c = Case(fmt)
    if fmt in ("txt", "html"):
        good = goods[0] if goods else None
        junk = draw(_TEXT)
        body = (good["text"] if good else "") + " " + ("" if "\x00" in junk else junk)
        if fmt == "txt":
            c.files["a.txt"] = body.encode("utf-8", errors="surrogatepass")
        else:
            title = draw(_TEXT)
            page = (
                f"<html><head><title>{title}</title></head><body><article><p>{body}</p>"
                f"<p>{junk}</p></article>{draw(st.sampled_from(['', '<p>' * 300, '<div>']))}"
                "</body></html>"
            )
            c.files["a.html"] = page.encode("utf-8", errors="surrogatepass")
        if good and body.strip() and "\x00" not in body:
            c.good.append(good["text"].split()[0])
        if draw(st.booleans()) and not c.good:  # a broken file: NUL bytes, a lone BOM
            c.files[next(iter(c.files))] += b"\x00\x00\xff\xfe"
        return c
    if fmt == "csv":
        rows = ["text,title,source,published,url"]
        for record in draw(st.permutations(goods + bads)):
            if isinstance(record, dict) and record in goods:
                rows.append(_csv_row([record[k] for k in ("text", "title", "source",
                                                          "published", "url")]))  # fmt: skip
            else:
                cells = draw(st.lists(_TEXT, max_size=8))  # any number of cells
                rows.append(_csv_row(cells))
        c.files["a.csv"] = ("\n".join(rows) + "\n").encode("utf-8", errors="surrogatepass")
        c.good = [g["text"].split()[0] for g in goods]
        return c
    if fmt in ("json", "jsonl"):
        records = draw(st.permutations(goods + bads))
        if fmt == "json":
            if draw(st.integers(0, 9)) == 0:  # broken as a whole: no good record inside
                c.files["a.json"] = (deep() if draw(st.booleans()) else "[{").encode()
                return c
            c.files["a.json"] = ("[" + ",".join(_json_dumps(r) for r in records) + "]").encode()
        else:
            lines = [_json_dumps(r) for r in records]
            lines += draw(st.lists(st.sampled_from([deep(), "not json", '"\\udfff"', "{", ""])))
            lines = draw(st.permutations(lines))
            c.files["a.jsonl"] = ("\n".join(lines) + "\n").encode()
        c.good = [g["text"].split()[0] for g in goods]
        return c
    inner = draw(case(fmt=draw(st.sampled_from(("txt", "html", "csv", "json", "jsonl")))))
    name, data = next(iter(inner.files.items()))
    if fmt == "gz":
        c.files[name + ".gz"] = gzip.compress(data)
        c.good = inner.good
        if draw(st.integers(0, 9)) == 0:  # truncated: rejected as a whole
            c.files[name + ".gz"] = c.files[name + ".gz"][:-9]
            c.good = []
        return c
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        for extra in draw(st.lists(st.sampled_from(["x.pdf", "in.zip", ".h.txt"]), unique=True)):
            archive.writestr(extra, b"junk")
    c.files["a.zip"] = buf.getvalue()
    c.good = inner.good
    return c


def _csv_row(cells: list[object]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["" if v is None else str(v) for v in cells])
    return out.getvalue()


# -- running a case ---------------------------------------------------------------------------

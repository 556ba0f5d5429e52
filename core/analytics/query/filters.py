"""The filter every analytics function takes, and the query engine it compiles to.

Filter semantics (the same for every page):

* article-level fields restrict the corpus: ``date_from``/``date_to`` (inclusive, on
  ``published``; an article without a date is dropped as soon as either bound is set),
  ``sources`` and ``q`` (a search of the title and the text: words, "phrases", AND / OR /
  NOT, see :mod:`core.analytics.query.search`), ``languages`` (URL ``lang``: ``articles.language``
  codes) and ``meta`` (URL ``meta``: ``key=value`` pairs of ``article_meta``, such as
  ``section=World``; values of one key OR-ed, keys AND-ed);
* mention-level fields restrict the counted mentions: ``kinds``, ``countries`` (alpha-3) and
  ``entities``. With ``country_mode="articles"`` (URL ``cmode=articles``) ``countries`` is
  article-level instead: the articles mentioning one of them, all their mentions counted.
  Values within a field are OR-ed, fields are AND-ed. An *article count* under a
  mention-level field counts the articles holding at least one such mention;
* denominators (``share_articles``, ``per_1000_words``) are the article-level corpus only, so
  the share of Russia stays "share of all articles in range", whatever entities are picked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

from core.analytics.query.search import compile_query

PARAM_NAMES = {
    "date_from": "from",
    "date_to": "to",
    "sources": "source",
    "kinds": "kind",
    "countries": "country",
    "entities": "entity",
    "q": "q",
    "country_mode": "cmode",
    "languages": "lang",
    "meta": "meta",
}
COUNTRY_MODES = ("mentions", "articles")


def _tuple(value: object, *, upper: bool = False) -> tuple[str, ...]:
    """Split a URL value (comma-separated string or list of strings) into a clean tuple."""
    if value is None:
        return ()
    # A list of values (repeated query params) is taken as is: names may hold commas.
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    out = []
    for item in items:
        item = item.strip()
        if item:
            out.append(item.upper() if upper else item)
    return tuple(dict.fromkeys(out))


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple):
        value = value[0] if value else None
        return _date(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


@dataclass(frozen=True)
class Filter:
    """What the user picked; the default (all fields empty) selects everything."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: tuple[str, ...] = field(default=())
    kinds: tuple[str, ...] = field(default=())
    countries: tuple[str, ...] = field(default=())
    entities: tuple[str, ...] = field(default=())
    q: str | None = None
    country_mode: str = "mentions"
    languages: tuple[str, ...] = field(default=())  # articles.language codes (article-level)
    meta: tuple[str, ...] = field(default=())  # "key=value" of article_meta (article-level)

    def __post_init__(self) -> None:
        # Accept lists/strings from callers but store hashable, normalised values.
        object.__setattr__(self, "date_from", _date(self.date_from))
        object.__setattr__(self, "date_to", _date(self.date_to))
        object.__setattr__(self, "sources", _tuple(self.sources))
        object.__setattr__(self, "kinds", _tuple(self.kinds))
        object.__setattr__(self, "countries", _tuple(self.countries, upper=True))
        object.__setattr__(self, "entities", _tuple(self.entities))
        q = (self.q or "").strip()
        object.__setattr__(self, "q", q or None)
        mode = str(self.country_mode or "mentions").strip().lower()
        # An unknown mode (a hand-edited URL) means the default, not an error page.
        object.__setattr__(self, "country_mode", mode if mode in COUNTRY_MODES else "mentions")
        object.__setattr__(self, "languages", _tuple(self.languages))
        object.__setattr__(self, "meta", tuple(v for v in _tuple(self.meta) if "=" in v))

    @classmethod
    def from_params(cls, params: Mapping[str, object]) -> Filter:
        """Build a filter from URL query params ``from, to, source, kind, country, entity, q``.

        Multi-valued params are comma-separated strings or lists; dates are ISO. Unknown keys
        are ignored (the page may carry its own).
        """
        kwargs = {f: params.get(p) for f, p in PARAM_NAMES.items()}
        return cls(**kwargs)  # type: ignore[arg-type]

    def to_params(self) -> dict[str, str]:
        """Return the non-empty fields as URL query params (inverse of :meth:`from_params`)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, ()) or (f.name == "country_mode" and value == "mentions"):
                continue
            if isinstance(value, dt.date):
                out[PARAM_NAMES[f.name]] = value.isoformat()
            elif isinstance(value, tuple):
                out[PARAM_NAMES[f.name]] = ",".join(value)
            else:
                out[PARAM_NAMES[f.name]] = str(value)
        return out

    @property
    def meta_by_key(self) -> dict[str, tuple[str, ...]]:
        """``meta`` grouped: key -> values (values of one key OR-ed, keys AND-ed)."""
        out: dict[str, tuple[str, ...]] = {}
        for item in self.meta:
            key, _, value = item.partition("=")
            out[key] = (*out.get(key, ()), value)
        return out

    @property
    def countries_by_article(self) -> bool:
        """True when ``countries`` picks articles (mentioning one) rather than mentions."""
        return bool(self.countries) and self.country_mode == "articles"

    @property
    def mention_countries(self) -> tuple[str, ...]:
        """The countries a mention (or a pair's side) must be coded to: none when ``countries``
        picks the articles mentioning them instead."""
        return () if self.countries_by_article else self.countries

    @property
    def has_mention_filter(self) -> bool:
        return bool(
            self.kinds or (self.countries and not self.countries_by_article) or self.entities
        )

    @property
    def has_article_filter(self) -> bool:
        return bool(
            self.date_from
            or self.date_to
            or self.sources
            or self.q
            or self.countries_by_article
            or self.languages
            or self.meta
        )

    @property
    def needs_article_rows(self) -> bool:
        """True when the article-level part cannot be read from per-(source, day) cubes."""
        return bool(self.q or self.languages or self.meta) or self.countries_by_article

    def where_articles(self, alias: str = "articles") -> tuple[str, list]:
        """SQL condition + params over the store's ``articles`` view (columns of ``alias``).

        Returns: ``(sql, params)``; ``sql`` is ``TRUE`` when nothing restricts articles.
        """
        conds, params = [], []
        if self.date_from:
            conds.append(f"{alias}.published >= ?")
            params.append(self.date_from)
        if self.date_to:
            conds.append(f"{alias}.published <= ?")
            params.append(self.date_to)
        if self.sources:
            conds.append(in_clause(f"{alias}.source", self.sources))
            params += self.sources
        if self.q:
            cond, q_params = compile_query(self.q, [f"{alias}.title", f"{alias}.text"])
            conds.append(cond)
            params += q_params
        if self.countries_by_article:
            codes = in_clause("mm.country_code", self.countries)
            conds.append(
                f"EXISTS (SELECT 1 FROM mentions mm WHERE mm.article_id = {alias}.article_id"
                f" AND {codes})"
            )
            params += self.countries
        if self.languages:
            conds.append(in_clause(f"{alias}.language", self.languages))
            params += self.languages
        for key, values in self.meta_by_key.items():
            conds.append(
                f"EXISTS (SELECT 1 FROM article_meta am WHERE am.article_id = {alias}.article_id"
                f" AND am.key = ? AND {in_clause('am.value', values)})"
            )
            params += [key, *values]
        return (" AND ".join(conds) or "TRUE"), params

    def where_mentions(self, alias: str = "mentions") -> tuple[str, list]:
        """SQL condition + params over the store's ``mentions`` view (columns of ``alias``).

        Returns: ``(sql, params)``; ``sql`` is ``TRUE`` when nothing restricts mentions.
        """
        conds, params = [], []
        for col, values in (
            ("kind", self.kinds),
            ("country_code", self.mention_countries),
            ("entity", self.entities),
        ):
            if values:
                conds.append(in_clause(f"{alias}.{col}", values))
                params += values
        return (" AND ".join(conds) or "TRUE"), params


def in_clause(column: str, values: Sequence) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"

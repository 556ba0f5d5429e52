"""What a title written before a name says about who it is ("Mrs. Clinton", "President Trump").

The extractor keeps a title out of the span ("Mr." / "President" before "Trump"), so the
resolution reads it back from the article text (:func:`read_person_titles`). A title tells the
resolver two things about the person a surname means:

- **sex**: "Mr", "Sir", "Lord" name a man, "Mrs", "Ms", "Miss", "Dame", "Lady" a woman; a full
  name's sex is its first name's (gender-guesser's list, already a dependency of the
  extractor). "Mr. Trump" is not Melania Trump, "Mrs Wilkinson" not Jonny Wilkinson.
- **office**: "President", "Senator", "Governor" … name whoever the corpus writes with that title
  before their full name ("President Donald Trump", "Rep. Tim Ryan"). When the corpus gives the
  office to some bearers of a surname, "President Trump" is not one of the others (Donald Trump
  Jr). When it gives it to none of them, the title says nothing.

:func:`title_misfits` weighs a lone surname's titled mentions against its candidate bearers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import duckdb
import pandas as pd

from core.entities.noise import MAX_ARTICLES

# title as written (lower case, no full stop) -> (sex, office); '' where it says nothing.
TITLE_MEANINGS: dict[str, tuple[str, str]] = {
    "mr": ("m", ""),
    "sir": ("m", ""),
    "lord": ("m", ""),
    "mrs": ("f", ""),
    "ms": ("f", ""),
    "miss": ("f", ""),
    "dame": ("f", ""),
    "lady": ("f", ""),
    "president": ("", "president"),
    "vice president": ("", "vice president"),
    "prime minister": ("", "prime minister"),
    "senator": ("", "senator"),
    "sen": ("", "senator"),
    "rep": ("", "representative"),
    "representative": ("", "representative"),
    "congressman": ("m", "representative"),
    "congresswoman": ("f", "representative"),
    "governor": ("", "governor"),
    "gov": ("", "governor"),
    "mayor": ("", "mayor"),
    "speaker": ("", "speaker"),
    "chancellor": ("", "chancellor"),
    "premier": ("", "premier"),
    "ambassador": ("", "ambassador"),
    "general": ("", "general"),
    "gen": ("", "general"),
    "judge": ("", "judge"),
    "justice": ("", "justice"),
}


def read_person_titles(
    con: duckdb.DuckDBPyConnection, mentions_sql: str, articles_sql: str
) -> pd.DataFrame:
    """The titles written right before people's mentions, as counts.

    ``mentions_sql`` / ``articles_sql`` give the mentions and articles tables. The mentions
    written as a full name are read in a sample of ``MAX_ARTICLES`` articles of a larger store.

    Returns: one row per (article_id, entity, text, title) of person mentions written after a
    title of :data:`TITLE_MEANINGS`, with n (mentions); only titled mentions have rows.
    """
    con.register("_title_words", pd.DataFrame({"t": sorted(TITLE_MEANINGS)}))
    try:
        n_art = con.execute(f"SELECT count(*) FROM ({articles_sql})").fetchone()[0]
        # Every lone surname's titles count; full names only tell who holds an office, which a
        # sample of a large store tells as well (as for the noise statistics).
        every = max(1, n_art // MAX_ARTICLES)
        full = "TRUE" if every == 1 else f"hash(m.article_id) % {every} = 0"
        return con.execute(
            f"""
            WITH m AS (
              SELECT m.article_id, m.entity, m.text,
                     substr(a.text, greatest(m.start_char - 39, 1), least(m.start_char, 40))
                       AS before
              FROM ({mentions_sql}) m JOIN ({articles_sql}) a USING (article_id)
              WHERE m.kind = 'person' AND (NOT contains(trim(m.text), ' ') OR {full})
            ), w AS (
              SELECT article_id, entity, text, before,
                     lower(regexp_extract(before, '([A-Za-z]+)\\.?\\s+$', 1)) AS w1
              FROM m
            ), t AS (
              SELECT article_id, entity, text,
                     CASE WHEN w1 IN ('president', 'minister')
                          THEN coalesce(map_extract_value(MAP {{
                                 'vice president': 'vice president',
                                 'prime minister': 'prime minister'}},
                               lower(regexp_extract(
                                 before, '([A-Za-z]+)\\.?\\s+[A-Za-z]+\\.?\\s+$', 1))
                               || ' ' || w1), w1)
                          ELSE w1 END AS title
              FROM w WHERE w1 IN (SELECT t FROM _title_words) OR w1 = 'minister'
            )
            SELECT article_id, entity, text, title, count(*)::BIGINT AS n FROM t
            WHERE title IN (SELECT t FROM _title_words) GROUP BY ALL
            """
        ).df()
    finally:
        con.unregister("_title_words")


@cache
def _detector():
    try:
        import gender_guesser.detector as gg
    except ImportError:  # without the list no first name has a sex: titles of sex say nothing
        return None
    return gg.Detector(case_sensitive=False)


@cache
def first_name_sex(first: str, *, mostly: bool = False) -> str:
    """'m' or 'f' for a first name gender-guesser knows as one sex, else ''.

    Names it calls "mostly" one sex count only with ``mostly``: Bernie Sanders, Lindsey
    Graham and Kim Jong Un are "mostly female" names, and "Mr. Sanders" must not rule Bernie
    out; but Chris and Liam may well be two men.
    """
    det = _detector()
    if det is None or not first:
        return ""
    g = det.get_gender(first).removeprefix("mostly_" if mostly else "\0")
    return "m" if g == "male" else "f" if g == "female" else ""


def title_misfits(
    titled: Mapping[str, int],
    candidates: Iterable[str],
    *,
    sex_of: Mapping[str, str],
    holders: Mapping[str, set[str]],
    out_of: int = 0,
) -> set[str]:
    """The candidates a lone surname's titles rule out.

    ``titled`` counts the surname's mentions by title; ``sex_of`` gives a candidate's sex ('m',
    'f' or ''); ``holders`` the ids the corpus gives each office. A title fits a candidate
    (+1: the sex of its first name, an office the corpus gives it), does not (-1: the other
    sex, an office the corpus gives only to other candidates) or says nothing (0: a first name
    of either sex, an office nobody of the surname holds). Each candidate is weighed against
    the one the titles fit best: it is ruled out when more of the mentions that tell the two
    apart fit the other ("President Trump" twice and "Mr. Trump" three times rule out Donald
    Trump Jr beside Donald Trump: "Mr" tells them not apart). A row mixing "Mrs. Clinton" and a
    stray "Mr. Clinton" stays with the one most of its titles fit. ``out_of`` (the row's
    mentions, titled or not) asks for more: the titles against a candidate must also be at
    least half of them (one "Mrs. Trump" among 14 "Trump" does not move them).

    Returns: the ruled-out candidate ids.
    """
    cands = list(dict.fromkeys(candidates))
    fits: list[tuple[dict[str, int], int]] = []
    for title, n in titled.items():
        sex, office = TITLE_MEANINGS.get(title, ("", ""))
        held = holders.get(office, set()) if office else set()
        office_known = bool(held.intersection(cands))
        fit = dict.fromkeys(cands, 0)
        for c in cands:
            if sex and sex_of.get(c, ""):
                fit[c] += 1 if sex_of[c] == sex else -1
            if office_known:
                fit[c] += 1 if c in held else -1
        if any(fit.values()):
            fits.append((fit, n))
    if not fits:
        return set()
    score = {c: sum(f[c] * n for f, n in fits) for c in cands}
    best = max(cands, key=lambda c: score[c])
    out = set()
    for c in cands:
        against = sum(n for f, n in fits if f[c] < 0)
        for_best = sum(n for f, n in fits if f[best] > f[c])
        for_c = sum(n for f, n in fits if f[c] > f[best])
        if against and for_best > for_c and 2 * against >= out_of:
            out.add(c)
    return out


class TitleEvidence:
    """The titles of a resolution's rows, and what the corpus says each title means.

    ``by_row`` maps a row (its index in the resolution's rows) to its mentions' titles,
    ``holders`` each office to the entity ids the corpus writes with it before a full name,
    ``first_of`` a person's entity id to its first name (for its sex).
    """

    def __init__(
        self,
        by_row: dict[int, dict[str, int]],
        holders: dict[str, set[str]],
        first_of: Mapping[str, str],
    ) -> None:
        self.by_row = by_row
        self.holders = holders
        self.first_of = first_of
        self._memo: dict[tuple, frozenset[str]] = {}

    def sex(self, entity_id: str, *, mostly: bool = False) -> str:
        """The sex of a person's entity id by its first name ('m', 'f' or '')."""
        return first_name_sex(self.first_of.get(entity_id, ""), mostly=mostly)

    def misfits(self, row: int, candidates: Iterable[str], *, out_of: int = 0) -> set[str]:
        """The candidates that row's titles rule out (:func:`title_misfits`)."""
        titled = self.by_row.get(row)
        if not titled:
            return set()
        # Many rows share their titles and candidates ("Mr." before the same surname): weighed
        # once per combination.
        key = (tuple(sorted(titled.items())), tuple(dict.fromkeys(candidates)), out_of)
        if key not in self._memo:
            cands = key[1]
            sex_of = {c: self.sex(c) for c in cands}
            self._memo[key] = frozenset(
                title_misfits(titled, cands, sex_of=sex_of, holders=self.holders, out_of=out_of)
            )
        return set(self._memo[key])


def gather_title_evidence(
    rows: pd.DataFrame, groups: pd.DataFrame, titles: pd.DataFrame | None, *, full: pd.Series
) -> TitleEvidence:
    """:class:`TitleEvidence` of the resolution's ``rows`` (after step 1: ``entity_id`` set).

    ``titles`` as :func:`read_person_titles` with the rows' article codes (None: no titles
    known); ``full`` flags the rows written as a full name (their titles name offices).
    """
    people = groups[groups["person"] & (groups["first"] != "")]
    first_of = dict(zip(people["entity_id"], people["first"], strict=True))
    if titles is None or titles.empty:
        return TitleEvidence({}, {}, first_of)
    keys = ["article_id", "entity", "text"]
    # Only the rows of titled names take part in the join (the rows are millions).
    mine = rows["entity"].isin(set(titles["entity"])).to_numpy()
    sub = rows.loc[mine, keys + ["entity_id"]].assign(_full=full.to_numpy()[mine])
    hit = titles.merge(sub.reset_index(), on=keys, how="inner")
    by_row: dict[int, dict[str, int]] = {}
    holders: dict[str, set[str]] = {}
    for idx, eid, title, n, is_full in zip(
        hit["index"], hit["entity_id"], hit["title"], hit["n"], hit["_full"], strict=True
    ):
        office = TITLE_MEANINGS[title][1]
        if is_full:
            if office and isinstance(eid, str):
                holders.setdefault(office, set()).add(eid)
        else:
            by_row.setdefault(int(idx), {})[title] = int(n)
    return TitleEvidence(by_row, holders, first_of)

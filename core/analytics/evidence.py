"""The sentences behind a mention count, in pages: what :func:`count_mentions` counts.

Moved out of ``frequencies`` (still importable from there). :func:`find_evidence` lists one
group's mentions, newest first, a page at a time; :func:`count_evidence` says how many there
are in all, so a page can offer "201–400 of 1,234".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.analytics.query.engine import (
    EVIDENCE_CONTEXT,
    Engine,
    engine_for,
    period_end,
    typed,
    where,
)
from core.analytics.query.filters import Filter
from core.store import Store

_EVIDENCE = {
    **EVIDENCE_CONTEXT,
    "mention": "string",
    "entity": "string",
    "kind": "string",
    "country_code": "string",
}


def find_evidence(
    store: Store,
    flt: Filter | None = None,
    *,
    entity: str | None = None,
    kind: str | None = None,
    country_code: str | None = None,
    source: str | None = None,
    period_start: dt.date | None = None,
    freq: str | None = None,
    limit: int | None = 200,
    offset: int = 0,
) -> pd.DataFrame:
    """List the mentions one count of :func:`count_mentions` counts (same ``flt``, one group).

    ``entity``, ``kind``, ``country_code`` and ``source`` pick the group; ``period_start`` with
    ``freq`` picks the period. Without ``limit`` the number of rows equals that group's
    n_mentions; ``offset`` skips that many rows first (pages of ``limit`` rows).

    Returns: one row per mention, newest article first: article_id, source, published, title,
    sentence (index), sentence_text, start_in_sentence / end_in_sentence (the mention's offsets
    in sentence_text, for highlighting), start_char / end_char (offsets in the article text),
    mention (the span as written), entity, kind, country_code.
    """
    flt = flt or Filter()
    eng = engine_for(store)
    conds, params = _evidence_conds(
        eng,
        flt,
        entity=entity,
        kind=kind,
        country_code=country_code,
        source=source,
        period_start=period_start,
        freq=freq,
    )
    offset = max(int(offset), 0)
    lim = f"LIMIT {max(int(limit), 0)}" if limit is not None else ""
    lim += f" OFFSET {offset}" if offset else ""
    if limit is not None and limit > 0:
        # The day of the last row kept, from one narrow column: m is sorted by day, so the
        # full query below then reads only the row groups from that day on.
        cut = (
            eng.cursor()
            .execute(
                f"SELECT m.day FROM m {where(conds)} ORDER BY m.day DESC NULLS LAST"
                f" LIMIT 1 OFFSET {offset + int(limit) - 1}",
                params,
            )
            .fetchone()
        )
        if cut and cut[0] is not None:
            conds = [*conds, "m.day >= ?"]
            params = [*params, cut[0]]
    txt = eng.text_table()
    sql = (
        "WITH hit AS (SELECT * FROM m "
        f"{where(conds)} ORDER BY m.day DESC NULLS LAST, m.aid, m.start_char {lim})"
        " SELECT a.article_id, a.source, a.day AS published, a.title, hit.sentence,"
        " substr(t.text, s.s_start + 1, s.s_end - s.s_start) AS sentence_text,"
        " hit.start_char - s.s_start AS start_in_sentence,"
        " hit.end_char - s.s_start AS end_in_sentence, hit.start_char, hit.end_char,"
        " hit.text AS mention, ent.entity, hit.kind, hit.country_code"
        " FROM hit JOIN a ON a.aid = hit.aid JOIN ent ON ent.eid = hit.eid"
        " LEFT JOIN sent s ON s.aid = hit.aid AND s.sentence = hit.sentence"
        f" LEFT JOIN {txt} t ON t.aid = hit.aid"
        " ORDER BY hit.day DESC NULLS LAST, hit.aid, hit.start_char"
    )
    return typed(eng.df(sql, params), _EVIDENCE)


def _evidence_conds(
    eng: Engine,
    flt: Filter,
    *,
    entity: str | None,
    kind: str | None,
    country_code: str | None,
    source: str | None,
    period_start: dt.date | None,
    freq: str | None,
) -> tuple[list[str], list]:
    """Conditions over ``m`` picking one group of :func:`count_mentions` under ``flt``."""
    conds, params = eng.article_conds(flt, aid="m.aid", day="m.day", sid="m.sid")
    m_conds, m_params = eng.mention_conds(
        flt, eid="m.eid", kind="m.kind", country_code="m.country_code"
    )
    conds += m_conds
    params += m_params
    if entity is not None:
        conds.append("m.eid IN (SELECT eid FROM ent WHERE entity = ?)")
        params.append(entity)
    if kind is not None:
        conds.append("m.kind = ?")
        params.append(kind)
    if country_code is not None:
        conds.append("m.country_code = ?")
        params.append(country_code)
    if source is not None:
        conds.append("m.sid IN (SELECT sid FROM src WHERE source = ?)")
        params.append(source)
    if period_start is not None:
        if freq is None:
            raise ValueError("period_start needs freq")
        start = (
            period_start
            if isinstance(period_start, dt.date)
            else dt.date.fromisoformat(str(period_start))
        )
        conds.append("m.day >= ? AND m.day < ?")
        params += [start, period_end(start, freq)]
    return conds, params


def count_evidence(
    store: Store,
    flt: Filter | None = None,
    *,
    entity: str | None = None,
    kind: str | None = None,
    country_code: str | None = None,
    source: str | None = None,
    period_start: dt.date | None = None,
    freq: str | None = None,
) -> int:
    """How many rows :func:`find_evidence` lists without a limit (same arguments).

    Returns: the number of mentions in that group.
    """
    eng = engine_for(store)
    conds, params = _evidence_conds(
        eng,
        flt or Filter(),
        entity=entity,
        kind=kind,
        country_code=country_code,
        source=source,
        period_start=period_start,
        freq=freq,
    )
    row = eng.cursor().execute(f"SELECT count(*) FROM m {where(conds)}", params).fetchone()
    return int(row[0]) if row else 0

"""The user's corrections: a small table of rules kept in the store, applied after resolution.

A rule merges entity A into B, renames an entity, changes its kind, blocks it (its mentions
leave every count) or unblocks it (keeps a name the noise filter dropped). Rules apply in the
order they were made, so "merge A into B" then "rename B" renames the merged entity, and a rule
made before a later ingest still applies after it: rules name entities by ``entity_id`` (stable:
the key of the name) or by name, never by row.

The rules live in ``STORE/entity_rules.csv`` (the ``entity_rules`` table, written atomically):
editable by hand, importable and exportable as CSV, and part of :meth:`Store.version`, so every
cache keyed by the version is invalidated when a rule changes. Re-ingesting is never needed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from core.schema import conform, empty_table
from core.store import Store

RULES_FILE = "entity_rules.csv"
ACTIONS = ("merge", "rename", "kind", "block", "unblock")
KINDS = ("country", "place", "person", "org")


class RuleError(ValueError):
    """A correction rule that cannot be read or applied (names the row and the problem)."""


def rules_path(store: Store) -> Path:
    """Where ``store`` keeps its corrections."""
    return Path(store.path) / RULES_FILE


def read_rules(store: Store) -> pd.DataFrame:
    """Return the store's corrections. Returns: one row per rule (the ``entity_rules`` table)."""
    path = rules_path(store)
    if not path.is_file():
        return empty_table("entity_rules")
    return parse_rules(path.read_text(encoding="utf-8"), origin=str(path))


def parse_rules(text: str, *, origin: str = "rules") -> pd.DataFrame:
    """Read rules from CSV text; a bad row raises :class:`RuleError` naming it.

    Returns: one row per rule (the ``entity_rules`` table).
    """
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        if not text.strip():
            return empty_table("entity_rules")
        raise RuleError(f"{origin}: not a CSV of rules: {exc}") from exc
    missing = {"action", "entity"} - set(df.columns)
    if missing:
        raise RuleError(f"{origin}: missing column(s) {', '.join(sorted(missing))}")
    for col in ("target", "created"):
        if col not in df.columns:
            df[col] = ""
    for i, row in enumerate(df.itertuples(index=False), start=2):  # row 1 is the header
        check_rule(row.action, row.entity, row.target, where=f"{origin} row {i}")
    df = df.replace({"": None})
    return conform(df, "entity_rules")


def check_rule(action: str, entity: str, target: str | None, *, where: str = "rule") -> None:
    """Raise :class:`RuleError` unless (action, entity, target) is a valid rule."""
    action = (action or "").strip()
    if action not in ACTIONS:
        raise RuleError(f"{where}: action {action!r} is not one of {', '.join(ACTIONS)}")
    if not (entity or "").strip():
        raise RuleError(f"{where}: no entity given")
    target = (target or "").strip()
    if action in ("merge", "rename") and not target:
        raise RuleError(f"{where}: {action} needs a target")
    if action == "kind" and target not in KINDS:
        raise RuleError(f"{where}: kind must be one of {', '.join(KINDS)}; got {target!r}")


def write_rules(store: Store, rules: pd.DataFrame) -> None:
    """Replace the store's corrections with ``rules`` (atomically: temp file and rename)."""
    path = rules_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{RULES_FILE}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(conform(rules, "entity_rules").to_csv(index=False), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def add_rule(store: Store, action: str, entity: str, target: str | None = None) -> pd.DataFrame:
    """Append one rule to the store's corrections. Returns: the rules after the change."""
    check_rule(action, entity, target)
    with _lock(store):  # read-modify-write: two editors must not lose each other's rule
        rules = append_rule(read_rules(store), action, entity, target)
        write_rules(store, rules)
    return rules


def _lock(store: Store):
    """The store's write lock (``Store.writing``), or no lock for a store object without one."""
    writing = getattr(store, "writing", None)
    return writing() if writing is not None else contextlib.nullcontext()


def append_rule(
    rules: pd.DataFrame, action: str, entity: str, target: str | None = None
) -> pd.DataFrame:
    """Return a new rules table: ``rules`` plus one rule (made now)."""
    check_rule(action, entity, target)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    row = {
        "action": action.strip(),
        "entity": entity.strip(),
        "target": (target or "").strip() or None,
        "created": now,
    }
    return conform(pd.concat([rules, pd.DataFrame([row])], ignore_index=True), "entity_rules")


def import_rules(
    store: Store, path: str | os.PathLike[str], *, replace: bool = False
) -> pd.DataFrame:
    """Add (or with ``replace``, set) the store's corrections from a CSV file.

    Returns: the rules after the import.
    """
    new = parse_rules(Path(path).read_text(encoding="utf-8"), origin=str(path))
    with _lock(store):
        rules = new if replace else pd.concat([read_rules(store), new], ignore_index=True)
        write_rules(store, rules)
    return read_rules(store)


def apply_rules(resolution: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Apply ``rules`` in order to an automatic resolution (see :func:`resolve_pairs`).

    An entity is found by entity_id, else by canonical name, else by a name it was extracted
    as (any case); a rule whose entity is not in the store does nothing. Renaming to a name
    another entity has merges the two (a name is what every count groups by).

    Returns: a new table like ``resolution``: merged rows take the target's entity_id and
    name and ``resolved_by`` ``user``; renamed / re-kinded entities their new name / kind;
    blocked ones ``status`` ``blocked``, unblocked ones ``kept``.
    """
    if rules.empty or resolution.empty:
        return resolution.copy(deep=False)  # copy-on-write: a new table, no copied data
    info = _entity_info(resolution)
    parent: dict[str, str] = {}
    touched: set[str] = set()

    def find(eid: str) -> str:
        while eid in parent:
            eid = parent[eid]
        return eid

    by_name = {name.casefold(): eid for eid, (name, _k, _s) in info.items()}
    alias = _alias_index(resolution)

    def lookup(ref: str | None) -> str | None:
        if not ref:
            return None
        ref = ref.strip()
        if ref in info:
            return find(ref)
        eid = by_name.get(ref.casefold()) or alias.get(ref.casefold())
        return find(eid) if eid else None

    for action, entity, target in _rule_rows(rules):
        a = lookup(entity)
        if a is None:
            continue
        name, kind, status = info[a]
        if action == "merge" or (action == "rename" and lookup(target) not in (None, a)):
            b = lookup(target)
            if b is None or b == a:
                continue
            parent[a] = b
        elif action == "rename":
            info[a] = (target.strip(), kind, status)
            by_name[target.strip().casefold()] = a
            touched.add(a)
        elif action == "kind":
            info[a] = (name, target.strip(), status)
            touched.add(a)
        elif action in ("block", "unblock"):
            info[a] = (name, kind, "blocked" if action == "block" else "kept")
    out = resolution.copy(deep=False)
    final = {eid: find(eid) for eid in info}
    new_id = out["entity_id"].map(final)
    merged = new_id != out["entity_id"]
    out["entity_id"] = new_id
    out["name"] = new_id.map({e: v[0] for e, v in info.items()})
    out["kind"] = new_id.map({e: v[1] for e, v in info.items()})
    out["status"] = new_id.map({e: v[2] for e, v in info.items()})
    out.loc[merged | new_id.isin(touched), "resolved_by"] = "user"
    return out.astype({c: "string" for c in ("entity_id", "name", "kind", "resolved_by", "status")})


def _rule_rows(rules: pd.DataFrame) -> Iterable[tuple[str, str, str | None]]:
    for action, entity, target in zip(
        rules["action"], rules["entity"], rules["target"], strict=True
    ):
        yield str(action), str(entity), None if pd.isna(target) else str(target)


def _entity_info(resolution: pd.DataFrame) -> dict[str, tuple[str, str, str]]:
    """entity_id → (name, kind, status) of the automatic resolution (its most mentioned row)."""
    first = resolution.sort_values("n_mentions", ascending=False, kind="stable").drop_duplicates(
        "entity_id"
    )
    kept = (resolution["status"] == "kept").groupby(resolution["entity_id"]).any()
    return {
        eid: (name, kind, "kept" if kept[eid] else "noise")
        for eid, name, kind in zip(first["entity_id"], first["name"], first["kind"], strict=True)
    }


def _alias_index(resolution: pd.DataFrame) -> dict[str, str]:
    """Extracted name (case-folded) → the entity_id most of its mentions resolve to."""
    g = resolution.groupby(["entity", "entity_id"], sort=False)["n_mentions"].sum().reset_index()
    g = g.sort_values("n_mentions", ascending=False, kind="stable").drop_duplicates("entity")
    return {str(e).casefold(): eid for e, eid in zip(g["entity"], g["entity_id"], strict=True)}

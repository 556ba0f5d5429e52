"""``python -m core entities …``: list, make, import and export the user's entity corrections.

    entities list                     the store's rules, in the order they apply
    entities top [--kind K] [-n N]    the most mentioned canonical entities
    entities merge A B                A's mentions count as B's
    entities rename A NAME            show A as NAME (a name another entity has merges them)
    entities kind A KIND              A is a country | place | person | org
    entities block A / unblock A      drop A's mentions from every count / keep a noise-flagged A
    entities import FILE [--replace]  add (or set) rules from a CSV (action,entity,target)
    entities export [-o FILE]         the rules as CSV

A and B are an entity_id, a canonical name or a name as extracted (any case). Nothing is
re-ingested: every count, chart and export reads the rules (core.entities.rules).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core.entities.derived import read_entities, read_mentions, read_resolution
from core.entities.rules import KINDS, add_rule, import_rules, read_rules
from core.store import Store

# Tables ``python -m core export`` takes beyond the stored ones (mentions: through the rules).
EXPORTABLE = ("entities", "entity_resolution", "entity_rules")


def read_export_table(store: Store, name: str) -> pd.DataFrame:
    """The table ``export NAME`` writes: the derived entity tables, the mentions as every count
    sees them (canonical names, blocked and noise entities left out), else the stored table.

    Returns: the table (one row per its spec's row).
    """
    if name == "entities":
        return read_entities(store)
    if name == "entity_resolution":
        return read_resolution(store)
    if name == "entity_rules":
        return read_rules(store)
    if name == "mentions":
        return read_mentions(store)
    return store.table(name)


def add_parser(sub, store_opt: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``entities`` command to the subparsers ``sub`` of ``python -m core``."""
    p = sub.add_parser("entities", help="entity corrections: merge, rename, kind, block, list")
    ops = p.add_subparsers(dest="op", required=True)
    for name, args, help_ in (
        ("list", (), "the store's rules in the order they apply"),
        ("merge", ("entity", "target"), "count ENTITY's mentions as TARGET's"),
        ("rename", ("entity", "target"), "show ENTITY under the name TARGET"),
        ("kind", ("entity", "target"), f"set ENTITY's kind ({' | '.join(KINDS)})"),
        ("block", ("entity",), "drop ENTITY's mentions from every count"),
        ("unblock", ("entity",), "count ENTITY again (also one the noise filter dropped)"),
    ):
        q = ops.add_parser(name, help=help_)
        for a in args:
            q.add_argument(a)
        store_opt(q)
        q.set_defaults(func=cmd_entities)
    q = ops.add_parser("top", help="the most mentioned canonical entities")
    q.add_argument("--kind", choices=KINDS)
    q.add_argument("-n", type=int, default=30)
    store_opt(q)
    q.set_defaults(func=cmd_entities)
    q = ops.add_parser("import", help="add rules from a CSV file (action,entity,target)")
    q.add_argument("file")
    q.add_argument("--replace", action="store_true", help="replace the store's rules")
    store_opt(q)
    q.set_defaults(func=cmd_entities)
    q = ops.add_parser("export", help="write the rules as CSV")
    q.add_argument("-o", "--output", help="output file (default: stdout)")
    store_opt(q)
    q.set_defaults(func=cmd_entities)


def cmd_entities(args: argparse.Namespace) -> int:
    """Run one ``entities`` operation; errors in rules raise ``RuleError`` (exit 1)."""
    store = Store(args.store)
    op = args.op
    if op in ("merge", "rename", "kind", "block", "unblock"):
        rules = add_rule(store, op, args.entity, getattr(args, "target", None))
        print(f"{len(rules)} rule(s); added: {op} {args.entity} {getattr(args, 'target', '')}")
        return 0
    if op == "import":
        rules = import_rules(store, args.file, replace=args.replace)
        print(f"{len(rules)} rule(s) after import", file=sys.stderr)
        return 0
    if op == "top":
        ents = read_entities(store)
        if args.kind:
            ents = ents[ents["kind"] == args.kind]
        sys.stdout.write(ents.head(args.n).to_csv(index=False))
        return 0
    data = read_rules(store).to_csv(index=False)
    if op == "export" and args.output:
        Path(args.output).write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data)
    return 0

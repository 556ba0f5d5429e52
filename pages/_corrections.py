"""Entity corrections in the dashboard: merge and block on the Mentions page, the entities table
on the Data page.

Where a correction is saved (issue 12): a hosted store is shared, so a visitor may only change
it when the server was started with ``streamlit run dashboard.py -- --allow-edits`` (or
``PRESSLENS_ALLOW_EDITS=1``); the rule then goes into the store's rules file, every visitor
sees it, and it survives a restart. Without that option the rule goes into this visitor's
private workspace (the one uploads use: a hard-linked copy of the shared batches, kept in the
session and the ``ws=`` URL parameter), seeded with the shared store's rules. Every page reads
that workspace, so the visitor's corrections apply to all their counts, charts and downloads
and to nobody else's. Rules change ``Store.version()``, which keys every cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import pandas as pd
import streamlit as st

from core.analytics.query.filters import Filter
from core.entities import read_mentions
from core.entities.derived import DERIVED_DIR, resolution_path
from core.entities.rules import RuleError, add_rule, read_rules, rules_path, write_rules
from core.store import Store
from pages import _shared as ui

TOP_ENTITIES = 500


def edits_allowed(argv: list[str] | None = None) -> bool:
    """True when the server may change the shared store (``-- --allow-edits``)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--allow-edits", action="store_true")
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return bool(args.allow_edits) or os.environ.get("PRESSLENS_ALLOW_EDITS") == "1"


def _target_store(store: Store) -> Store:
    """The store a correction is written to: the shared one when edits are allowed (or the
    visitor's workspace when they already have one), else a new private workspace."""
    if edits_allowed() or ui.workspace_store() is not None:
        return store
    shared = ui.shared_store()
    target = ui.create_workspace()
    # The visitor starts from the shared corrections and the shared resolution (same batches,
    # so the same file name): their first correction costs no rebuild.
    if rules_path(shared).is_file() and not rules_path(target).is_file():
        write_rules(target, read_rules(shared))
    src = resolution_path(shared)
    if src.is_file():
        (target.path / DERIVED_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, resolution_path(target))
    return target


def _apply(store: Store, action: str, entity_key: str, target_key: str | None = None) -> None:
    # The widgets' values now, read when the button is clicked.
    entity = st.session_state.get(entity_key)
    target = st.session_state.get(target_key) if target_key else None
    if not entity or (action == "merge" and not target):
        st.session_state["_correction_error"] = "Choose the entities first."
        return
    try:
        add_rule(_target_store(store), action, entity, target)
    except RuleError as exc:
        st.session_state["_correction_error"] = str(exc)
        return
    st.session_state["_correction_done"] = (
        f"Merged {entity} into {target}." if action == "merge" else f"Blocked {entity}."
    )


def _undo(store: Store) -> None:
    rules = read_rules(store)
    if not rules.empty:
        write_rules(_target_store(store), rules.iloc[:-1])


def show_corrections(store: Store) -> None:
    """The "Correct entities" section: merge one entity into another, block one, undo."""
    st.subheader("Correct entities")
    if ui.workspace_store() is not None:
        where = "kept in your private workspace: only this browser sees them"
    elif edits_allowed():
        where = "saved to the shared store, for every visitor (this server allows edits)"
    else:
        where = "kept private to this browser (the shared data is read-only here)"
    st.caption(
        "Two names for one entity, or a name that is no entity? Merge or block it: every "
        f"count, chart and download follows, nothing is re-ingested. Corrections are {where}."
    )
    top = ui.call(
        "core.analytics.frequencies:count_mentions",
        store,
        Filter(),
        by=("entity",),
        top=TOP_ENTITIES,
    )
    names = [] if top is None else [str(e) for e in top["entity"]]
    # Forms: choosing names reruns nothing (the Mentions page is heavy); the button applies.
    c = st.columns([3, 2])
    with c[0].form("fix_merge_form", border=False):
        f = st.columns([3, 3, 1], vertical_alignment="bottom")
        f[0].selectbox("Merge", names, index=None, key="fix_merge_a", placeholder="entity")
        f[1].selectbox("into", names, index=None, key="fix_merge_b", placeholder="entity")
        merge = (store, "merge", "fix_merge_a", "fix_merge_b")
        f[2].form_submit_button("Merge", key="fix_merge", on_click=_apply, args=merge)
    with c[1].form("fix_block_form", border=False):
        f = st.columns([3, 1], vertical_alignment="bottom")
        f[0].selectbox("Block", names, index=None, key="fix_block_a", placeholder="entity")
        block = (store, "block", "fix_block_a")
        f[1].form_submit_button("Block", key="fix_block", on_click=_apply, args=block)
    for key, show in (("_correction_error", st.error), ("_correction_done", st.success)):
        message = st.session_state.pop(key, None)
        if message:
            show(message)
    rules = read_rules(store)
    if not rules.empty:
        with st.expander(f"Corrections in force ({len(rules)})"):
            st.dataframe(rules, hide_index=True, width="stretch")
            st.button("Undo the last correction", key="fix_undo", on_click=_undo, args=(store,))
            ui.download_buttons(rules, "entity_rules")


ENTITIES_AUTO = 2_000_000  # above this many stored mentions, the entities table waits for a click


def show_entities(store: Store) -> None:
    """The Data page's entities table: one row per canonical entity, and its downloads."""
    st.subheader("Entities")
    st.caption(
        "One row per canonical entity, after the corpus-level resolution (one name per person "
        "across articles and outlets) and the corrections made on the Mentions page. "
        "`aliases`: the other names it was extracted as."
    )
    stored = ui.call("core.analytics.tables:count_table_rows", store, "mentions")
    if stored <= ENTITIES_AUTO or ui.params().get("entities") == "1":
        entities = ui.call("core.entities:read_entities", store)
        if entities is None:
            return
        entities = pd.DataFrame(entities)
        st.dataframe(entities.head(1000), hide_index=True, width="stretch", height=320)
        ui.download_buttons(entities, "entities")
    else:
        # Summing the resolution of millions of mentions takes a minute and gigabytes of
        # memory (once per store version): only when asked, as the Sources page's stories.
        st.caption(
            f"Summing {stored:,} mentions into entities takes a while (then it is kept until "
            "the data changes); `python -m core export entities` writes the same table."
        )
        st.button("Build the entities table", on_click=ui.set_params, kwargs={"entities": "1"})
    # Read only when a download is asked for, never cached: a million articles hold ~20 M.
    st.caption("The mentions as every count sees them (canonical names, blocked ones out):")
    ui.download_rows_buttons(
        lambda: read_mentions(store),
        "mentions_resolved",
        rows=stored,
        at_most=True,
        export="python -m core export mentions (and entity_resolution for the canonical names)",
    )

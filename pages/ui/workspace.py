"""A visitor's private upload workspace: a folder under the temp folder, never the shared store.

A visitor of a hosted link never sees another visitor's uploads: the workspace's token lives in
the session and in the URL (``?ws=``), so a page reload finds it again; only a browser that
holds the token reads it, and links copied from the sidebar never carry it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import streamlit as st

from core.store import Store
from pages.ui.widgets import notice, params

# A workspace token: 32 hex digits (uuid4), unguessable; anything else in ?ws= is ignored.
_WORKSPACE_ID = re.compile(r"[0-9a-f]{32}")
WORKSPACES = Path(tempfile.gettempdir()) / "presslens-workspaces"
WORKSPACE_MAX_AGE_S = 24 * 3600


def workspace_store() -> Store | None:
    """This visitor's private upload workspace, or None before the first upload."""
    wid = st.session_state.get("_workspace")
    if wid is None:
        wid = _workspace_from_url()
    return Store(WORKSPACES / wid / "store") if wid else None


def _workspace_from_url() -> str | None:
    raw = params().get("ws")
    if raw is None:
        return None
    folder = WORKSPACES / raw
    if _WORKSPACE_ID.fullmatch(raw) and (folder / "store").is_dir():
        folder.touch()  # in use: its day-long life starts again
        st.session_state["_workspace"] = raw
        return raw
    del st.query_params["ws"]
    notice(
        "The private workspace of this link no longer exists (uploads are deleted after a day "
        "without a visit); showing the shared data."
    )
    return None


def create_workspace_from(source: Store) -> Store:
    """Create this session's workspace: a copy of ``source``'s batches (hard links).

    Returns: the workspace's store (the existing one when this session has one already).
    """
    existing = workspace_store()
    if existing is not None:
        return existing
    _remove_old_workspaces()
    wid = uuid.uuid4().hex
    target = Store(WORKSPACES / wid / "store")
    target.batches_dir.mkdir(parents=True, exist_ok=True)
    for batch in source.batch_ids():
        # Batches are immutable once committed, so hard links are safe and cost nothing.
        shutil.copytree(
            source.batches_dir / batch, target.batches_dir / batch, copy_function=_link_or_copy
        )
    st.session_state["_workspace"] = wid
    st.query_params["ws"] = wid
    return target


def discard_workspace() -> None:
    """Delete this session's workspace; the session reads the shared store again."""
    wid = st.session_state.pop("_workspace", None)
    if "ws" in st.query_params:
        del st.query_params["ws"]
    if wid and _WORKSPACE_ID.fullmatch(wid):
        shutil.rmtree(WORKSPACES / wid, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _remove_old_workspaces() -> None:
    if not WORKSPACES.is_dir():
        return
    for folder in WORKSPACES.iterdir():
        try:
            if time.time() - folder.stat().st_mtime > WORKSPACE_MAX_AGE_S:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue

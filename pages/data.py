"""Data: upload articles into a private workspace, browse and download every tidy table."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from core.analytics.tables import read_article_index, read_table_rows
from core.ingest import ingest_paths
from core.schema import TABLES
from pages import _corrections as corrections
from pages import _shared as ui
from pages.ui import uploads as limits
from pages.ui.format import article_labels, format_dates

TYPES = ["txt", "html", "htm", "zip", "csv", "jsonl", "json"]
PREVIEW_ROWS = 1000

store, flt = ui.setup_page(
    "data",
    "Data",
    "Add your own articles, browse the tables behind every chart, download them.",
)

st.subheader("Upload articles")
workspace = ui.workspace_store()
if workspace is None:
    st.caption(
        "Uploads go into a private workspace (a copy of the shared data plus your files). "
        "Nobody else opening this app sees them; a reload keeps them; they are deleted after "
        "a day without a visit. Plain text, HTML, zip, CSV or JSON lines; at most "
        f"{limits.MAX_TOTAL_MB} MB and {limits.MAX_FILES:,} files per upload, "
        f"{limits.MAX_VISITOR_MB} MB and {limits.MAX_VISITOR_UPLOADS} uploads per visitor."
    )
else:
    st.caption(
        "You are reading your private workspace: the shared data plus your uploads. The "
        "address in your browser's bar holds its private key (`ws=`), so a reload keeps it; "
        "do not share that address. The sidebar's copy link opens the shared data instead."
    )
    st.button("Discard my uploads", on_click=ui.discard_workspace)

with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("Articles", type=TYPES, accept_multiple_files=True)
    source = st.text_input("Source name for files that do not name one (optional)")
    submitted = st.form_submit_button("Add to my workspace")


if submitted and files:
    usage = limits.read_usage(workspace.path.parent if workspace is not None else None)
    problem = limits.check_upload_limits(files) or limits.check_visitor_limits(files, usage)
    if problem:
        st.error(ui.md(f"Upload refused: {problem}."))
    else:
        target = ui.create_workspace()
        folder = target.path.parent / "uploads" / uuid.uuid4().hex[:8]
        try:
            folder.mkdir(parents=True)
            for f in files:
                # Only the base name: an uploaded name never chooses where we write.
                (folder / Path(f.name).name).write_bytes(f.getvalue())
            bar = st.progress(0.0, text="Reading…")

            def _progress(status) -> None:  # items done of the total, rate, time left
                bar.progress(status.fraction, text=status.describe())

            report = ingest_paths(
                [folder],
                store=target,
                source=source.strip() or None,
                progress=False,
                on_status=_progress,
                root=folder,
            )
            bar.progress(1.0, text="Done")
        finally:
            # A failed, stopped or abandoned upload (the visitor left mid-run: Streamlit stops
            # the script with an exception) leaves no uploaded file on disk.
            shutil.rmtree(folder, ignore_errors=True)
        limits.record_upload(target.path.parent, usage, files)
        st.session_state["_last_report"] = report.summary()
        st.session_state["_last_rejected"] = report.rejected
        st.rerun()

if st.session_state.get("_last_report"):
    rejected = st.session_state.get("_last_rejected") or []
    (st.warning if rejected else st.success)(
        ui.md(st.session_state["_last_report"].splitlines()[0])
    )
    if rejected:
        st.dataframe(
            [{"input": origin, "reason": reason} for origin, reason in rejected],
            hide_index=True,
            width="stretch",
        )

st.subheader("Articles")
n_articles = ui.call("core.analytics.tables:count_articles_stored", store)
# A large store shows its newest articles only; the Articles page lists and pages them all.
meta = ui.call("core.analytics.tables:read_article_index", store, last=PREVIEW_ROWS)
shown = (
    f"{n_articles:,} article(s) in the store (unfiltered)"
    if n_articles <= PREVIEW_ROWS
    else f"{n_articles:,} articles in the store (unfiltered); the latest {len(meta):,} by date "
    "here (undated ones count as latest), all of them on the [Articles](/articles) page"
)
st.caption(f"{shown}. Open one to read its text.")
# Shown as day strings: Streamlit writes a missing date as "None", an undated article says so.
st.dataframe(
    meta.assign(published=format_dates(meta["published"])),
    hide_index=True,
    width="stretch",
    height=min(260, 38 + 35 * len(meta)),
    column_config={
        "article_id": st.column_config.TextColumn("article"),
        "published": st.column_config.TextColumn("published"),
        "origin": st.column_config.TextColumn("file or URL"),
        "n_words": st.column_config.NumberColumn("words", format="%d"),
    },
)
ui.download_rows_buttons(
    lambda: read_article_index(store),
    "articles_index",
    rows=n_articles,
    export="python -m core export articles --format csv -o articles.csv",
)
ids = list(meta["article_id"])
if ids:
    asked = ui.params().get("article")
    if asked and asked not in ids:  # a stored article named in the URL, older than those shown
        extra = ui.call("core.analytics.tables:read_article_index", store, ids=[asked])
        meta = pd.concat([meta, extra], ignore_index=True) if len(extra) else meta
        ids = list(meta["article_id"])
    labels = article_labels(meta, width=80)
    article = ui.param_select(
        "Read article",
        "article",
        ids,
        default=asked if asked in ids else ids[-1],
        format_func=lambda a: labels.get(a, a),
    )
    text = store.query("SELECT title, text FROM articles WHERE article_id = ?", [article])
    if not text.empty:
        # st.text shows the article literally: HTML, <script> and Markdown stay text.
        st.text(str(text["text"].iloc[0]))

st.subheader("Tables")
name = ui.param_select("Table", "table", list(TABLES), default="mentions", horizontal=True)
spec = TABLES[name]
st.caption(
    f"One row is {spec.row}. Filtered by the sidebar's article filters (dates, sources, text "
    "search, language, metadata, countries as 'articles mentioning them')."
)
if flt.has_mention_filter:
    # The stored rows hold names as extracted; the entity filter names merged entities (one
    # entity, several spellings), so applying it here would silently drop rows.
    ui.notice(
        "The sidebar's entity, kind and country-mention filters are not applied to these "
        "stored tables (they hold names as written, before spellings are merged into one "
        "entity): the Mentions page's sentences and downloads follow them."
    )
n_rows = ui.call("core.analytics.tables:count_table_rows", store, name, flt)
table = ui.call("core.analytics.tables:read_table_rows", store, name, flt, limit=PREVIEW_ROWS)
st.caption(f"{n_rows:,} row(s); the first {len(table):,} shown.")
st.dataframe(table, hide_index=True, width="stretch", height=320)
ui.download_rows_buttons(
    lambda: read_table_rows(store, name, flt),
    f"table_{name}",
    rows=n_rows,
    export=f"python -m core export {name} --format parquet -o {name}.parquet",
)

corrections.show_entities(store)  # the entities table (pages/_corrections.py)

"""Sources: share of voice, distinctive entities per outlet, stories, and two articles aligned."""

from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.analytics.query.filters import Filter
from core.analytics.reuse.quote_diff import format_diff
from pages import _shared as ui
from pages.ui import clicks as clicks
from pages.ui import limits as limits
from pages.ui.format import article_labels
from pages.ui.sources import compare as compare
from pages.ui.sources.voice import voice_counts_figure, voice_figure

SRC = "core.analytics.sources"
TABLES = "core.analytics.tables"
ART = "core.analytics.articles"
UNITS = {"entity": "entities", "term": "words"}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")
AUTO_STORIES = 500  # above this many articles, story grouping waits for a click
CHOICES = 1000  # articles offered in each side-by-side select box of a larger store

store, flt = ui.setup_page(
    "sources",
    "Sources",
    "How outlets differ: who they mention, which words set them apart, how they rewrote a story.",
)

st.subheader("Share of voice")
# graph_objects, not plotly express: px's facets and colour groups cost ~1 s per rerun here.
VOICE = {
    "share_of_voice": "each entity's mentions split across sources",
    "share": "each source's mentions split across entities",
}
voice = ui.call(f"{SRC}:count_share_of_voice", store, flt, by="entity", top=15)
summary = ui.call("core.analytics.frequencies:summarise_corpus", store, flt) or {}
n_sources_all = ui.call("core.analytics.frequencies:summarise_corpus", store, Filter()) or {}


@ui.safe_callback
def _pick(chart: str, unit: str) -> None:
    """A click on a share-of-voice cell or a distinctive bar: read that term's sentences."""
    point = clicks.first_point(st.session_state.get(chart))
    source, term = clicks.custom_value(point, 0), clicks.custom_value(point, 1)
    if source is not None and term is not None:
        ui.set_params(pick_source=str(source), pick=str(term), pick_unit=unit, epage=None)


def _widen_hint() -> str:
    """How to get more than one source into view, when the store has more."""
    if int(n_sources_all.get("n_sources") or 0) < 2:
        return " The store holds only this source: ingest others to compare outlets."
    if flt.sources:
        return " Remove the source filter in the sidebar to compare it with the others."
    return " Widen the filter in the sidebar to compare it with the others."


voice_sources = [] if voice is None else list(dict.fromkeys(voice["source"]))
if len(voice_sources) == 1:
    # One source holds every mention: each entity's share of voice is 100%, a chart of nothing.
    only = voice_sources[0]
    st.info(
        f"Only one source, **{ui.md(only, limit=60)}**, has mentions in the filtered articles: "
        "every entity's share of voice would be 100%, which says nothing. Shown instead: its "
        "mentions of each entity (and their share of all its mentions)." + _widen_hint()
    )
    alone = voice.drop(columns="share_of_voice")
    shown = ui.param_select(
        "Show",
        "voice",
        ["n_mentions", "share"],
        default="n_mentions",
        format_func={"n_mentions": "mentions", "share": "share of its mentions"}.get,
        horizontal=True,
        missing="is 100% for every entity with one source",
    )
    st.plotly_chart(
        voice_counts_figure(alone, measure=shown),
        key="voice_one",
        on_select=lambda: _pick("voice_one", "entity"),
        selection_mode="points",
        width="stretch",
    )
    st.caption("Click a bar to read the sentences behind it.")
    ui.download_buttons(alone, "mentions_of_one_source")
elif voice is not None and not voice.empty:
    measure = ui.param_select(
        "Share",
        "voice",
        list(VOICE),
        default="share_of_voice",
        format_func=VOICE.get,
        horizontal=True,
    )
    fig = voice_figure(voice, measure, label=VOICE[measure])
    st.plotly_chart(
        fig,
        key="voice",
        on_select=lambda: _pick("voice", "entity"),
        selection_mode="points",
        width="stretch",
    )
    st.caption("Click a cell to read the sentences behind it.")
    ui.download_buttons(voice, "share_of_voice")
elif voice is not None:
    st.caption("No mentions in the filtered articles.")

st.subheader("What sets each source apart")
unit = ui.param_select(
    "Compare", "unit", list(UNITS), default="entity", format_func=UNITS.get, horizontal=True
)
# A filter on one source has nothing to set it apart from among its own articles: it is set
# against the other sources under the same dates, search and entities.
alone = flt.sources[0] if len(flt.sources) == 1 else None
background = dataclasses.replace(flt, sources=()) if alone else flt
distinct = ui.call(f"{SRC}:score_distinctive", store, background, unit=unit, top=12)
if distinct is not None and distinct["source"].nunique() < 2:
    distinct = distinct.iloc[0:0]  # nothing to set a lone source apart from
elif distinct is not None and alone:
    st.caption(f"One source in the filter: {alone} is set against every other source.")
    distinct = distinct[distinct["source"] == alone]
if distinct is not None and not distinct.empty:
    sources = sorted(distinct["source"].unique())
    for i in range(0, len(sources), 3):
        cols = st.columns(3)
        for col, source in zip(cols, sources[i : i + 3], strict=False):
            rows = distinct[distinct["source"] == source].sort_values("z")
            fig = go.Figure(
                go.Bar(
                    x=rows["z"].astype("float64"),
                    y=[ui.plot_text(t, limit=30) for t in rows["term"]],
                    orientation="h",
                    customdata=[
                        [source, term, ui.plot_text(term), int(n), int(m)]
                        for term, n, m in zip(
                            rows["term"], rows["count"], rows["count_other"], strict=True
                        )
                    ],
                    hovertemplate=ui.hover_template(
                        "%{customdata[2]}",
                        [
                            ("how distinctive (z)", "%{x:.2f}"),
                            ("in this source", "%{customdata[3]:,}"),
                            ("in the others", "%{customdata[4]:,}"),
                        ],
                    ),
                    marker_color=PALETTE[sources.index(source) % len(PALETTE)],
                )
            )
            fig.update_layout(
                title={"text": ui.plot_text(source, limit=40), "font": {"size": 14}},
                height=380,
                margin={"l": 0, "r": 10, "t": 40, "b": 0},
                xaxis_title="z (log-odds, Dirichlet prior)",
            )
            chart = f"distinctive_{i}_{sources.index(source)}"
            col.plotly_chart(
                fig,
                key=chart,
                on_select=lambda chart=chart: _pick(chart, unit),
                selection_mode="points",
                width="stretch",
            )
    ui.download_buttons(distinct, "distinctive")
    st.caption(
        "**z (log-odds z-score)**: how much more often a source uses a word (or names an "
        "entity) than the other sources do, measured in standard errors, so that a word used "
        "3 times does not outrank one used 300 times by chance. Above 2: clearly that "
        "source's own; near 0: used alike. (Log-odds ratio with an informative Dirichlet "
        "prior, Monroe et al. 2008.) Click a bar to read the sentences."
    )
elif distinct is not None and len(voice_sources) == 1:
    st.caption(
        f"Only one source, {ui.md(voice_sources[0], limit=60)}, has mentions here: there is "
        "no other source to set it apart from." + _widen_hint()
    )
elif distinct is not None:
    st.caption("Needs at least two sources with mentions (under the other filters).")

p = ui.params()
pick, pick_source = p.get("pick"), p.get("pick_source")
pick_unit = p.get("pick_unit") if p.get("pick_unit") in UNITS else "entity"
if pick and pick_source:
    term = pick_unit == "term"
    # The count beside the evidence is the chart's: a word's uses (core.analytics.words: one
    # rule for the count and its evidence), an entity's mentions; one listed row each.
    where_ = {"source": pick_source, **({"term": pick} if term else {"entity": pick})}
    module = "term_evidence:count_term_evidence" if term else "evidence:count_evidence"
    total = ui.call(f"core.analytics.{module}", store, flt, **where_) or 0
    source_md, pick_md = ui.md(pick_source, limit=60), ui.md(pick, limit=60)
    if term:
        st.markdown(f"**{total:,}** use(s) of the word **{pick_md}** in **{source_md}**")
        if total:
            st.caption(
                "One row per use, as the chart counts: a sentence using the word twice is "
                "listed twice. “Blair's” is a use of *blair*, “Labour-led” one of *labour* "
                "and one of *led*; case is ignored, accents are not."
            )
    else:
        st.markdown(f"**{total:,}** mention(s) of **{source_md}** with the entity **{pick_md}**")
    st.button(
        "Close",
        key="close_pick",
        on_click=ui.set_params,
        kwargs={"pick": None, "pick_source": None, "pick_unit": None},
    )
    key = f"pick|{pick_unit}|{pick_source}|{pick}"
    limit, offset = ui.evidence_page(key)
    module = "term_evidence:find_term_evidence" if term else "evidence:find_evidence"
    picked = ui.call(f"core.analytics.{module}", store, flt, **where_, limit=limit, offset=offset)
    ui.show_evidence(
        picked, key=key, offset=offset, total=total, empty="No sentences in the filter."
    )

st.subheader("Stories told by several sources")
n_articles = ui.call(f"{TABLES}:count_articles_stored", store)
stories_shown = n_articles <= AUTO_STORIES or ui.params().get("stories") == "1"
if not stories_shown:
    st.caption(
        f"Grouping {n_articles:,} articles into stories takes a while the first time "
        "(then it is kept until the data changes)."
    )
    st.button("Group into stories", on_click=ui.set_params, kwargs={"stories": "1"})
story_table = pd.DataFrame()
if stories_shown:
    # Grouped once per store version, whatever the filter; the filter picks the articles.
    story_table = ui.call_large(
        f"{TABLES}:summarise_stories", store, flt=None if flt == Filter() else flt
    )
    if story_table is not None and story_table.empty:
        st.caption("No story is covered by more than one article in the filter.")
    elif story_table is not None:
        if int(summary.get("n_sources") or 0) == 1:
            st.caption(
                "The filter keeps one source: these are stories it told in more than one "
                "article, with no other source to compare." + _widen_hint()
            )
        shown = story_table.head(limits.MAX_TABLE_ROWS)
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=min(240, 38 + 35 * len(shown)),
            # The title first and widest: it says what the story is (the id only names it).
            column_order=["title", "first", "n_sources", "n_articles", "sources", "story_id"],
            column_config={
                "title": st.column_config.TextColumn("title", width="large"),
                "story_id": st.column_config.TextColumn("story", width="small"),
                "n_articles": st.column_config.NumberColumn("articles", format="%d"),
                "n_sources": st.column_config.NumberColumn("sources told by", format="%d"),
                "first": st.column_config.DateColumn("first published", format="YYYY-MM-DD"),
            },
        )
        if len(story_table) > len(shown):
            st.caption(
                f"The first {len(shown):,} of {len(story_table):,} stories (told by most "
                "sources first); the download has them all."
            )
        ui.download_buttons(story_table, "stories")
if story_table is None:
    story_table = pd.DataFrame()

st.subheader("Two articles side by side")
p = ui.params()
# The Story select box offers the stories listed above, and the one the URL names.
all_stories = list(story_table["story_id"]) if len(story_table) else []
listed = all_stories[: limits.MAX_TABLE_ROWS]
if p.get("story") in all_stories[limits.MAX_TABLE_ROWS :]:
    listed = [p["story"], *listed]
story = p.get("story") if p.get("story") in listed else (listed[0] if listed else None)
whole = flt == Filter()
n_kept = n_articles if whole else ui.call(f"{ART}:count_listed_articles", store, flt)


def _kept(ids: list[str]) -> list[str]:
    """Those of ``ids`` the sidebar filter keeps, in their order."""
    if whole or not ids:
        return ids
    kept = set(ui.call(f"{ART}:list_article_ids", store, flt, ids=tuple(ids))["article_id"])
    return [i for i in ids if i in kept]


def _members(story_id: str | None) -> list[str]:
    if story_id is None:
        return []
    return _kept(list(ui.call(f"{TABLES}:read_story_members", store, story_id)["article_id"]))


members_now = _members(story)
if n_kept <= CHOICES:
    if whole:
        offered = ui.call(f"{TABLES}:read_article_index", store)
    else:
        kept_ids = tuple(ui.call(f"{ART}:list_article_ids", store, flt)["article_id"])
        offered = ui.call(f"{TABLES}:read_article_index", store, ids=kept_ids)
else:
    # A large selection offers the chosen story's articles, the newest articles and any article
    # the URL names (each kept by the filter): a select box of a million options would stall the
    # browser, and the index of every article would hold ~0.5 GB per million articles in the
    # server (docs/benchmarks.md).
    wanted = _kept(sorted({p.get("a"), p.get("b"), *members_now} - {None}))
    latest = tuple(ui.call(f"{ART}:list_article_ids", store, flt, last=CHOICES)["article_id"])
    offered = ui.call(
        f"{TABLES}:read_article_index", store, ids=tuple(dict.fromkeys([*wanted, *latest]))
    )
    st.caption(
        f"{n_kept:,} articles{'' if whole else ' in the filter'}: the story's and the latest "
        f"{CHOICES:,} by date are offered here; any other opens with its id as `a=` or `b=` "
        "in the address."
    )
ids = list(offered["article_id"])
labels = article_labels(offered, width=70)
if len(ids) < 2:
    st.caption(
        "Needs two articles."
        if whole
        else f"The sidebar filter keeps {len(ids)} article{'' if len(ids) == 1 else 's'}: "
        "widen it to compare two."
    )
    st.stop()
if not whole:
    st.caption(f"Offering the {len(ids):,} articles the sidebar filter keeps.")
if listed:
    titles = story_table[story_table["story_id"].isin(listed)]
    story = ui.param_select(
        "Story",
        "story",
        listed,
        default=story,
        format_func=dict(zip(titles["story_id"], titles["title"], strict=True)).get,
    )
    members = [m for m in _members(story) if m in set(ids)] or ids
else:
    members = ids
offer = "is not offered (not kept by the sidebar filter)" if not whole else "is not offered"
default_a = p.get("a") if p.get("a") in ids else members[0]
default_b = (
    p.get("b")
    if p.get("b") in ids
    else next((m for m in [*members, *ids] if m != default_a), ids[1])
)
c = st.columns(2)
with c[0]:
    a = ui.param_select(
        "Article A", "a", ids, default=default_a, format_func=labels.get, missing=offer
    )
with c[1]:
    b = ui.param_select(
        "Article B", "b", ids, default=default_b, format_func=labels.get, missing=offer
    )
if a == b:
    st.caption("Pick two different articles.")
    st.stop()
result = ui.call("core.analytics.reuse.compare:compare_articles", store, a, b)
if result is None:
    st.stop()
reuse = result["reuse"]
m = st.columns(4)
m[0].metric("Sentences aligned", len(result["pairs"]))
m[1].metric("Only in A", len(result["only_a"]))
m[2].metric("Only in B", len(result["only_b"]))
m[3].metric("Text reuse", f"{reuse['score']:.0%}", help=f"direction: {reuse['direction']}")
if not result["pairs"]:
    st.caption(
        "No sentence of A matches one of B: these two articles tell different things"
        + (" (a story above offers articles telling the same one)." if listed else ".")
    )

heads = article_labels(offered[offered["article_id"].isin([a, b])], width=300)  # whole titles
st.html(compare.alignment_html(result, head_a=heads[a], head_b=heads[b]))
alignment = pd.DataFrame(
    [{k: v for k, v in pr.items()} for pr in result["pairs"]]
    + [{"a": t, "relation": "only_a"} for t in result["only_a"]]
    + [{"b": t, "relation": "only_b"} for t in result["only_b"]]
)
ui.download_buttons(alignment, "alignment")

st.subheader("Quotes, and how they changed")
quotes = pd.DataFrame(result["quotes"])
if quotes.empty:
    st.caption("No quotes in these two articles.")
else:
    st.html(compare.quotes_html(result["quotes"]))
    # The download: the same rows, the marks written as [-removed-]{+added+}.
    shown = pd.DataFrame(
        {
            "status": quotes["status"].map(compare.QUOTE_STATUS).fillna(quotes["status"]),
            "speaker": quotes["speaker"],
            "a": quotes["a"],
            "b": quotes["b"],
            "changes": [
                format_diff(d) if s == "altered" else ""
                for d, s in zip(quotes["diff"], quotes["status"], strict=True)
            ],
        }
    )
    ui.download_buttons(shown, "quotes")

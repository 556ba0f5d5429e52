"""Network: which entities are mentioned together; click a node for its neighbours and evidence."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from pages import _shared as ui

COOC = "core.analytics.cooccurrence"
WEIGHTS = {"npmi": "NPMI", "pmi": "PMI", "jaccard": "Jaccard", "n_pair": "co-mentions"}
WINDOWS = {"sentence": "same sentence", "paragraph": "same paragraph", "article": "same article"}
MAX_LABELS = 30  # at 500 nodes only the most central ones get a label, so labels stay readable
PALETTE = (
    "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 #17becf "
    "#393b79 #637939 #8c6d31 #843c39 #7b4173 #3182bd #e6550d #31a354 #756bb1 #636363"
).split()

store, flt = ui.setup_page(
    "network",
    "Network",
    "Entities mentioned together. Size: connections; colour: community. Click a node.",
)

c = st.columns(4)
with c[0]:
    window = ui.param_select(
        "Together in", "window", list(WINDOWS), default="sentence", format_func=WINDOWS.get
    )
with c[1]:
    weight = ui.param_select(
        "Edge weight", "weight", list(WEIGHTS), default="npmi", format_func=WEIGHTS.get
    )
with c[2]:
    min_support = ui.param_int(
        "Minimum co-mentions", "min_support", default=2, min_value=1, max_value=50
    )
with c[3]:
    max_pairs = ui.param_int("Strongest pairs", "pairs", default=300, min_value=10, max_value=3000)

result = ui.network(
    store, flt, window=window, min_support=min_support, weight=weight, top=max_pairs
)
if result is None:
    st.stop()
pairs, nodes = result
if nodes.empty:
    st.info(
        f"No pair of entities is mentioned together at least {min_support} time(s) "
        "in the filtered articles. Lower the minimum or widen the filter."
    )
    st.stop()


def _select_node() -> None:
    state = st.session_state.get("graph")
    points = state.selection.points if state is not None else []
    custom = points[0].get("customdata") if points else None
    if custom:
        ui.set_params(node=custom[0], pair_with=None)


nodes = nodes.sort_values("centrality", ascending=False).reset_index(drop=True)
labelled = set(nodes["node"].head(MAX_LABELS))
pos = nodes.set_index("node")[["x", "y"]]
ends = pairs[pairs["entity_a"].isin(pos.index) & pairs["entity_b"].isin(pos.index)]
a_xy = pos.loc[ends["entity_a"]].to_numpy(dtype=float)
b_xy = pos.loc[ends["entity_b"]].to_numpy(dtype=float)
# One line trace for all edges: x0, x1, None (a gap) per edge.
gap = np.full(len(ends), np.nan)
edge_x = np.column_stack([a_xy[:, 0], b_xy[:, 0], gap]).ravel()
edge_y = np.column_stack([a_xy[:, 1], b_xy[:, 1], gap]).ravel()
degree = nodes["degree"].astype(float)
size = 8 + 22 * (degree / max(degree.max(), 1)) ** 0.5
colours = [PALETTE[int(cm) % len(PALETTE)] for cm in nodes["community"].fillna(0)]
fig = go.Figure()
fig.add_trace(
    go.Scatter(
        x=edge_x,
        y=edge_y,
        mode="lines",
        hoverinfo="skip",
        line={"width": 0.6, "color": "rgba(120,120,120,0.35)"},
    )
)
fig.add_trace(
    go.Scatter(
        x=nodes["x"],
        y=nodes["y"],
        mode="markers+text",
        text=[n if n in labelled else "" for n in nodes["node"]],
        textposition="top center",
        textfont={"size": 12 if len(nodes) <= 60 else 10},
        customdata=nodes[["node", "community", "degree"]].to_numpy(),
        hovertemplate="%{customdata[0]}<br>community %{customdata[1]}"
        "<br>%{customdata[2]} connections<extra></extra>",
        marker={"size": size, "color": colours, "line": {"width": 0.5, "color": "white"}},
    )
)
fig.update_layout(
    showlegend=False,
    height=620,
    margin={"l": 0, "r": 0, "t": 10, "b": 0},
    xaxis={"visible": False},
    yaxis={"visible": False},
    plot_bgcolor="white",
)
st.plotly_chart(fig, key="graph", on_select=_select_node, selection_mode="points", width="stretch")
st.caption(
    f"{len(nodes):,} entities, {len(pairs):,} pairs"
    + (f"; labels on the {MAX_LABELS} most central" if len(nodes) > MAX_LABELS else "")
)
c = st.columns([1, 1, 3])
ui.download_buttons(pairs, "pairs", where=c[0])
ui.download_buttons(nodes, "nodes", where=c[1])

names = list(nodes["node"])
node = ui.param_select("Entity", "node", names, default=names[0])
near = pairs[(pairs["entity_a"] == node) | (pairs["entity_b"] == node)].copy()
near["neighbour"] = near["entity_b"].where(near["entity_a"] == node, near["entity_a"])
near = near.sort_values(weight, ascending=False)
left, right = st.columns([2, 3])
with left:
    st.subheader(f"Neighbours of {ui.md(node)}")
    shown = ["neighbour", "n_pair", *[w for w in WEIGHTS if w != "n_pair" and w in near]]
    st.dataframe(near[shown], hide_index=True, width="stretch")
    ui.download_buttons(near, "neighbours")
with right:
    neighbours = list(near["neighbour"])
    if neighbours:
        other = ui.param_select("Sentences with", "pair_with", neighbours, default=neighbours[0])
        evidence = ui.call(
            f"{COOC}:find_pair_evidence", store, flt, node, other, window=window, limit=100
        )
        if evidence is not None:
            st.markdown(
                f"**{len(evidence):,}** passage(s) with **{ui.md(node)}** and **{ui.md(other)}**"
            )
            ui.show_evidence(
                evidence, text="window_text", spans=[("start_a", "end_a"), ("start_b", "end_b")]
            )
            ui.download_buttons(evidence, "pair_evidence")

"""Network: which entities are mentioned together; click a node for its neighbours and evidence."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from pages import _shared as ui
from pages.ui import clicks as clicks

COOC = "core.analytics.pairs.cooccurrence"
WEIGHTS = {"npmi": "NPMI", "pmi": "PMI", "jaccard": "Jaccard", "n_pair": "co-mentions"}
WEIGHT_HELP = (
    "How strongly two entities belong together, i.e. how often they are mentioned in the same "
    "sentence (paragraph, article) compared with how often each is mentioned at all.\n\n"
    "- **NPMI** (normalised pointwise mutual information), from −1 to 1: 0 means they meet as "
    "often as chance would have it, 1 that one never appears without the other.\n"
    "- **PMI**: the same idea unbounded, as a log ratio: ln(how often together ÷ how often by "
    "chance). Rare pairs can score very high.\n"
    "- **Jaccard**, from 0 to 1: of the sentences naming either, the share that name both.\n"
    "- **co-mentions**: the plain number of sentences naming both."
)
WINDOWS = {"sentence": "same sentence", "paragraph": "same paragraph", "article": "same article"}
MAX_LABELS = 40  # labels on the most central nodes only, and only where they do not overlap
HEIGHT = 620
# Label collisions are judged on a narrow plot (a laptop's main column); on a wider one the
# labels only get more room.
ASSUMED_WIDTH = 760
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
        "Together in",
        "window",
        list(WINDOWS),
        default="sentence",
        format_func=WINDOWS.get,
        help="Two entities are linked when they are mentioned in the same sentence, "
        "paragraph or article.",
    )
with c[1]:
    weight = ui.param_select(
        "Edge weight",
        "weight",
        list(WEIGHTS),
        default="npmi",
        format_func=WEIGHTS.get,
        help=WEIGHT_HELP,
    )
with c[2]:
    min_support = ui.param_int(
        "Minimum co-mentions",
        "min_support",
        default=2,
        min_value=1,
        max_value=50,
        help="Leave out pairs mentioned together fewer times than this.",
    )
with c[3]:
    max_pairs = ui.param_int(
        "Strongest pairs",
        "pairs",
        default=300,
        min_value=10,
        max_value=3000,
        help="How many pairs to draw, those mentioned together most often first.",
    )

result = ui.network(
    store, flt, window=window, min_support=min_support, weight=weight, top=max_pairs
)
if result is None:
    st.stop()
pairs, nodes = result
if nodes.empty:
    undated = ui.call("core.analytics.attention:count_undated", store, flt) or {}
    if (flt.date_from or flt.date_to) and undated.get("n_undated") == undated.get("n_articles"):
        # Not a matter of the minimum: the date range keeps no article at all.
        st.info(
            f"None of the {undated.get('n_articles', 0):,} articles has a publication date, so "
            "the date range in the sidebar leaves out every one of them: clear it there."
        )
    else:
        st.info(
            f"No pair of entities is mentioned together at least {min_support} time(s) "
            "in the filtered articles. Lower the minimum or widen the filter."
        )
    st.stop()


@ui.safe_callback
def _select_node() -> None:
    node = clicks.custom_value(clicks.first_point(st.session_state.get("graph")), 0)
    if node is not None:
        ui.set_params(node=str(node), pair_with=None)


nodes = nodes.sort_values("centrality", ascending=False).reset_index(drop=True)
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
font = 12 if len(nodes) <= 60 else 10
shown_names = [ui.plot_text(n, limit=40) for n in nodes["node"]]
# Label anchors in pixels of the drawn figure (the layout fills the plot area), most central
# first; a label that would overlap one already placed is left to the hover.
xs, ys = nodes["x"].astype(float).to_numpy(), nodes["y"].astype(float).to_numpy()
span_x = max(float(np.ptp(xs)), 1e-9)
span_y = max(float(np.ptp(ys)), 1e-9)
anchors = [
    ((x - xs.min()) / span_x * ASSUMED_WIDTH, (y - ys.min()) / span_y * (HEIGHT - 40) + r / 2)
    for x, y, r in zip(xs, ys, size, strict=True)
]
labelled = ui.place_labels(
    anchors,
    [0.68 * font * len(n) + 10 for n in nodes["node"].astype(str).str[:40]],
    height=font + 8,
    limit=MAX_LABELS,
)
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
        text=[n if keep else "" for n, keep in zip(shown_names, labelled, strict=True)],
        textposition="top center",
        # A white halo keeps a label readable over the nodes behind it.
        textfont={
            "size": font,
            "color": "#222",
            "shadow": "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff",
        },
        # Column 0 is the raw name (read by the click), column 1 the escaped one (shown).
        customdata=np.column_stack(
            [
                nodes["node"].astype(str),
                shown_names,
                nodes["community"].fillna(0).astype(int) + 1,
                nodes["degree"].astype(int),
                nodes["centrality"].astype(float),
            ]
        ).tolist(),
        hovertemplate=ui.hover_template(
            "%{customdata[1]}",
            [
                ("connections", "%{customdata[3]}"),
                ("community", "%{customdata[2]}"),
                ("degree centrality", "%{customdata[4]:.3f}"),
            ],
        ),
        marker={"size": size, "color": colours, "line": {"width": 0.5, "color": "white"}},
    )
)
fig.update_layout(
    showlegend=False,
    height=HEIGHT,
    margin={"l": 0, "r": 0, "t": 20, "b": 0},
    xaxis={"visible": False},
    yaxis={"visible": False},
    plot_bgcolor="white",
)
st.plotly_chart(fig, key="graph", on_select=_select_node, selection_mode="points", width="stretch")
n_labelled = sum(labelled)
st.caption(
    f"{len(nodes):,} entities, {len(pairs):,} pairs"
    + (
        f"; labels on {n_labelled} of the most central (the rest on hover)"
        if n_labelled < len(nodes)
        else ""
    )
)
c = st.columns([1, 1, 3])
ui.download_buttons(pairs, "pairs", where=c[0])
ui.download_buttons(nodes, "nodes", where=c[1])

names = list(nodes["node"])
node = ui.param_select("Entity", "node", names, default=names[0], missing="is not in this graph")
near = pairs[(pairs["entity_a"] == node) | (pairs["entity_b"] == node)].copy()
near["neighbour"] = near["entity_b"].where(near["entity_a"] == node, near["entity_a"])
near = near.sort_values(weight, ascending=False)
left, right = st.columns([1, 1])
with left:
    st.subheader(f"Neighbours of {ui.md(node)}")
    shown = ["neighbour", "n_pair", *[w for w in WEIGHTS if w != "n_pair" and w in near]]
    st.dataframe(
        near[shown],
        hide_index=True,
        width="stretch",
        column_config={
            "neighbour": st.column_config.TextColumn("neighbour"),
            "n_pair": st.column_config.NumberColumn(
                "co-mentions", help="Sentences (paragraphs, articles) naming both.", format="%d"
            ),
            "npmi": st.column_config.NumberColumn(
                "NPMI", help="−1 to 1; 0 = as often as chance, 1 = always together.", format="%.2f"
            ),
            "pmi": st.column_config.NumberColumn(
                "PMI", help="ln(together ÷ expected by chance); unbounded.", format="%.2f"
            ),
            "jaccard": st.column_config.NumberColumn(
                "Jaccard",
                help="Of the windows naming either, the share naming both.",
                format="%.2f",
            ),
        },
    )
    ui.download_buttons(near, "neighbours")
with right:
    neighbours = list(near["neighbour"])
    if neighbours:
        other = ui.param_select(
            "Sentences with",
            "pair_with",
            neighbours,
            default=neighbours[0],
            missing=f"is not a neighbour of {node} here",
        )
        key = f"pair|{window}|{node}|{other}"
        evidence = ui.call(
            f"{COOC}:find_pair_evidence",
            store,
            flt,
            node,
            other,
            window=window,
            limit=ui.evidence_limit(key),
        )
        if evidence is not None:
            row = near[near["neighbour"] == other]
            total = int(row["n_pair"].iloc[0]) if len(row) else None
            st.markdown(
                f"**{total if total is not None else len(evidence):,}** passage(s) with "
                f"**{ui.md(node)}** and **{ui.md(other)}**"
            )
            ui.show_evidence(
                evidence,
                key=key,
                total=total,
                text="window_text",
                spans=[("start_a", "end_a"), ("start_b", "end_b")],
            )
            ui.download_buttons(evidence, "pair_evidence")

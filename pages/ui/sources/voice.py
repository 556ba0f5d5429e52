"""The Sources page's share-of-voice heatmap: one cell per (source, entity), clickable."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pages.ui.format import hover_template, plot_text


def _percent(share: float) -> str:
    """A cell's share as printed on it: a share that rounds to 0% but is not 0 says "<1%"."""
    if pd.isna(share):
        return ""
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def voice_figure(voice: pd.DataFrame, measure: str, *, label: str) -> go.Figure:
    """The heatmap of ``measure`` (a column of ``count_share_of_voice``, said as ``label``).

    Streamlit reports no point for a click on a heatmap: an invisible square marker on each
    cell takes the hover and the click, its customdata the raw source and entity first.
    """
    grid = voice.pivot_table(index="source", columns="entity", values=measure, aggfunc="sum")
    counts = voice.pivot_table(index="source", columns="entity", values="n_mentions", aggfunc="sum")
    order = list(dict.fromkeys(voice["entity"]))  # most mentioned first
    grid = grid.reindex(columns=order).astype("float64")
    counts = counts.reindex(index=grid.index, columns=order).astype("float64")
    z = grid.to_numpy()
    # Per cell: raw source and entity (read by a click), then the escaped names and the count.
    custom = [
        [
            [src, ent, plot_text(src), plot_text(ent), 0 if pd.isna(n) else int(n)]
            for ent, n in zip(order, counts.loc[src], strict=True)
        ]
        for src in grid.index
    ]
    xs = [plot_text(e, limit=30) for e in order]
    ys = [plot_text(s, limit=30) for s in grid.index]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=xs,
            y=ys,
            colorscale="Blues",
            zmin=0,
            text=[[_percent(v) for v in row] for row in z],
            texttemplate="%{text}",
            hoverinfo="skip",
            colorbar={"tickformat": ".0%"},
            xgap=1,
            ygap=1,
        )
    )
    # Streamlit reports no point for a click on a heatmap: an invisible square marker on each
    # cell takes the hover and the click instead.
    cells = [(i, j) for i in range(len(ys)) for j in range(len(xs))]
    fig.add_trace(
        go.Scatter(
            x=[xs[j] for _, j in cells],
            y=[ys[i] for i, _ in cells],
            mode="markers",
            marker={"symbol": "square", "size": 40, "opacity": 0},
            customdata=[
                [*custom[i][j], None if pd.isna(z[i][j]) else float(z[i][j])] for i, j in cells
            ],
            hovertemplate=hover_template(
                "%{customdata[3]} in %{customdata[2]}",
                [
                    ("mentions", "%{customdata[4]:,}"),
                    (label, "%{customdata[5]:.1%}"),
                ],
            ),
            showlegend=False,
        )
    )
    fig.update_layout(
        height=max(220, 50 * len(grid) + 120),
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        # The markers would pad the axes: keep them to the cells.
        xaxis={"range": [-0.5, len(xs) - 0.5]},
        yaxis={"range": [-0.5, len(ys) - 0.5]},
    )
    return fig


def voice_counts_figure(voice: pd.DataFrame, *, measure: str = "n_mentions") -> go.Figure:
    """One source's mentions of each entity (``measure``: n_mentions, or share of its
    mentions) as bars: its share of voice would be 100% each. Most mentioned on top; a click
    reads the sentences (customdata: source, entity first)."""
    rows = voice.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=rows[measure].astype("float64"),
            y=[plot_text(e, limit=30) for e in rows["entity"]],
            orientation="h",
            customdata=[
                [src, ent, plot_text(ent), plot_text(src), float(share), int(n)]
                for src, ent, share, n in zip(
                    rows["source"],
                    rows["entity"],
                    rows["share"].fillna(0),
                    rows["n_mentions"],
                    strict=True,
                )
            ],
            hovertemplate=hover_template(
                "%{customdata[2]} in %{customdata[3]}",
                [
                    ("mentions", "%{customdata[5]:,}"),
                    ("share of its mentions", "%{customdata[4]:.1%}"),
                ],
            ),
            marker_color="#1f77b4",
        )
    )
    fig.update_layout(
        height=max(220, 26 * len(rows) + 60),
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        xaxis={
            "title": "mentions" if measure == "n_mentions" else "share of its mentions",
            "tickformat": ",d" if measure == "n_mentions" else ".0%",
        },
    )
    return fig

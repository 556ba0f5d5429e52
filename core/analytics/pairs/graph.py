"""Co-occurrence graphs: :func:`~core.analytics.pairs.cooccurrence.count_pairs` rows as a networkx
graph with communities and centrality, and a fixed-seed layout for the Network page to draw.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from core.analytics.query.engine import typed


def build_graph(pairs: pd.DataFrame, *, weight: str = "npmi") -> nx.Graph:
    """Build an undirected graph from :func:`~core.analytics.pairs.cooccurrence.count_pairs` rows.

    Edges carry every pair column and ``weight`` (the chosen column, clipped at 0 so that
    layouts and Louvain see only attraction). Nodes carry kind, country_code, n (windows
    holding the entity), community (Louvain, seed 0; 0 is the largest) and centrality
    (degree centrality).

    Returns: a ``networkx.Graph`` whose nodes are entity names.
    """
    if weight not in pairs.columns:
        raise ValueError(f"unknown weight {weight!r}; valid: {', '.join(pairs.columns)}")
    graph = nx.Graph()
    for row in pairs.to_dict("records"):
        for side in ("a", "b"):
            graph.add_node(
                row[f"entity_{side}"],
                kind=row.get(f"kind_{side}"),
                country_code=row.get(f"country_code_{side}"),
                n=row.get(f"n_{side}"),
            )
        value = row[weight]
        attrs = {k: v for k, v in row.items() if k not in ("entity_a", "entity_b")}
        attrs["weight"] = max(float(value), 0.0) if pd.notna(value) else 0.0
        graph.add_edge(row["entity_a"], row["entity_b"], **attrs)
    if graph.number_of_nodes() == 0:
        return graph
    total = sum(d["weight"] for _, _, d in graph.edges(data=True))
    comm_weight = "weight" if total > 0 else None
    communities = nx.community.louvain_communities(graph, weight=comm_weight, seed=0)
    communities = sorted(communities, key=lambda c: (-len(c), min(c)))
    for i, nodes in enumerate(communities):
        for node in nodes:
            graph.nodes[node]["community"] = i
    for node, value in nx.degree_centrality(graph).items():
        graph.nodes[node]["centrality"] = value
    return graph


def layout_graph(graph: nx.Graph, *, seed: int = 0) -> pd.DataFrame:
    """Place the nodes with networkx's spring layout (fixed seed) for the page to draw.

    Without scipy, graphs of 500+ nodes get a circular layout instead (networkx needs scipy
    for large spring layouts).

    Returns: one row per node: node, x, y.
    """
    cols = {"node": "string", "x": "Float64", "y": "Float64"}
    if graph.number_of_nodes() == 0:
        return typed(pd.DataFrame(), cols)
    try:
        pos = nx.spring_layout(graph, seed=seed, weight="weight")
    except ImportError:
        ordered = nx.Graph()
        ordered.add_nodes_from(sorted(graph.nodes))
        pos = nx.circular_layout(ordered)
    rows = [{"node": n, "x": float(p[0]), "y": float(p[1])} for n, p in pos.items()]
    return typed(pd.DataFrame(rows).sort_values("node"), cols)

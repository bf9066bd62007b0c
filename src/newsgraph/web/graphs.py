"""Graphs of who quotes whom and who reshares whom (store/export.py builds them with networkx): laid out on the
server and drawn as inline SVG (elements and presentation attributes only: no script, no inline style, so the
page's CSP holds)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..store.export import build_graph

__all__ = ["build_graph", "edge_rows", "svg"]

WIDTH, HEIGHT, PAD = 720, 440, 40
COLOURS = {"outlet": "#0b5fff", "person": "#b3261e", "post": "#2e7d32"}


def svg(graph, title: str) -> Markup:
    """The graph drawn as inline SVG: a spring layout (seeded: the same graph, the same picture), nodes as
    links to their pages, edges as arrows whose width grows with the weight."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return Markup("")
    pos = nx.spring_layout(graph, seed=7, k=1.2 / max(graph.number_of_nodes(), 1) ** 0.5, iterations=60)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def at(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return (PAD + (x - min(xs)) / span_x * (WIDTH - 2 * PAD), PAD + (y - min(ys)) / span_y * (HEIGHT - 2 * PAD))

    top = max((d["weight"] for _, _, d in graph.edges(data=True)), default=1)
    parts = [f'<svg class="graph" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="group" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>']
    for a, b, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = at(a), at(b)
        width = 1 + 3 * data["weight"] / top
        dash = ' stroke-dasharray="4 3"' if data["kind"] == "answers" else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
                     f'stroke-width="{width:.1f}"{dash} marker-end="url(#arrow)"><title>{escape(graph.nodes[a]["label"])} '
                     f'{data["kind"]} {escape(graph.nodes[b]["label"])} ×{data["weight"]}</title></line>')
    for node, data in graph.nodes(data=True):
        x, y = at(node)
        label = str(data["label"])
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(f'<a href="{escape(data["href"])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="7" '
                     f'fill="{COLOURS[data["kind"]]}"/><text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="12" '
                     f'fill="#1d1d1f">{escape(short)}</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def edge_rows(graph) -> list[dict[str, Any]]:
    """The edges as rows (the table beside the picture), heaviest first."""
    rows = [{"source": graph.nodes[a]["label"], "source_href": graph.nodes[a]["href"], "kind": d["kind"],
             "target": graph.nodes[b]["label"], "target_href": graph.nodes[b]["href"], "weight": d["weight"]}
            for a, b, d in graph.edges(data=True)]
    return sorted(rows, key=lambda r: (-r["weight"], r["source"], r["target"]))

"""Graphs: who quotes whom (outlet -> speaker) and who reshares or answers whom (poster -> poster), for a
story, around a person, or the whole store; as a page (SVG), node-link JSON, GraphML or GEXF (for Gephi)."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response

from ..deps import QueriesDep, Text, clean

api = APIRouter(prefix="/api/graph", tags=["graphs"])
pages = APIRouter(include_in_schema=False)
Format = Annotated[Literal["json", "graphml", "gexf"], Query(description="json (node-link), graphml or gexf.")]


def _graph(queries, story_id: str | None, entity_id: str | None):
    from ...store.export import build_graph

    return build_graph(queries.quote_edges(story_id=story_id, entity_id=entity_id),
                 queries.reshare_edges(story_id=story_id, entity_id=entity_id))


def graph_file(graph, fmt: str) -> tuple[bytes, str]:
    """The graph as GraphML or GEXF bytes and their media type."""
    import networkx as nx

    out = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, out)
    return out.getvalue(), "application/xml"


@api.get("")
def get_graph(queries: QueriesDep, story_id: Text = None, entity_id: Text = None, format: Format = "json"):  # noqa: A002
    """Who quotes whom and who reshares whom: in one story (`story_id`), around one person (`entity_id`), or
    in the whole store (at most the 300 heaviest edges of each kind)."""
    import networkx as nx

    graph = _graph(queries, clean(story_id), clean(entity_id))
    if format == "json":
        return nx.node_link_data(graph, edges="edges")
    body, media = graph_file(graph, format)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="newsgraph.{format}"'})


def _page(request: Request, queries, title: str, back: str, story_id=None, entity_id=None):
    from ...web.graphs import edge_rows, svg

    graph = _graph(queries, story_id, entity_id)
    query = f"story_id={story_id}" if story_id else f"entity_id={entity_id}"
    return request.app.state.templates.TemplateResponse(
        request, "graph.html", {"title": title, "back": back, "svg": svg(graph, title), "rows": edge_rows(graph),
                                "api": f"/api/graph?{query}", "query": query})


@pages.get("/stories/{story_id}/graph")
def story_graph_page(request: Request, story_id: str, queries: QueriesDep):
    story = queries.story(clean(story_id) or "", quote_limit=0)
    if story is None:
        raise HTTPException(404, "no such story")
    return _page(request, queries, f"Who quotes and reshares whom: {story['title'] or story['id']}",
                 f"/stories/{story['id']}", story_id=story["id"])


@pages.get("/entities/{entity_id}/graph")
def entity_graph_page(request: Request, entity_id: str, queries: QueriesDep):
    name = queries.entity_name(clean(entity_id) or "")
    if name is None:
        raise HTTPException(404, "no such entity")
    return _page(request, queries, f"Around {name}: who quotes and reshares whom", f"/entities/{entity_id}",
                 entity_id=entity_id)

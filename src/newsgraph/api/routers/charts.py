"""Charts as SVG images (web/charts.py): a story's coverage per day, a person's quotes per month, an outlet's
articles per month, articles per outlet. Each is the picture of numbers its page also lists as a table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from ..deps import QueriesDep, clean

api = APIRouter(include_in_schema=False)
pages = APIRouter(include_in_schema=False)
Id = Annotated[str, Query(min_length=1, max_length=500)]
# the chart's own CSP: pygal writes inline styles; an SVG shown by <img> runs no script whatever it holds
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _svg(body: str) -> Response:
    return Response(body, media_type="image/svg+xml",
                    headers={"Content-Security-Policy": SVG_CSP, "Cache-Control": "max-age=60"})


@pages.get("/charts/story.svg")
def story_chart(queries: QueriesDep, id: Id):  # noqa: A002 - the story's id
    from ...web.charts import bar_chart, per_day

    coverage = queries.story_coverage(clean(id) or "")
    if coverage is None:
        raise HTTPException(404, "no such story")
    return _svg(bar_chart("Articles per day", per_day(coverage)))


@pages.get("/charts/person.svg")
def person_chart(queries: QueriesDep, id: Id):  # noqa: A002 - the entity's id
    from ...web.charts import bar_chart

    months = queries.quotes_per_month(clean(id) or "")
    return _svg(bar_chart("Quotes per month", [(m["month"], m["count"]) for m in months]))


@pages.get("/charts/outlet.svg")
def outlet_chart(queries: QueriesDep, name: Id):
    from ...web.charts import bar_chart

    months = queries.outlet_months(clean(name) or "")
    return _svg(bar_chart("Articles per month", [(m["month"], m["count"]) for m in months]))


@pages.get("/charts/outlets.svg")
def outlets_chart(queries: QueriesDep):
    from ...web.charts import bar_chart

    items = queries.outlets(limit=30)
    return _svg(bar_chart("Articles per outlet", [(o["outlet"], o["article_count"]) for o in items],
                          horizontal=True))

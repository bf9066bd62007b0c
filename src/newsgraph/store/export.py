"""Export a store: the contract records (JSONL), flat tables per record kind (CSV, Parquet), or GDELT GKG 2.1."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from urllib.parse import quote, urlsplit

from ..errors import Msg
from ..safe import dumps
from . import StoreError
from .queries import Queries

FORMATS = ("jsonl", "csv", "parquet", "gkg", "graphml", "gexf")

# flat tables: name -> columns; every row also carries the doc_id of its article
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("doc_id", "source", "title", "url", "outlet", "published", "published_source", "tone", "story_id", "authors",
                 "errors", "text"),
    "entities": ("doc_id", "id", "name", "label", "mentions", "roles", "role_spans"),
    "quotes": ("doc_id", "text", "start", "end", "direct", "speaker", "speaker_id", "speaker_span", "cue",
               "anonymous", "spans", "post_id", "kind"),
    # what a source believes, wants, fears or plans: the quotes' columns, kept apart from speech
    "stances": ("doc_id", "text", "start", "end", "direct", "speaker", "speaker_id", "speaker_span", "cue",
                "anonymous", "spans", "post_id", "kind"),
    "social_posts": ("doc_id", "id", "platform", "author", "handle", "date", "text", "url", "embedded", "metrics",
                     "reshares", "reacts_to"),
    "dates": ("doc_id", "text", "start", "end", "value"),
    "amounts": ("doc_id", "text", "start", "end", "value", "value_to", "object", "approx"),
}

# GDELT Global Knowledge Graph 2.1, the 27 tab-separated columns in their order
GKG_COLUMNS = ("GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier",
               "Counts", "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons",
               "Organizations", "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages",
               "SocialImageEmbeds", "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo",
               "Extras")
GKG_LOCATION_TYPES = {"GPE": 4, "LOC": 4, "FAC": 4}  # GKG: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
VIDEO_PLATFORMS = {"youtube", "tiktok", "vimeo"}


def flat_rows(records: Iterable[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) for every record and every item in it; lists and dicts as JSON text."""
    for record in records:
        yield "articles", {k: record.get(k) for k in TABLES["articles"]}
        for kind in ("entities", "quotes", "stances", "social_posts", "dates", "amounts"):
            for item in record.get(kind) or []:
                yield kind, {"doc_id": record["doc_id"], **{k: item.get(k) for k in TABLES[kind][1:]}}


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return dumps(value)
    return value


def export_jsonl(queries: Queries, out: TextIO) -> int:
    n = 0
    for record in queries.records():
        out.write(dumps(record) + "\n")
        n += 1
    return n


def export_csv(queries: Queries, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: open(folder / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
             for name in TABLES}
    try:
        writers = {name: csv.DictWriter(f, fieldnames=TABLES[name]) for name, f in files.items()}
        for w in writers.values():
            w.writeheader()
        n = 0
        for table, row in flat_rows(queries.records()):
            writers[table].writerow({k: _cell(v) for k, v in row.items()})
            n += table == "articles"
    finally:
        for f in files.values():
            f.close()
    return n


def export_parquet(queries: Queries, folder: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError(Msg.NG404, format="parquet", package="pyarrow", extra="parquet") from exc
    folder.mkdir(parents=True, exist_ok=True)
    columns: dict[str, dict[str, list]] = {name: {c: [] for c in cols} for name, cols in TABLES.items()}
    for table, row in flat_rows(queries.records()):
        for k, v in row.items():
            columns[table][k].append(_cell(v))
    for name, data in columns.items():
        pq.write_table(pa.table(data), folder / f"{name}.parquet")
    return len(columns["articles"]["doc_id"])


def _gkg_text(value: str | None) -> str:
    """GKG fields are delimited by tabs, `;`, `#`, `|` and `,`: none of them may appear inside a value."""
    return " ".join((value or "").replace(";", " ").replace("#", " ").replace("|", " ").replace(",", " ").split())


def gkg_row(record: dict[str, Any], n: int) -> list[str]:
    day = (record.get("published") or "").replace("-", "")
    stamp = (day + "000000") if len(day) == 8 else ""
    names: dict[str, list[str]] = {"PERSON": [], "ORG": [], "LOC": []}
    enhanced: dict[str, list[str]] = {"PERSON": [], "ORG": [], "LOC": []}
    all_names: list[str] = []
    for e in record.get("entities") or []:
        name = _gkg_text(e.get("name"))
        offsets = [m[0] for m in e.get("mentions") or []] or [0]
        kind = "LOC" if e.get("label") in GKG_LOCATION_TYPES else e.get("label")
        if kind == "LOC":
            loc = f"{GKG_LOCATION_TYPES[e['label']]}#{name}#####"
            names["LOC"].append(loc)
            enhanced["LOC"].extend(f"{loc}#{o}" for o in offsets)
        elif kind in names:
            names[kind].append(name)
            enhanced[kind].extend(f"{name},{o}" for o in offsets)
        all_names.extend(f"{name},{o}" for o in offsets)
    tone = float(record.get("tone") or 0.0) * 10  # GKG tone runs about -10..10; ours -1..1
    words = len((record.get("text") or "").split())
    dates = []
    for d in record.get("dates") or []:
        value = d.get("value") or ""
        parts = value.split("-")
        if value and parts[0].isdigit() and len(parts[0]) == 4 and "W" not in value:
            resolution = {1: 1, 2: 2, 3: 4}.get(len(parts), 1)  # 1 year, 2 month, 4 day (GKG: 3 = month-day)
            month = parts[1] if len(parts) > 1 else "0"
            dayn = parts[2] if len(parts) > 2 else "0"
            dates.append(f"{resolution}#{int(month)}#{int(dayn)}#{parts[0]}#{d.get('start', 0)}")
    quotations = []
    for q in record.get("quotes") or []:
        body = " ".join((q.get("text") or "").replace("|", " ").replace("#", " ").split())
        if q.get("start") is not None:
            quotations.append(f"{q['start']}|{len(q.get('text') or '')}|{_gkg_text(q.get('cue'))}|{body}")
    amounts = [f"{a['value']},{_gkg_text(a.get('object'))},{a.get('start', 0)}"
               for a in record.get("amounts") or [] if a.get("value") is not None]
    images, videos = [], []
    for p in record.get("social_posts") or []:
        if p.get("url"):
            (videos if p.get("platform") in VIDEO_PLATFORMS else images).append(p["url"].replace(";", "%3B"))
    url = record.get("url") or record.get("source") or ""
    outlet = record.get("outlet") or (urlsplit(url).hostname or "" if "://" in url else "")
    extras = (f"<PAGE_TITLE>{_xml(record.get('title'))}</PAGE_TITLE>"
              f"<NEWSGRAPH_DOC_ID>{_xml(record.get('doc_id'))}</NEWSGRAPH_DOC_ID>"
              f"<NEWSGRAPH_STORY_ID>{_xml(record.get('story_id'))}</NEWSGRAPH_STORY_ID>")
    row = [f"{stamp or '00000000000000'}-{n}", stamp, "1", _gkg_text(outlet), url.replace("\t", " "),
           "", "", "", "", ";".join(names["LOC"]), ";".join(enhanced["LOC"]),
           ";".join(names["PERSON"]), ";".join(enhanced["PERSON"]), ";".join(names["ORG"]), ";".join(enhanced["ORG"]),
           f"{tone:.6f},{max(tone, 0):.6f},{max(-tone, 0):.6f},{abs(tone):.6f},0,0,{words}",
           ";".join(dates), f"wc:{words}", "", "", ";".join(images), ";".join(videos),
           "#".join(quotations), ";".join(all_names), ";".join(amounts), "", extras]
    return [_GKG_BREAKS.sub(" ", c) for c in row]


# a GKG cell holds no tab and no line break of any reader (str.splitlines breaks at all of these), nor NUL
_GKG_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _xml(value: str | None) -> str:
    return (value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export_gkg(queries: Queries, out: TextIO, header: bool = False) -> int:
    """GKG 2.1 rows, tab-separated, no header (as GDELT ships them) unless `header`."""
    if header:
        out.write("\t".join(GKG_COLUMNS) + "\n")
    n = 0
    for n, record in enumerate(queries.records(), start=1):
        out.write("\t".join(gkg_row(record, n)) + "\n")
    return n


# A spreadsheet runs a cell that starts with one of these as a formula: such text gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK = 64 * 1024


def _sheet_cell(value: Any) -> Any:
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_lines(rows: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    """A list (the rows of Queries.stream) as CSV text in chunks of about 64 KB, header first: a response
    streams it row by row, so a download of 100,000 rows never holds them all."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _sheet_cell(v) for k, v in row.items()})
        if buffer.tell() >= CSV_CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# ---- graphs: who quotes whom, who reshares whom (GraphML and GEXF open in Gephi and networkx)
GRAPH_FORMATS = ("graphml", "gexf")
GRAPH_ALL = 10_000_000  # the export's graph: every edge (the pages draw the heaviest few hundred)


def _person(name: str | None, handle: str | None, post_id: str) -> str:
    return name or (f"@{handle}" if handle else post_id)


def build_graph(quote_edges: list[dict[str, Any]], reshare_edges: list[dict[str, Any]]):
    """A directed multigraph-free graph: outlet -> person `quotes` (weight: quotes), person -> person
    `reshares`/`answers` (weight: posts). People are their entity ids where known, else their post names."""
    import networkx as nx

    graph = nx.DiGraph()
    for e in quote_edges:
        outlet, person = f"outlet:{e['outlet']}", f"entity:{e['speaker_id']}"
        graph.add_node(outlet, label=e["outlet"], kind="outlet", href=f"/outlets/{quote(e['outlet'], safe='')}")
        graph.add_node(person, label=e["speaker"], kind="person", href=f"/entities/{quote(e['speaker_id'], safe='')}")
        graph.add_edge(outlet, person, kind="quotes", weight=int(e["count"]))
    for e in reshare_edges:
        ends = []
        for side in ("source", "target"):
            label = _person(e[f"{side}_author"], e[f"{side}_handle"], e[side])
            node = f"poster:{label.lower()}"
            if node not in graph:
                graph.add_node(node, label=label, kind="post", href=f"/posts/{quote(e[side], safe='')}")
            ends.append(node)
        if ends[0] == ends[1]:
            continue
        if graph.has_edge(*ends):
            graph.edges[ends]["weight"] += 1
        else:
            graph.add_edge(*ends, kind=e["kind"], weight=1)
    return graph


def export_graph(queries: Queries, out: BinaryIO, fmt: str) -> int:
    """The whole store's graph (every outlet -> speaker and poster -> poster edge) as GraphML or GEXF; returns
    the number of edges."""
    import networkx as nx

    graph = build_graph(queries.quote_edges(limit=GRAPH_ALL), queries.reshare_edges(limit=GRAPH_ALL))
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, out)
    return graph.number_of_edges()

"""The `newsgraph` command: thin; it parses options, builds Settings and hands over to the batch run."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from . import __version__
from .batch import Summary, run_extract
from .config import load_settings
from .errors import Msg, NewsgraphError
from .ingest import Problem
from .safe import for_terminal, fs_name

app = typer.Typer(
    name="newsgraph",
    help="Who said what, where, when, citing which social media posts: a linked record of news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
MAX_SHOWN_PER_INPUT = 20


def say(markup: str, *plain: object) -> None:
    """Print to stderr: `markup` is ours (rich markup); each of `plain` (paths, messages, article text) is
    shown for the terminal, control characters escaped, and as text, never as markup. `{}` places them."""
    err.print(markup.format(*(escape(for_terminal(p)) for p in plain)))


# exit status per message code where it is not 2 (a usage or input failure)
EXIT_STATUS = {"NG403": 1}


@contextmanager
def coded_errors() -> Iterator[None]:
    """The one way out of a command for failures a user can act on: a coded message and an exit status,
    never a traceback. An OSError is an output (or a store file) that cannot be written or opened."""
    try:
        yield
    except NewsgraphError as exc:
        say("[red]error:[/red] {}", exc.text)
        raise typer.Exit(EXIT_STATUS.get(exc.code, 2)) from exc
    except OSError as exc:
        say("[red]error:[/red] {}", Msg.NG405.format(path=fs_name(str(exc.filename or "-")),
                                                     detail=exc.strerror or exc))
        raise typer.Exit(2) from exc


def _check_outputs(inputs: list[str], *outputs: Path | None) -> None:
    """An output that is also an input would be truncated before it is read: refused before anything opens."""
    named = set()
    for name in inputs:
        try:
            st = Path(name).stat()
        except OSError:
            continue
        named.add((st.st_dev, st.st_ino))
    for output in outputs:
        if output is None:
            continue
        try:
            st = output.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in named:
            raise NewsgraphError(Msg.NG503, path=fs_name(str(output)))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsgraph {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """newsgraph turns news articles into quotes, speakers, posts, entities, dates and stories."""


ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", envvar="NEWSGRAPH_CONFIG", exists=True,
                                                   dir_okay=False, help="A settings file laid over the defaults.")]


DaskOption = Annotated[str | None, typer.Option(
    "--dask", envvar="NEWSGRAPH_DASK", metavar="ADDRESS",
    help="Extract on Dask workers: a scheduler address (tcp://host:8786) or local:N for N worker processes here. "
         "Linking stays in input order, so records equal a run without it. Needs the 'scale' extra.")]
PartitionOption = Annotated[int | None, typer.Option(
    "--partition-size", min=1, help="Articles (one-article files, JSONL lines, WARC page records) per partition "
                                    "with --dask or parquet output; a restarted run skips partitions already "
                                    "written (setting scale.partition_size, 64).")]


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or - for stdin.",
                                                show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write records here instead of stdout.")] = None,
    format: Annotated[str, typer.Option("--format", help="Output format: jsonl, or parquet (a folder: -o DIR, "
                                        "one file per partition, resumable).")] = "jsonl",
    config: ConfigOption = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model package (setting nlp.model).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1,
                                                help="Extraction processes (setting run.workers).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1,
                                                   help="Articles per nlp.pipe batch (setting nlp.batch_size).")] = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", min=1,
                                                  help="Largest input read whole (setting ingest.max_bytes).")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding",
                                                 help="Encoding of text/JSONL/CSV inputs (setting ingest.encoding).")] = None,
    dedupe: Annotated[bool | None, typer.Option("--dedupe/--no-dedupe",
                                                help="Skip repeated URLs and texts (setting ingest.dedupe).")] = None,
    strict: Annotated[bool | None, typer.Option("--strict", help="Exit 1 when any input could not be read.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the run summary as JSON here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")] = False,
    dask: DaskOption = None,
    partition_size: PartitionOption = None,
) -> None:
    """Extract the contract record (see CONTRACT.md) of every article in INPUT..., one JSON line each."""
    if format not in ("jsonl", "parquet"):
        raise typer.BadParameter(f"unknown format {format!r}; supported: jsonl, parquet", param_hint="--format")
    if format == "parquet" and output is None:
        raise typer.BadParameter("parquet output is a folder: give it with -o DIR", param_hint="--output")
    with coded_errors():
        settings = load_settings(config, model=model, workers=workers, batch_size=batch_size,
                                 max_bytes=max_bytes, encoding=encoding, dedupe=dedupe, strict=strict)
        _check_outputs(inputs, output, report)

    shown: Counter[str] = Counter()

    def show_problem(p: Problem) -> None:
        # a file of ten thousand bad lines gets a few lines of report, not ten thousand
        shown[p.path] += 1
        if shown[p.path] > MAX_SHOWN_PER_INPUT:
            return
        style = "red" if p.fatal else "yellow"
        say(f"[{style}]{{}}[/{style}]: {{}}", p.path, p.reason)
        if shown[p.path] == MAX_SHOWN_PER_INPUT:
            say("{}: further problems in this input are counted, not shown (see --report)", p.path)

    if dask or format == "parquet":
        summary = _extract_partitioned(inputs, settings, output, format, dask, partition_size, report,
                                       show_problem, quiet)
        _finish(summary, settings, output, report, quiet)
        return

    with coded_errors():
        out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    own_files = [p for p in (output, report) if p]
    show_progress = not quiet and err.is_terminal
    try:
        with coded_errors(), _maybe_progress(show_progress) as advance:
            summary = run_extract(inputs, settings, out, on_problem=show_problem, skip=own_files, on_record=advance)
    finally:
        if output:
            out.close()
    _finish(summary, settings, output, report, quiet)


@contextmanager
def _maybe_progress(show: bool) -> Iterator[Callable[[object], None] | None]:
    if not show:
        yield None
        return
    with Progress(SpinnerColumn(), TextColumn("extracting"), BarColumn(bar_width=None),
                  MofNCompleteColumn(), TextColumn("articles"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("extract", total=None)
        yield lambda _r: progress.advance(task)


def _finish(summary: Summary, settings, output: Path | None, report: Path | None, quiet: bool) -> None:
    if report:
        with coded_errors():
            report.write_text(json.dumps(summary.to_dict(), indent=2) + "\n", encoding="utf-8")
    if not quiet:
        say("{}", _summary_line(summary, output))
    if summary.interrupted:
        raise typer.Exit(130)
    if settings.strict and summary.failed:
        raise typer.Exit(1)


# ---- scale-out (issue 7): --dask ADDRESS | local:N, partitioned Parquet, resumable ingest

@contextmanager
def _runner(dask: str | None, quiet: bool = False) -> Iterator[object]:
    """A Dask runner for --dask, else partitions run in this process; coded errors become exit status 2."""
    from .scale.dask_run import LocalRunner, dask_runner

    if not dask:
        yield LocalRunner()
        return
    with dask_runner(dask) as runner:
        if not quiet:
            err.print(f"newsgraph: {runner.workers} Dask worker{'s' * (runner.workers != 1)}"
                      + (f", dashboard {runner.dashboard_link}" if runner.dashboard_link else ""))
        yield runner


@contextmanager
def _partition_progress(show: bool) -> Iterator[dict]:
    """Callbacks for a partitioned run: a progress bar of articles over the planned partitions."""
    if not show:
        yield {}
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
                  MofNCompleteColumn(), TextColumn("articles"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("extracting", total=None)

        def planned(parts: list) -> None:
            progress.update(task, total=sum(p.articles for p in parts),
                            description=f"extracting {len(parts)} partition{'s' * (len(parts) != 1)}")

        def advanced(part, _written: int) -> None:
            progress.advance(task, part.articles)

        yield {"on_plan": planned, "on_partition": advanced}


def _extract_partitioned(inputs: list[str], settings, output: Path | None, format: str, dask: str | None,
                         partition_size: int | None, report: Path | None, show_problem, quiet: bool
                         ) -> Summary:
    from .batch import run_partitioned

    own_files = [p for p in (output, report) if p]
    out = None
    sink = None
    with coded_errors():
        if format == "parquet":
            from .scale.parquet import ParquetSink

            sink = ParquetSink(output)  # type: ignore[arg-type]
        else:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            with _runner(dask, quiet) as runner, _partition_progress(not quiet and err.is_terminal) as hooks:
                return run_partitioned(inputs, settings, runner, out=out, sink=sink, partition_size=partition_size,
                                       on_problem=show_problem, skip=own_files, on_notice=_notice, **hooks)
        finally:
            if out is not None and output:
                out.close()


def _notice(text: str) -> None:
    say("newsgraph: {}", text)


def _summary_line(summary: Summary, output: Path | None) -> str:
    where = f" to {output}" if output else ""
    rate = summary.articles / summary.seconds if summary.seconds else 0.0
    parts = [f"newsgraph: {summary.articles} article{'s' * (summary.articles != 1)} written{where}"
             f" in {summary.seconds:.1f}s ({rate:.1f}/s)"]
    if summary.notices:
        parts.append(f"{len(summary.notices)} notice{'s' * (len(summary.notices) != 1)} (duplicates skipped, ...)")
    if summary.failed:
        inputs = len({p.path for p in summary.failed})
        parts.append(f"{len(summary.failed)} problem{'s' * (len(summary.failed) != 1)} in {inputs} "
                     f"input{'s' * (inputs != 1)}: not extracted (listed above)")
    if summary.interrupted:
        parts.append("interrupted")
    return ", ".join(parts)


# ---- the store: ingest, serve, export, show (issue 6)

DbOption = Annotated[str, typer.Option("--db", envvar="NEWSGRAPH_DB",
                                       help="Store: a SQLite file path or sqlite:///..., or postgresql://...")]


def _is_missing_file(db: str) -> bool:
    """A SQLite store named by a path (or sqlite:///path) that is not there."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(db) if "://" in db else None
    except Exception:  # noqa: BLE001 - not a URL: a path
        url = None
    if url is not None and not url.drivername.startswith("sqlite"):
        return False
    path = url.database if url is not None else db
    return bool(path) and path != ":memory:" and not path.startswith("file:") and not Path(path).exists()


def _open_store(db: str, migrate: bool):
    from .store import open_store

    with coded_errors():
        return open_store(db, migrate=migrate)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or - for stdin.",
                                                show_default=False)],
    db: DbOption = "newsgraph.db",
    config: ConfigOption = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model package (setting nlp.model).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1,
                                                help="Extraction processes (setting run.workers).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1,
                                                   help="Articles per nlp.pipe batch (setting nlp.batch_size).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
    dask: DaskOption = None,
    partition_size: PartitionOption = None,
) -> None:
    """Extract INPUT... and save the linked records into a store (re-ingesting an article is a no-op).

    With --dask, each partition is written in one transaction with a mark: a run killed half-way and started
    again skips the partitions already stored and loses nothing.
    """
    from .store.ingest import ingest as ingest_into
    from .store.ingest import ingest_partitioned

    with coded_errors():
        settings = load_settings(config, model=model, workers=workers, batch_size=batch_size)
    store = _open_store(db, migrate=True)
    unchanged = written = 0

    def counted(_record, changed: bool) -> None:
        nonlocal unchanged, written
        unchanged += not changed
        written += changed

    def skipped(_article) -> None:
        nonlocal unchanged
        unchanged += 1

    def show_problem(p: Problem) -> None:
        style = "red" if p.fatal else "yellow"
        say(f"[{style}]{{}}[/{style}]: {{}}", p.path, p.reason)

    with coded_errors(), closing(store):
        if dask:
            with _runner(dask, quiet) as runner, _partition_progress(not quiet and err.is_terminal) as hooks:
                summary = ingest_partitioned(inputs, settings, store, runner, partition_size=partition_size,
                                             on_problem=show_problem, on_record=counted, on_skip=skipped,
                                             on_notice=_notice, **hooks)
        else:
            summary = ingest_into(inputs, settings, store, on_problem=show_problem, on_record=counted,
                                  on_skip=skipped)
    if not quiet:
        say(f"newsgraph: {written} article{'s' * (written != 1)} stored in {{}}, {unchanged} unchanged, "
            f"{len(summary.failed)} failed, in {summary.seconds:.1f}s", db)
    if summary.interrupted:
        raise typer.Exit(130)


@app.command()
def serve(
    db: DbOption = "newsgraph.db",
    host: Annotated[str, typer.Option("--host", help="Interface to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    allow_write: Annotated[bool, typer.Option("--allow-write", help="Accept POST /api/articles (needs --token).")] = False,
    token: Annotated[str | None, typer.Option("--token", envvar="NEWSGRAPH_TOKEN",
                                              help="Bearer token for writes.")] = None,
    config: ConfigOption = None,
    create: Annotated[bool, typer.Option("--create", help="Make an empty store when --db names no file "
                                                          "(else a mistyped path is an error).")] = False,
) -> None:
    """Serve the web UI and the JSON API (/api/, docs at /docs) over a store; read-only by default."""
    import uvicorn

    from .api import create_app

    if allow_write and not token:
        raise typer.BadParameter("--allow-write needs --token (or NEWSGRAPH_TOKEN)", param_hint="--token")
    if not create and _is_missing_file(db):  # a mistyped --db would otherwise serve a new, empty store
        _open_store(db, migrate=False)  # NG406: no store there
    store = _open_store(db, migrate=True)  # upgrades the schema (or makes it, with --create); serving only reads
    with coded_errors():
        settings = load_settings(config) if allow_write else None
    application = create_app(store, allow_write=allow_write, token=token, settings=settings)
    say(f"newsgraph: serving {{}} on http://{host}:{port}/" + (" (writes allowed)" if allow_write else ""), db)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def export(
    db: DbOption = "newsgraph.db",
    format: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet | gkg | graphml | gexf")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="File (jsonl, gkg: default stdout; graphml, gexf) or folder (csv, parquet).")] = None,
    header: Annotated[bool, typer.Option("--header", help="gkg: write a header row (GDELT files have none).")] = False,
) -> None:
    """Export a store: contract records (jsonl), flat tables per record kind (csv, parquet), GDELT GKG 2.1 (gkg), or
    the graph of who quotes and reshares whom (graphml, gexf: -o FILE, default newsgraph.graphml)."""
    from .store import export as ex

    if format not in ex.FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; supported: {', '.join(ex.FORMATS)}",
                                 param_hint="--format")
    store = _open_store(db, migrate=False)
    with coded_errors(), closing(store):
        if format in ex.GRAPH_FORMATS:  # who quotes whom, who reshares whom: a file for Gephi
            target = output or Path(f"newsgraph.{format}")
            with open(target, "wb") as graph_out:
                edges = ex.export_graph(store.queries, graph_out, format)
            say(f"newsgraph: {edges} edge{'s' * (edges != 1)} exported as {format} to {{}}", str(target))
            return
        if format in ("csv", "parquet"):
            folder = output or Path(f"newsgraph-{format}")
            n = (ex.export_csv if format == "csv" else ex.export_parquet)(store.queries, folder)
            where = str(folder)
        else:
            out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
            try:
                n = (ex.export_jsonl(store.queries, out) if format == "jsonl"
                     else ex.export_gkg(store.queries, out, header=header))
            finally:
                if output:
                    out.close()
            where = str(output) if output else "stdout"
    say(f"newsgraph: {n} article{'s' * (n != 1)} exported as {format} to {{}}", where)


@app.command()
def show(
    query: Annotated[str, typer.Argument(help="An entity or story id, or a part of an entity's name.")],
    db: DbOption = "newsgraph.db",
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows per table.")] = 15,
) -> None:
    """Show an entity (roles, quotes by date, posts) or a story (timeline, key quotes) in the terminal."""
    from .store.show import render_entity, render_story

    store = _open_store(db, migrate=False)
    with coded_errors(), closing(store):
        found = store.queries.resolve(query)
        if found is None:
            raise NewsgraphError(Msg.NG403, query=query)
        kind, key = found
        console = Console(highlight=False)
        if kind == "story":
            render_story(console, store.queries.story(key, quote_limit=limit), limit)
        else:
            render_entity(console, store.queries.entity(key, quote_limit=limit), limit)


@app.command()
def watch(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Feed, sitemap or home page URLs, or files of URLs (one a line); also [watch] sources.",
        show_default=False)] = None,
    db: DbOption = "newsgraph.db",
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="One pass (poll, fetch, store), then exit: for cron.")] = False,
    contact: Annotated[str | None, typer.Option("--contact", help="E-mail or URL sent in the User-Agent "
                                                                  "(setting watch.contact).")] = None,
    dask: DaskOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors.")] = False,
) -> None:
    """Follow sources: poll them, fetch new articles politely (robots.txt, one request at a time per host),
    extract, link and store them as they arrive. Ctrl-C stops; a restart carries on."""
    import asyncio

    from .errors import Msg
    from .watch.config import WatchConfig

    try:
        from .watch.run import Watcher
    except ModuleNotFoundError as exc:
        err.print(f"[red]error:[/red] {escape(Msg.NG601.format(feature='newsgraph watch', package=exc.name, extra='watch'))}")
        raise typer.Exit(2) from exc

    try:
        settings = load_settings(config)
        watch_config = WatchConfig.from_settings(settings.watch, contact=contact)
    except NewsgraphError as exc:
        err.print(f"[red]error:[/red] {escape(exc.text)}")
        raise typer.Exit(2) from exc
    store = _open_store(db, migrate=True)

    def show(event) -> None:
        if event.kind == "error":
            err.print(f"[yellow]{escape(event.source or '')}[/yellow]: {escape(event.text)}")
        elif not quiet:
            err.print(f"newsgraph: {escape(event.url or event.source or '')} {escape(event.text)}".replace("  ", " "))

    try:
        with _runner(dask, quiet) as runner:
            watcher = Watcher(store, settings, watch_config, on_event=show, runner=runner if dask else None)
            names = watcher.add([*(sources or []), *watch_config.sources])
            if not names and not _has_sources(store):
                err.print("[red]error:[/red] no sources: name feeds, sitemaps, pages or files, or set [watch] sources")
                raise typer.Exit(2)
            asyncio.run(watcher.run(once=once, only=names or None))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except NewsgraphError as exc:
        err.print(f"[red]error:[/red] {escape(exc.text)}")
        raise typer.Exit(2) from exc
    finally:
        store.close()


def _has_sources(store) -> bool:
    from .watch import state

    return bool(state.report(store)["sources"])


@app.command()
def status(db: DbOption = "newsgraph.db") -> None:
    """What `newsgraph watch` has done: each source's last and next poll, errors and articles stored."""
    from .watch import state
    from .watch.report import render

    store = _open_store(db, migrate=False)
    try:
        render(Console(highlight=False), state.report(store))
    finally:
        store.close()


def main() -> None:
    app()


if __name__ == "__main__":
    main()

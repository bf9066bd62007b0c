"""Coded messages, one catalogue: NG1xx ingest, NG2xx extract, NG3xx link, NG4xx store, NG5xx config, NG60x scale, NG61x watch."""

from __future__ import annotations

from enum import Enum


class Msg(Enum):
    # ingest
    NG101 = "cannot read: {detail}"
    NG102 = "empty input"
    NG103 = "binary content, not text ({detail})"
    NG104 = "not valid {encoding}: {detail}"
    NG105 = "too large: {size} bytes, limit is {limit} (setting ingest.max_bytes)"
    NG106 = "malformed JSON on line {line}: {detail}"
    NG107 = "{where} has no text"
    NG108 = "malformed CSV: {detail}"
    NG109 = "CSV has no text column (columns: {columns})"
    NG110 = "truncated or corrupt gzip stream: {detail}"
    NG111 = "WARC record {index} ({url}): {detail}"
    NG112 = "malformed WARC: {detail}"
    NG113 = "malformed feed: {detail}"
    NG114 = "no article text found in the page"
    NG115 = "duplicate of {first} (same {by}); processed once"
    NG116 = "no such file or folder"
    NG117 = "unknown kind of input: {detail}"
    NG118 = "{where} is not a JSON object"
    NG120 = "no HTML responses or text conversions among its {count} WARC records; nothing to extract"
    NG119 = "text too long: {size} characters, limit is {limit} (setting nlp.max_chars)"
    NG123 = "too many tokens: about {size}, limit is {limit} (setting nlp.max_tokens)"
    NG124 = "page too large to extract: {detail}"
    NG121 = "not a regular file (a named pipe, socket or device); passed over"
    NG122 = "cannot be read: {detail}"
    # extract
    NG201 = "extractor {name} failed: {detail}"
    NG202 = "spaCy model {model!r} is not installed; install it with: pip install {package}"
    NG203 = "component {name} needs {package}; install it with: pip install 'newsgraph[{extra}]'"
    NG210 = "{count} relative date(s) left without a value: they need the publication date, and {why}"
    # store
    NG401 = "cannot open the store {url}: {detail}"
    NG402 = "the store {url} has schema revision {revision}, this newsgraph needs {head}; run: newsgraph ingest --db URL (it migrates)"
    NG403 = "no entity or story matches {query!r}"
    NG404 = "export format {format!r} needs {package}; install it with: pip install 'newsgraph[{extra}]'"
    NG405 = "cannot write or open {path}: {detail}"
    NG406 = "no store at {path} (a SQLite file is created only by ingest, and by serve --create)"
    # scale (newsgraph extract|ingest --dask)
    NG601 = "{feature} needs {package}; install it with: pip install 'newsgraph[{extra}]'"
    NG602 = "bad --dask value {value!r}: give a scheduler address (tcp://host:8786) or local:N (N workers here)"
    NG603 = "cannot reach the Dask scheduler {address}: {detail}"
    NG604 = "{path} holds partition {index} of another input (key {found}, this run's is {key}); use a new folder"
    NG605 = "--dask reads files that every worker can open; stdin (-) cannot be partitioned"
    # watch (newsgraph watch): each names the source or URL it is about
    NG610 = "{url}: robots.txt disallows it for {agent}"
    NG611 = "{url}: HTTP {status}"
    NG612 = "{url}: gave up after {attempts} attempts: {detail}"
    NG613 = "{url}: larger than {limit} bytes (setting watch.max_bytes)"
    NG614 = "{url}: not {wanted} (Content-Type {ctype!r})"
    NG615 = "{url}: {detail} (setting watch.max_redirects)"
    NG616 = "{url}: no answer within {seconds}s (setting watch.timeout)"
    NG617 = "{url}: cannot connect: {detail}"
    NG618 = "{source}: neither a feed, a sitemap, a page naming feeds nor a file of URLs: {detail}"
    NG619 = "{url}: {detail}"
    NG620 = "{url}: the Dask cluster could not extract it ({detail}); tried again at the next poll"
    # config
    NG501 = "bad setting {name}: {detail}"
    NG502 = "cannot read config file {path}: {detail}"
    NG504 = "rules table {table}: an empty word list (or an empty word) would match everywhere; give words or drop the rule"
    NG503 = "{path} is an input of this run: writing it would destroy it before it is read; choose another output"

    def format(self, **kwargs: object) -> str:
        return f"{self.name} " + self.value.format(**kwargs)


class NewsgraphError(Exception):
    """An error with a code from `Msg`, for conditions a user can act on."""

    def __init__(self, msg: Msg, **kwargs: object) -> None:
        self.code = msg.name
        self.text = msg.format(**kwargs)
        super().__init__(self.text)


class InputError(NewsgraphError):
    """One input (file, record, WARC member) cannot be read; the run goes on without it."""


class InputNotice(InputError):
    """Worth telling the user, but nothing was lost (a duplicate, a crawl with no pages)."""


class ConfigError(NewsgraphError):
    pass

"""The bomb set (issue 21): hostile inputs under 10 MB compressed, each run through `newsgraph extract` in its
own process; peak RSS and CPU time per case.

    python benchmarks/bombs.py [--only NAME ...] [--keep DIR]

Goals: no case above 1.5 GB of RSS, and no single article above 30 s of CPU (a case's CPU time includes
loading the model once: the `baseline` case, one small article, shows how much).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

GOOD = "The mayor said the harbour would reopen on Monday after the storm, and officials agreed."
RSS_GOAL_MB = 1536
CPU_GOAL_S = 30.0


def _gz_stream(path: Path, pieces) -> None:
    """Write a gzip file from pieces without holding the decompressed whole."""
    with open(path, "wb") as raw:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        for piece in pieces:
            raw.write(compressor.compress(piece))
        raw.write(compressor.flush())


def _zeros(total: int, chunk: int = 1 << 20):
    block = b"0" * chunk
    for _ in range(total // chunk):
        yield block


def baseline(d: Path) -> Path:
    (d / "one.txt").write_text(GOOD)
    return d / "one.txt"


def csv_gz_cell(d: Path) -> Path:
    p = d / "cell.csv.gz"
    _gz_stream(p, [b"id,text\nok," + GOOD.encode() + b"\nbig,\"", *_zeros(2000 << 20), b"\"\nok2,Again. " +
                   GOOD.encode() + b"\n"])
    return p


def json_gz_string(d: Path) -> Path:
    p = d / "one.json.gz"
    _gz_stream(p, [b'[{"id": "a", "text": "', *_zeros(2000 << 20), b'"}]'])
    return p


def jsonl_gz_line(d: Path) -> Path:
    p = d / "line.jsonl.gz"
    _gz_stream(p, [json.dumps({"id": "a", "text": GOOD}).encode() + b"\n", b'{"id": "b", "text": "',
                   *_zeros(2000 << 20), b'"}\n', json.dumps({"id": "c", "text": "Again. " + GOOD}).encode() + b"\n"])
    return p


def jsonl_gz_many(d: Path) -> Path:
    """Lines each just under ingest.max_bytes (20 MB): read, and refused by nlp.max_chars, one at a time."""
    p = d / "many.jsonl.gz"
    _gz_stream(p, (b'{"id": "x%d", "text": "' % i + b"0" * (19 << 20) + b'"}\n' for i in range(50)))
    return p


def json_deep(d: Path) -> Path:
    p = d / "deep.json"
    p.write_bytes(b'{"id": "d", "text": ' + b"[" * 5_000_000 + b"]" * 5_000_000 + b"}")
    return p


def txt_gz(d: Path) -> Path:
    p = d / "bomb.txt.gz"
    _gz_stream(p, _zeros(4000 << 20))
    return p


def html_gz(d: Path) -> Path:
    p = d / "bomb.html.gz"
    _gz_stream(p, [b"<html><body><p>", *_zeros(4000 << 20)])
    return p


def html_paragraphs(d: Path) -> Path:
    p = d / "paras.html"
    p.write_text("<html><body>" + "<p>x</p>" * 150_000 + "</body></html>")
    return p


def html_paragraphs_9mb(d: Path) -> Path:
    p = d / "paras9.html"
    p.write_text("<html><body>" + "<p>x</p>" * 1_000_000 + "</body></html>")
    return p


def html_under_the_tag_limit(d: Path) -> Path:
    """Just under ingest.max_html_tags, each paragraph a sentence: extracted, then over nlp.max_tokens."""
    p = d / "under.html"
    p.write_text("<html><body><article>" + "<p>The mayor said so on Monday.</p>" * 24_000 + "</article></body></html>")
    return p


def text_short_lines(d: Path) -> Path:
    p = d / "lines.txt"
    p.write_text("a\n" * 225_000)
    return p


def text_long_prose(d: Path) -> Path:
    """Just under the token budget: the most one article may cost."""
    p = d / "prose.txt"
    p.write_text((GOOD + " ") * 2300)  # about 39k tokens, under nlp.max_tokens
    return p


def warc_gz_payload(d: Path) -> Path:
    p = d / "crawl.warc.gz"
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>"
    size = len(http_head) + (3000 << 20)
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.org/\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(size).encode() + b"\r\n\r\n")
    _gz_stream(p, [head, http_head, *_zeros(3000 << 20), b"\r\n\r\n"])
    return p


def feed_laughs(d: Path) -> Path:
    p = d / "laughs.xml"
    ents = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    p.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{ents}]>'
                 '<rss><channel><item><title>t</title><description>&l9;</description></item></channel></rss>')
    return p


CASES: dict[str, Callable[[Path], Path]] = {f.__name__: f for f in (
    baseline, csv_gz_cell, json_gz_string, jsonl_gz_line, jsonl_gz_many, json_deep, txt_gz, html_gz,
    html_paragraphs, html_paragraphs_9mb, html_under_the_tag_limit, text_short_lines, text_long_prose, warc_gz_payload, feed_laughs)}


def run_case(path: Path, timeout: int) -> tuple[float, float, float, int | str, str]:
    """(peak RSS MB, CPU s, wall s, exit status, last message line) of `newsgraph extract path`."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "extract", str(path), "-o", os.devnull],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + timeout
    status: int | str = "?"
    while True:
        pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status = os.waitstatus_to_exitcode(raw)
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, raw, usage = os.wait4(proc.pid, 0)
            status = "timeout"
            break
        time.sleep(0.05)
    proc.returncode = 0  # reaped above
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    lines = [line for line in err.splitlines() if line.strip()]
    message = next((line for line in lines if "NG" in line), lines[-1] if lines else "")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, time.perf_counter() - started, status, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build the cases in this folder and keep them")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    names = args.only or list(CASES)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        worst_rss = worst_cpu = 0.0
        base_cpu = 0.0
        for name in names:
            case_dir = folder / name
            case_dir.mkdir(exist_ok=True)
            path = CASES[name](case_dir)
            size = path.stat().st_size
            rss, cpu, wall, status, message = run_case(path, args.timeout)
            if name == "baseline":
                base_cpu = cpu
            worst_rss, worst_cpu = max(worst_rss, rss), max(worst_cpu, cpu - base_cpu)
            print(f"bombs: {name:20s} {size / 1e6:7.2f} MB on disk  peak RSS {rss:7.0f} MB  CPU {cpu:6.1f} s  "
                  f"wall {wall:6.1f} s  exit {status}  {message[:110]}", flush=True)
        ok = worst_rss <= RSS_GOAL_MB and worst_cpu <= CPU_GOAL_S
        print(f"bombs: worst peak RSS {worst_rss:.0f} MB (goal {RSS_GOAL_MB}), worst CPU beyond the model's load "
              f"{worst_cpu:.1f} s (goal {CPU_GOAL_S:.0f}): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()

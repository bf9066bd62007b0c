"""Identities as a reader meets them in the web UI (issue 17), in a real headless Chromium over a real store.

    python benchmarks/identity_browser.py --db STORE.db            # a store `newsgraph ingest` wrote
    python benchmarks/identity_browser.py --n 1000 [--shared ../shared]   # ingests the first N AllSides articles first

1. The most covered people (the entity list, PERSON, most covered first): each one's page, and every article
   that page lists, opened; the page's name must be written, verbatim, in the text of the articles it lists.
   Printed per person: the share of its listed articles that write the name so; a person whose name no listed
   article writes is a garbled or invented name and fails the run.
2. Fathers and sons: every person whose name carries a generational suffix (Jr., Sr., II, III). Each article
   the son's page lists must write the suffix (an article that names only the father is not the son's), and
   the page named as the son without his suffix (the father), where there is one, is another page.
Exit status 1 when either check fails.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.config import load_settings  # noqa: E402
from newsgraph.store import open_store  # noqa: E402

SUFFIX = re.compile(r"\s+(Jr\.?|Sr\.?|II|III|IV)$")


def _serve(store):
    import uvicorn

    from newsgraph.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _people(page, base: str, query: str = "") -> list[tuple[str, str]]:
    page.goto(f"{base}/entities?label=PERSON&limit=200{query}")
    links = page.locator("ul.entities a.entity")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def _articles(page, base: str, href: str) -> tuple[str, list[str]]:
    page.goto(base + href)
    name = page.locator("h1 bdi").first.inner_text().strip()
    links = page.locator("ul.articles a")
    return name, [links.nth(i).get_attribute("href") for i in range(links.count())]


def _text(page, base: str, href: str, cache: dict[str, str]) -> str:
    if href not in cache:
        page.goto(base + href)
        cache[href] = page.locator("#article-text").inner_text()
    return cache[href]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a store to open (else --n articles are ingested into a new one)")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    if args.db is None:
        from newsgraph.store.ingest import ingest

        lines = (args.shared / "eval" / "scale" / "allsides.jsonl").read_text(encoding="utf-8").splitlines()
        work = Path(tempfile.mkdtemp(prefix="ng-idbrowser-"))
        (work / "in.jsonl").write_text("\n".join(lines[:args.n]) + "\n", encoding="utf-8")
        args.db = work / "store.db"
        store = open_store(args.db)
        began = time.perf_counter()
        summary = ingest([str(work / "in.jsonl")], load_settings(), store)
        print(f"ingested {summary.articles} articles into {args.db} in {time.perf_counter() - began:.0f}s")
    else:
        store = open_store(args.db)

    from playwright.sync_api import sync_playwright

    server, base = _serve(store)
    failures: list[str] = []
    texts: dict[str, str] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_default_timeout(30000)

        print(f"\n{args.top} most covered people: the name on the page, written verbatim in the articles it lists")
        shares = []
        for listed, href in _people(page, base)[:args.top]:
            name, hrefs = _articles(page, base, href)
            hits = sum(name in _text(page, base, h, texts) for h in hrefs)
            share = hits / len(hrefs) if hrefs else 0.0
            shares.append(share)
            ok = name == listed and hits > 0
            if not ok:
                failures.append(f"{name!r}: written in {hits} of the {len(hrefs)} articles its page lists")
            print(f"  {'ok ' if ok else 'BAD'} {name:32s} {hits:3d}/{len(hrefs):<3d} listed articles write it")

        print("\nfathers and sons: a page named with Jr./Sr./II/III lists only articles that write the suffix")
        sons = [(n, h) for q in ("Jr", "Sr", "II", "IV") for n, h in _people(page, base, "&q=" + quote(q))
                if SUFFIX.search(n)]
        for name, href in dict.fromkeys(sons):
            suffix = SUFFIX.search(name).group(1).rstrip(".")
            _, hrefs = _articles(page, base, href)
            without = [h for h in hrefs if suffix not in _text(page, base, h, texts)]
            father = SUFFIX.sub("", name).rstrip(",")
            pages = dict(_people(page, base, "&q=" + quote(father)))
            apart = pages.get(father) != href
            if without or not apart:
                failures.append(f"{name!r}: {len(without)} of {len(hrefs)} listed articles never write {suffix}"
                                + ("" if apart else f"; one page with {father!r}"))
            print(f"  {'ok ' if not without and apart else 'BAD'} {name:32s} {len(hrefs) - len(without):3d}/"
                  f"{len(hrefs):<3d} listed articles write {suffix}; father's page "
                  f"{'apart' if father in pages else 'not among the listed people'}")
        browser.close()
    server.should_exit = True
    store.close()

    mean = sum(shares) / len(shares) if shares else 0.0
    print(f"\nidentity_browser: top={len(shares)} named_verbatim={sum(s > 0 for s in shares)}/{len(shares)} "
          f"mean_share_of_articles={mean:.3f} suffix_pages={len(dict.fromkeys(sons))} failures={len(failures)}")
    for f in failures:
        print("  FAIL", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

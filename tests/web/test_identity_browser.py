"""Entity identity in the UI, in a real headless Chromium: one page per person, a Jr. apart from his father,
each page named as the articles name the person, a role linking to the words it came from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# the browser fixtures and helpers of the web UI's browser suite (tests/web has no package: plain import)
from test_browser import CHROMIUM, browser, page, serving_records  # noqa: F401

from newsgraph.link import Linker
from newsgraph.records import Entity, Record

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (.ci/run installs it)")

# Articles written for this test: (doc_id, text, [(label, [mention texts, each found after the previous one]),
# roles as (role text)])
ARTICLES = [
    ("harbour-1", "Mayor Dale Harrow opened the harbour bridge on Monday. Harrow said it was finished early.",
     [("PERSON", ["Dale Harrow", "Harrow"], ["Mayor"])]),
    ("harbour-2", "Dale Harrow Jr. sold bread at the harbour. Harrow Jr. said sales were good. "
                  "His father, Dale Harrow, watched from the quay.",
     [("PERSON", ["Dale Harrow Jr.", "Harrow Jr."], []), ("PERSON", ["Dale Harrow"], [])]),
    ("harbour-3", "DALE HARROW WINS HARBOUR VOTE\nDale Harrow won the harbour vote on Tuesday. Harrow thanked Ida Crane.",
     [("ORG", ["DALE HARROW"], []), ("PERSON", ["Dale Harrow", "Harrow"], []), ("PERSON", ["Ida Crane"], [])]),
    ("harbour-4", "Ida Crane, the harbour master, met Dale Harrow Jr. at the bakery. Crane bought bread.",
     [("PERSON", ["Ida Crane", "Crane"], ["harbour master"]), ("PERSON", ["Dale Harrow Jr."], [])]),
]


def _records() -> list[Record]:
    records = []
    for doc_id, text, ents in ARTICLES:
        rec = Record(doc_id=doc_id, source=doc_id, title=None, url=None, outlet="Harbour Times",
                     published="2024-05-0" + doc_id[-1], text=text)
        taken: set[int] = set()
        for i, (label, surfaces, roles) in enumerate(ents):
            mentions = []
            for s in surfaces:
                start = text.index(s)
                while start in taken:
                    start = text.index(s, start + 1)
                taken.add(start)
                mentions.append([start, start + len(s)])
            spans = [[text.index(r), text.index(r) + len(r)] for r in roles]
            rec.entities.append(Entity(id=f"local:{i}", name=surfaces[0], label=label, mentions=mentions,
                                       roles=list(roles), role_spans=spans))
        records.append(rec)
    linker = Linker()
    out = [r for rec in records for r in linker.link(rec)] + linker.flush()
    assert [r.doc_id for r in out] == [a[0] for a in ARTICLES]
    return out


@pytest.fixture(scope="module")
def identity_server(tmp_path_factory) -> Iterator[str]:
    with serving_records(tmp_path_factory.mktemp("identity"), _records()) as url:
        yield url


def test_browser_people_named_as_their_articles_name_them(identity_server, page):  # noqa: F811
    page.goto(identity_server + "/entities?label=PERSON")
    links = page.locator("ul.entities a.entity")
    people = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())}
    assert set(people) == {"Dale Harrow", "Dale Harrow Jr.", "Ida Crane"}  # one page per person
    page.goto(identity_server + "/entities?label=ORG")
    assert "Harrow" not in page.locator("ul.entities").inner_text()  # a headline's tag is no organisation

    seen_in: dict[str, set[str]] = {}
    for name, href in people.items():
        page.goto(identity_server + href)
        assert page.locator("h1").inner_text().startswith(name)
        articles = page.locator("ul.articles a")
        hrefs = [articles.nth(i).get_attribute("href") for i in range(articles.count())]
        seen_in[name] = {h.rsplit("/", 1)[1] for h in hrefs}
        for h in hrefs:  # the name on the page is written so in every article it lists
            page.goto(identity_server + h)
            assert name in page.locator("#article-text").inner_text()
    # the son's articles are not on the father's page unless the father is named there too
    assert seen_in["Dale Harrow Jr."] == {"harbour-2", "harbour-4"}
    assert seen_in["Dale Harrow"] == {"harbour-1", "harbour-2", "harbour-3"}


def test_browser_role_links_to_its_words(identity_server, page):  # noqa: F811
    page.goto(identity_server + "/entities?label=PERSON")
    page.locator("ul.entities").get_by_role("link", name="Ida Crane", exact=True).click()
    page.wait_for_url("**/entities/*")
    role = page.locator(".roles a.role-source")
    assert role.inner_text() == "harbour master"
    text = ARTICLES[3][1]
    start = text.index("harbour master")
    assert role.get_attribute("href") == f"/articles/harbour-4?at={start}-{start + len('harbour master')}"
    role.click()
    page.wait_for_url("**/articles/harbour-4?at=*")
    assert "harbour master" in page.locator("#article-text").inner_text()

"""Issue 19: the list pages a researcher keeps open: filter forms and sort, all state in the URL (the pager,
JSON and CSV links keep it), CSV downloads; in Chromium at desktop (1280) and phone (390) widths."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import synthetic

# the browser fixtures and helpers of the web UI's browser suite (tests/web has no package: plain import)
from test_browser import CHROMIUM, _fits_the_screen, _shot, browser, serving  # noqa: F401

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def syn_server(tmp_path_factory) -> Iterator[str]:
    from newsgraph.store import open_store

    store = open_store(tmp_path_factory.mktemp("ui") / "syn.db")
    for record in synthetic.records(120):
        store.writer.write(record)
    with serving(store) as url:
        yield url
    store.close()


@pytest.fixture(params=list(WIDTHS))
def tab(request, browser):  # noqa: F811
    context = browser.new_context(viewport=WIDTHS[request.param], is_mobile=request.param == "phone")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.width_name = request.param
    yield page
    context.close()


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_ui_articles_filter_by_outlet_survives_the_pager(syn_server, tab):
    tab.goto(syn_server + "/articles")
    form = tab.locator("form.filter")
    form.get_by_label("Outlet").fill("Coast Daily")
    form.get_by_label("From").fill("2024-02-01")
    form.get_by_label("Sort").select_option("oldest")
    form.get_by_role("button", name="Apply").click()
    tab.wait_for_url("**/articles?**")
    query = _query(tab.url)
    assert query["outlet"] == ["Coast Daily"] and query["sort"] == ["oldest"] and query["since"] == ["2024-02-01"]
    metas = tab.locator("ul.articles li .meta").all_inner_texts()
    assert metas and all("Coast Daily" in m for m in metas)
    dates = [t for t in tab.locator("ul.articles time").all_inner_texts()]
    assert dates == sorted(dates) and dates[0] >= "2024-02-01"
    assert _fits_the_screen(tab)
    _shot(tab, f"lists-articles-{tab.width_name}")
    older_first_next = tab.locator("nav.pager a[rel=next]")
    if older_first_next.count():  # oldest first: the next page is newer
        assert "newer" in older_first_next.inner_text()
    tab.goto(syn_server + "/articles?outlet=Coast+Daily&limit=5")
    nxt = tab.locator("nav.pager a[rel=next]")
    assert "older" in nxt.inner_text()  # newest first
    nxt.click()
    tab.wait_for_url("**offset=5**")
    assert _query(tab.url)["outlet"] == ["Coast Daily"]  # page 2 keeps the outlet
    assert all("Coast Daily" in m for m in tab.locator("ul.articles li .meta").all_inner_texts())
    nxt = tab.locator("nav.pager a[rel=next]")
    nxt.click()
    tab.wait_for_url("**offset=10**")
    assert _query(tab.url)["offset"] == ["10"]  # never `&offset=5&offset=10`
    for link in ("footer a.json", "p.downloads a.json"):
        assert _query(tab.locator(link).get_attribute("href"))["outlet"] == ["Coast Daily"]
    assert "offset" not in _query(tab.locator("p.downloads a.csv").get_attribute("href"))


def test_ui_quotes_filter_kind_speaker_and_sort(syn_server, tab):
    tab.goto(syn_server + "/quotes?limit=10")
    form = tab.locator("form.filter")
    form.get_by_label("Speaker").fill("Ortiz")
    form.get_by_label("Kind").select_option("reported")
    form.get_by_role("button", name="Apply").click()
    tab.wait_for_url("**kind=reported**")
    items = tab.locator("ul.quotes li.quote")
    assert items.count() == 10  # limit kept from the address
    assert tab.locator("ul.quotes li.quote.reported").count() == 10
    assert all("Lena Ortiz" in t for t in items.locator(".speaker").all_inner_texts())
    assert "older" in tab.locator("nav.pager a[rel=next]").inner_text()
    tab.locator("nav.pager a[rel=next]").click()
    tab.wait_for_url("**offset=10**")
    query = _query(tab.url)
    assert query["speaker"] == ["Ortiz"] and query["kind"] == ["reported"] and query["offset"] == ["10"]
    tab.goto(syn_server + "/quotes?sort=speaker&limit=5")
    nxt = tab.locator("nav.pager a[rel=next]")
    assert nxt.inner_text().startswith("next")  # not "older" on a list by speaker
    assert _fits_the_screen(tab)
    _shot(tab, f"lists-quotes-{tab.width_name}")


def test_ui_posts_stories_entities_have_filters_and_sort(syn_server, tab):
    tab.goto(syn_server + "/posts")
    tab.locator("form.filter").get_by_label("Platform").select_option("twitter")
    tab.locator("form.filter").get_by_label("Sort").select_option("oldest")
    tab.locator("form.filter").get_by_role("button", name="Apply").click()
    tab.wait_for_url("**platform=twitter**")
    assert tab.locator("ul.posts li.post time").all_inner_texts() == ["2024-01-02", "2024-01-03", "2024-01-04"]

    tab.goto(syn_server + "/stories?sort=newest&limit=2")
    assert tab.locator("ol.stories li.story").count() == 2
    assert tab.locator("form.filter select[name=sort]").input_value() == "newest"
    assert "older" in tab.locator("nav.pager a[rel=next]").inner_text()
    tab.locator("form.filter").get_by_label("Title").fill("library")
    tab.locator("form.filter").get_by_role("button", name="Apply").click()
    tab.wait_for_url("**q=library**")
    assert tab.locator("ol.stories li.story").count() == 1

    tab.goto(syn_server + "/entities?sort=name")
    names = tab.locator("ul.entities li a.entity").all_inner_texts()
    assert names == sorted(names)
    assert _fits_the_screen(tab)


@pytest.mark.parametrize("path", ["/api/articles.csv?outlet=Coast+Daily", "/api/quotes.csv?kind=stance",
                                  "/api/posts.csv", "/api/stories.csv?sort=oldest", "/api/entities.csv?label=PERSON"])
def test_ui_csv_download_holds_every_filtered_row(syn_server, path):
    import httpx

    response = httpx.get(syn_server + path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    twin = httpx.get(syn_server + path.replace(".csv", "") + ("&" if "?" in path else "?") + "limit=1").json()
    assert len(rows) == twin["total"] > 0  # every row, not one page
    if "outlet" in path:
        assert {r["outlet"] for r in rows} == {"Coast Daily"}
    if "stance" in path:
        assert {r["kind"] for r in rows} == {"stance"}


def test_ui_csv_link_downloads_the_filtered_list(syn_server, tab):
    tab.goto(syn_server + "/quotes?speaker=Silva&sort=oldest")
    with tab.expect_download() as info:
        tab.locator("p.downloads a.csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows and {r["speaker"] for r in rows} == {"Ana Silva"}
    assert [r["published"] for r in rows] == sorted(r["published"] for r in rows)

# ruff: noqa: F811 - pytest fixtures imported from the sibling modules are used as parameters
"""Issue 19: an accessibility scan (axe-core, through Playwright) of the main pages at desktop and phone
widths: no serious or critical violation."""

from __future__ import annotations

import pytest
from test_browser import CHROMIUM, browser, serving  # noqa: F401
from test_ui_lists import WIDTHS, syn_server, tab  # noqa: F401

PAGES = ["/", "/stories/S_ferry", "/stories/S_ferry/graph", "/articles", "/articles/syn-00004?at=0-8",
         "/quotes", "/quotes/2", "/entities", "/entities/E_ortiz", "/posts", "/posts/P_ortiz_rt", "/outlets",
         "/outlets/Coast%20Daily", "/search?q=ferry", "/articles?since=yesterday"]


@pytest.fixture(scope="module")
def axe():
    sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="the dev extra's axe-playwright-python")
    return sync.Axe()


def test_ui_main_pages_have_no_serious_accessibility_violations(syn_server, tab, axe):
    found = []
    for path in PAGES:
        tab.goto(syn_server + path)
        results = axe.run(tab)
        for v in results.response["violations"]:
            if v.get("impact") in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                found.append(f"{path}: {v['id']} ({v['impact']}) {targets}")
    assert not found, "\n".join(found)

"""Untrusted article text never becomes markup, writes need --allow-write and the token."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app

PAGES = ["/", "/stories/S_ferry", "/articles/unsafe-1", "/entities/E_joe", "/posts/P_evil", "/search?q=hacker",
         "/quotes", "/posts"]


@pytest.mark.parametrize("path", PAGES)
def test_security_untrusted_text_is_escaped(client, path):
    html = client.get(path).text
    assert "<script>window" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert "<b onmouseover" not in html
    assert 'href="javascript:' not in html.lower()
    assert "<img" not in re.sub(r'<img src="/charts/[^"<>]*"', "", html)  # only the server's own charts


def test_security_article_text_is_shown_as_text(client):
    html = client.get("/articles/unsafe-1").text
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "Content-Security-Policy" in client.get("/articles/unsafe-1").headers or \
        "content-security-policy" in client.get("/articles/unsafe-1").headers


def test_security_read_only_by_default(client):
    response = client.post("/api/articles", json={"id": "x", "text": "Hello."})
    assert response.status_code == 403


@pytest.fixture
def writable(read_store):
    seen = []

    def fake_ingest(article):
        seen.append(article)
        return {"doc_id": article.doc_id, "story_id": None, "written": True}

    app = create_app(read_store, allow_write=True, token="s3cret", ingest=fake_ingest)
    with TestClient(app) as test_client:
        yield test_client, seen


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic s3cret"}, 401),
    ({"Authorization": "Bearer s3cret"}, 201),
])
def test_security_writes_need_the_token(writable, headers, status):
    test_client, seen = writable
    response = test_client.post("/api/articles", json={"id": "new-1", "text": "Hi there."}, headers=headers)
    assert response.status_code == status
    assert len(seen) == (status == 201)


def test_security_write_without_token_is_refused():
    with pytest.raises(ValueError):
        create_app(None, allow_write=True, token=None)  # type: ignore[arg-type]

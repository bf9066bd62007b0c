"""Template helpers: safe links, quote segments, sparklines, search snippets."""

from __future__ import annotations

import pytest

from newsgraph.store.sqlite import MARK_END, MARK_START
from newsgraph.web import marked, plain, safe_url, segments, sparkline


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a", "https://example.org/a"),
    ("http://x.test", "http://x.test"),
    ("javascript:alert(1)", None),
    (" JavaScript:alert(1)", None),
    ("data:text/html,<b>x</b>", None),
    ("//evil.test/x", None),
    ("", None),
    (None, None),
])
def test_render_safe_url(url, expected):
    assert safe_url(url) == expected


def test_render_segments_cover_the_text_once():
    text = 'A said "one two" and "three".'
    quotes = [{"start": 8, "end": 15, "text": "one two"}, {"start": 22, "end": 27, "text": "three"},
              {"start": 9, "end": 12, "text": "overlap"}, {"start": None, "end": None, "text": "embed"}]
    parts = segments(text, quotes)
    assert "".join(p["text"] for p in parts) == text
    assert [p["text"] for p in parts if p["quote"]] == ["one two", "three"]


def test_render_segments_follow_interrupted_quotes():
    text = '"A," he said. "B."'
    parts = segments(text, [{"start": 1, "end": 3, "spans": [[1, 3], [15, 17]], "text": "A, B."}])
    assert [p["text"] for p in parts if p["quote"]] == ["A,", "B."]


def test_render_sparkline_one_point_per_day():
    points = sparkline([{"date": "2024-03-01", "count": 1}, {"date": "2024-03-03", "count": 3}])
    assert len(points.split()) == 3
    assert sparkline([]) == ""


def test_render_snippet_markers_become_marks_after_escaping():
    snippet = f"<b>x</b> {MARK_START}ferry{MARK_END}"
    assert str(marked(snippet)) == "&lt;b&gt;x&lt;/b&gt; <mark>ferry</mark>"
    assert plain(snippet) == "<b>x</b> ferry"

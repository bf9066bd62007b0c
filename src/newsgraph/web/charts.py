"""Charts drawn on the server as SVG with pygal (no script, no CDN): articles per day or month, quotes per
month, articles per outlet. A page shows one as an <img> (its own response, so that the chart's inline
styles never loosen the page's CSP) beside a table of the same numbers."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
MAX_BARS = 400  # a longer series is summed into fewer, wider bars


def _style():
    from pygal.style import Style

    return Style(background="white", plot_background="white", foreground="#1d1d1f", foreground_strong="#1d1d1f",
                 foreground_subtle="#595959", colors=("#0b5fff",), font_family="system-ui, sans-serif",
                 label_font_size=11, major_label_font_size=11, title_font_size=14)


def bar_chart(title: str, pairs: list[tuple[str, int]], *, horizontal: bool = False, width: int = 720,
              height: int = 300) -> str:
    """An SVG bar chart of (label, count) pairs, in their order."""
    return _render(title, tuple((str(label), int(count)) for label, count in pairs), horizontal, width, height)


# Drawing costs more than the query: the same numbers give the same picture, so the last few are kept (keyed by
# the numbers themselves, never stale).
@lru_cache(maxsize=256)
def _render(title: str, pairs: tuple[tuple[str, int], ...], horizontal: bool, width: int, height: int) -> str:
    import pygal

    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(
        title=title, width=width, height=max(height, 24 * len(pairs) + 80) if horizontal else height,
        show_legend=False, style=_style(), js=[], disable_xml_declaration=True, x_label_rotation=0 if horizontal else 30,
        show_minor_x_labels=False, truncate_label=40, print_values=False, margin=8)
    labels = [label for label, _ in pairs]
    chart.x_labels = labels
    if not horizontal and len(labels) > 12:
        step = max(1, len(labels) // 12)
        chart.x_labels_major = labels[::step]
    chart.add(title, [count for _, count in pairs])
    # pygal writes its config as a script even with js=[]: the picture needs none
    return SCRIPT.sub("", chart.render(is_unicode=True))


def per_day(counts: list[dict]) -> list[tuple[str, int]]:
    """Articles per day, every day from the first to the last (gaps as zero); by week past MAX_BARS days."""
    days: dict[date, int] = {}
    for item in counts:
        try:
            days[date.fromisoformat(str(item["date"])[:10])] = days.get(
                date.fromisoformat(str(item["date"])[:10]), 0) + int(item["count"])
        except (TypeError, ValueError, KeyError):
            continue
    if not days:
        return []
    first, last = min(days), max(days)
    span = (last - first).days + 1
    step = 1 if span <= MAX_BARS else 7
    out = []
    for d in range(0, span, step):
        start = first + timedelta(days=d)
        out.append((start.isoformat(), sum(days.get(start + timedelta(days=k), 0) for k in range(step))))
    return out

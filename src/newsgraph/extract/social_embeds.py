"""Embedded posts: flattened into article text (`text pic.twitter.com/x — Name (@handle) Aug 13, 2021`) or in HTML."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..records import SocialPost
from .social_dates import Calendar

_LINK = re.compile(r"(?:https?://|www\.|pic\.(?:twitter|x)\.com/)\S+")
_TRAILING_LINKS = re.compile(r"(?:\s*(?:(?:https?://|www\.|pic\.(?:twitter|x)\.com/)\S+|\[?\.{3}\]?|…))+\s*$")
_WORD = re.compile(r"\w+")
_BOILERPLATE = re.compile(r"^\s*(?:View this (?:post|photo|video|profile) on \w+|View (?:more )?on \w+)\s*", re.I)


@dataclass
class Embed:
    """An embedded post and where it stands in the article text (start/end of its words, or None)."""

    post: SocialPost
    anchor: int | None  # where it stands in the text (for ordering and chains), None when it does not


def clean_name(name: str | None) -> str | None:
    """A display name without emoji, flags and decoration: 'Masih Alinejad 🏳️' -> 'Masih Alinejad'."""
    if not name:
        return None
    kept = "".join(ch for ch in name if not (unicodedata.category(ch).startswith(("S", "C"))
                                               or unicodedata.category(ch) == "Mn"
                                               or "\ufe00" <= ch <= "\ufe0f" or ch == "\u200d"))
    kept = re.sub(r"\s+", " ", kept).strip(" -|·,")
    return kept or None


def compile_platforms(platforms: dict[str, Any], calendar: Calendar) -> dict[str, dict[str, Any]]:
    """The platform table with its regexes compiled once."""
    compiled: dict[str, dict[str, Any]] = {}
    for name, spec in platforms.items():
        entry = dict(spec)
        entry["post_url_re"] = re.compile(spec["post_url"]) if spec.get("post_url") else None
        entry["media_url_re"] = re.compile(spec["media_url"]) if spec.get("media_url") else None
        flat = spec.get("flattened")
        entry["flattened_re"] = re.compile(flat.replace("{DATE}", calendar.absolute)) if flat else None
        entry["embeds"] = [dict(e, src_re=re.compile(e["src"]) if e.get("src") else None)
                           for e in spec.get("embeds", [])]
        compiled[name] = entry
    return compiled


def locate(text: str, body: str | None, near: int = 0) -> tuple[int, int] | None:
    """Where the words of `body` stand in `text` (whitespace and punctuation may differ)."""
    words = _WORD.findall(body or "")
    if len(words) < 3:
        return None
    head = r"\W+".join(re.escape(w) for w in words[:8])
    tail = r"\W+".join(re.escape(w) for w in words[-6:])
    first = re.compile(head).search(text, near) or re.compile(head).search(text)
    if first is None:
        return None
    last = re.compile(tail).search(text, first.start())
    if last is None or last.end() - first.start() > 3 * len(body or "") + 200:
        return None
    end = last.end()
    while end < len(text) and text[end] in ".!?,;:…\"”’')" and end - last.end() < 4:
        end += 1  # the post's closing punctuation, not the next word
    return first.start(), end


class FlattenedEmbeds:
    """Posts whose embed the publisher flattened into the article text."""

    def __init__(self, platforms: dict[str, dict[str, Any]], calendar: Calendar) -> None:
        self.platforms = platforms
        self.calendar = calendar

    def find(self, text: str) -> Iterator[Embed]:
        found: list[tuple[int, int, str, re.Match[str]]] = []
        for platform, spec in self.platforms.items():
            pattern = spec["flattened_re"]
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                if not m.group("dash") and re.search(r"\s-{1,2}\s", m.group("name") or ""):
                    # a signature on its own line matched from the line start: "text - Name (@h) date"
                    later = pattern.search(text, m.start() + 1)
                    m = later if later is not None and later.end() == m.end() else m
                found.append((m.start(), m.end(), platform, m))
        found.sort(key=lambda f: f[0])
        previous_end = 0
        for start, end, platform, m in found:
            if start < previous_end:
                continue
            yield self._embed(text, platform, m, previous_end)
            previous_end = end

    def _embed(self, text: str, platform: str, m: re.Match[str], floor: int) -> Embed:
        spec = self.platforms[platform]
        sig = m.start()
        begin = self._body_start(text, sig, floor)
        raw = text[begin:sig]
        # the post's own words: boilerplate and trailing links (pic.twitter.com, t.co) stripped
        lead = _BOILERPLATE.match(raw)
        offset = lead.end() if lead else 0
        stripped = _TRAILING_LINKS.sub("", raw[offset:])
        lstrip = len(stripped) - len(stripped.lstrip())
        body = stripped.strip()
        start = begin + offset + lstrip if body else None
        stop = start + len(body) if start is not None else None
        links = _LINK.findall(raw)
        url = None
        for link in links:
            if spec["post_url_re"] is not None and spec["post_url_re"].search(link):
                url = link
                break
        if url is None:
            for link in links:
                if spec["media_url_re"] is not None and spec["media_url_re"].match(link):
                    url = link if link.startswith("http") else "https://" + link
                    break
        date = self.calendar.parse_absolute(m.group("date")) if m.group("date") else None
        post = SocialPost(id=None, platform=platform, author=clean_name(m.group("name")),
                          handle=m.group("handle"), date=date, text=body or None, url=url,
                          embedded=True, start=start, end=stop)
        return Embed(post, start if start is not None else sig)

    @staticmethod
    def _body_start(text: str, sig: int, floor: int) -> int:
        """Start of the post text: its line, or the line before when the signature stands alone."""
        begin = max(text.rfind("\n", 0, sig) + 1, floor)
        while begin > floor and len(_WORD.findall(_LINK.sub("", text[begin:sig]))) < 2:
            prev = text.rfind("\n", 0, max(begin - 1, 0))
            candidate = max(prev + 1, floor)
            if candidate >= begin - 1 and not text[candidate:begin].strip():
                break
            begin = candidate
        return begin


class HtmlEmbeds:
    """Posts embedded in the page markup: twitter-tweet and instagram-media blockquotes, iframes, ..."""

    def __init__(self, platforms: dict[str, dict[str, Any]], calendar: Calendar) -> None:
        self.platforms = platforms
        self.calendar = calendar
        # cheap substring tests first: only pages that may hold an embed are parsed
        embeds = [e for spec in platforms.values() for e in spec["embeds"]]
        self.markers = sorted({c for e in embeds for c in e.get("class", [])}
                              | {e["attr"] for e in embeds if e.get("attr")}
                              | {e.get("marker") or "<" + e["tag"] for e in embeds if e.get("src")})

    def find(self, html: str, text: str) -> Iterator[Embed]:
        if not html or not any(marker in html for marker in self.markers):
            return
        from lxml import html as lxml_html  # noqa: PLC0415 - only pages with embeds pay for the parse

        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, TypeError, SyntaxError):
            return
        seen: set[str] = set()
        for platform, spec in self.platforms.items():
            for embed in spec["embeds"]:
                for element in self._elements(tree, embed):
                    found = self._post(platform, spec, embed, element, text)
                    if found is None:
                        continue
                    key = found.post.url or (found.post.handle or "") + (found.post.text or "")
                    if key in seen:
                        continue
                    seen.add(key)
                    yield found

    @staticmethod
    def _elements(tree: Any, embed: dict[str, Any]) -> list[Any]:
        tag = embed["tag"]
        if embed.get("class"):
            conditions = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
                                     for c in embed["class"])
            return tree.xpath(f"//{tag}[{conditions}]")
        if embed.get("attr"):
            return tree.xpath(f"//{tag}[@{embed['attr']}]")
        return tree.xpath(f"//{tag}")

    def _post(self, platform: str, spec: dict[str, Any], embed: dict[str, Any], el: Any, text: str) -> Embed | None:
        url: str | None = None
        if embed.get("src_re") is not None:
            src = el.get("src") or el.get("data-src") or el.get("data-lazy-src") or ""
            m = embed["src_re"].search(src)
            if m is None:
                return None
            groups = {k: unquote(v) for k, v in m.groupdict().items() if v}
            url = embed["url"].format(**groups)
        elif embed.get("attr"):
            value = el.get(embed["attr"])
            if not value:
                return None
            url = embed["url"].format(value=value.strip())
        for attr in embed.get("url_attrs", []):
            if url is None and el.get(attr):
                url = el.get(attr).strip()
        post_url_re = spec["post_url_re"]
        if post_url_re is not None and (url is None or not post_url_re.search(url)):
            for href in reversed(el.xpath(".//a/@href")):
                if post_url_re.search(href):
                    url = href
                    break
        if url:
            url = url.split("?")[0] if platform != "youtube" else url
        handle = None
        if url and post_url_re is not None:
            m = post_url_re.search(url)
            if m and m.groupdict().get("handle"):
                handle = m.group("handle")
        if embed.get("attr") and url and handle is None:
            handle = el.get(embed["attr"]).split("/")[0]
        author = None
        date = None
        body = None
        if el.tag == "iframe":
            title = (el.get("title") or "").strip()
            if title and not re.search(r"(?i)\b(?:player|embed|video player|iframe)\b", title):
                body = title
        elif el.tag != "script":
            body, author, sig_handle, date = self._read_text(platform, spec, el)
            handle = handle or sig_handle
            stamp = el.xpath(".//time/@datetime")
            if stamp and not date:
                date = stamp[0][:10]
        if not url and not handle:
            return None
        span = locate(text, body) if body and len(body) >= 12 else None
        post = SocialPost(id=None, platform=platform, author=author, handle=handle, date=date, text=body,
                          url=url, embedded=True, start=span[0] if span else None, end=span[1] if span else None)
        return Embed(post, span[0] if span else None)

    def _read_text(self, platform: str, spec: dict[str, Any], el: Any) -> tuple[str | None, str | None, str | None, str | None]:
        """Text, author, handle and date from an embed's fallback markup (what shows before its script runs)."""
        full = re.sub(r"[ \t\r\f\v]+", " ", el.text_content() or "").strip()
        author = handle = date = None
        body: str | None = None
        pattern = spec["flattened_re"]
        sig = pattern.search(full) if pattern is not None else None
        if sig is not None:
            author = clean_name(sig.group("name"))
            handle = sig.group("handle")
            if sig.group("date"):
                date = self.calendar.parse_absolute(sig.group("date"))
        paragraphs = [re.sub(r"\s+", " ", p.text_content() or "").strip() for p in el.xpath(".//p")]
        paragraphs = [p for p in paragraphs if p and not (pattern is not None and pattern.search(p))
                      and not _BOILERPLATE.fullmatch(p) and not p.startswith("A post shared by")]
        if paragraphs:
            body = " ".join(paragraphs)
        elif sig is not None:
            body = full[:sig.start()]
        else:
            body = full
        body = _TRAILING_LINKS.sub("", _BOILERPLATE.sub("", body or "")).strip() or None
        if platform == "tiktok" and handle is None:
            for title in el.xpath(".//a/@title"):
                if title.startswith("@"):
                    handle = title[1:]
                    break
        return body, author, handle, date

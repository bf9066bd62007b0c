"""Stable identifiers: the same input gives the same ids, run after run."""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def stable_id(prefix: str, *parts: str | None) -> str:
    key = "\x1f".join(_SPACE.sub(" ", (p or "")).strip().lower() for p in parts)
    return prefix + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()

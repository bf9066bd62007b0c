"""Rule tables (cue verbs, platforms, hedges, ...) shipped with the package, and their loader."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Msg

DATA_DIR = Path(__file__).parent


def alternation(words: Iterable[str], table: str) -> str:
    """A rules table's words as one regex alternation, longest first.

    An empty list (or an empty word) would compile to a pattern that matches at every word boundary, so it is
    refused: a table must say what it matches.
    """
    listed = list(words)
    if not listed or any(not w or not w.strip() for w in listed):
        raise ConfigError(Msg.NG504, table=table)
    return "|".join(re.escape(w) for w in sorted(listed, key=len, reverse=True))


def table_path(name: str) -> Path:
    """A table by file name (looked up here) or by path (a user's own table)."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else DATA_DIR / name


@lru_cache(maxsize=64)
def load_table(name: str) -> Any:
    """TSV -> list of row dicts (after one `#` source line and a header row); JSON -> its object.

    A JSON table's `_source` key says where it came from; it is dropped here.
    """
    path = table_path(name)
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data.pop("_source", None)
        return data
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines, delimiter="\t"))

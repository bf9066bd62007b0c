"""Text made safe for where it goes: file names as valid UTF-8, text for a terminal, JSON without NaN."""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

# C0 controls but tab, DEL, and C1 controls: a newline forges a message line, ESC/OSC drive the terminal
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def fs_name(path: str | os.PathLike[str]) -> str:
    """A file name (or any text) as valid UTF-8: bytes that are not UTF-8, which Python keeps as surrogates,
    become U+FFFD."""
    name = os.fspath(path)
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape, not from the file system
        return name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def for_terminal(text: object) -> str:
    """`text` with control characters shown as escapes (`\\x1b`, `\\n`), so it cannot move the cursor,
    clear the screen, set the window title or start a line that looks like another message."""
    value = fs_name(str(text)) if isinstance(text, str) else str(text)
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


def finite(value: Any) -> Any:
    """`value` with NaN and the infinities (which JSON has no way to write) replaced by None, at any depth."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Strict JSON text (RFC 8259): never a bare NaN or Infinity, whatever the input records held."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(finite(value), ensure_ascii=False, allow_nan=False)

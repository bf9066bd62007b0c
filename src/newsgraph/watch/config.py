"""The [watch] settings as one dataclass; an unknown key is an error, not a silent no-op."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .. import __version__
from ..errors import ConfigError, Msg


@dataclass(frozen=True)
class WatchConfig:
    sources: tuple[str, ...] = field(default_factory=tuple)
    user_agent: str = "newsgraph"
    contact: str = ""
    delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    attempts: int = 4
    backoff: float = 1.0
    max_retry_after: float = 300.0
    interval: float = 900.0
    min_interval: float = 120.0
    max_interval: float = 21600.0
    concurrency: int = 8
    # at most this many waiting pages per nlp batch (a batch takes what has arrived, so a trickle is parsed
    # at once); as large as nlp.batch_size: a backlog parses in batches as large as an `ingest` run's
    batch: int = 32

    @classmethod
    def from_settings(cls, values: dict[str, Any] | None, **overrides: Any) -> WatchConfig:
        known = {f.name for f in fields(cls)}
        merged = {**(values or {}), **{k: v for k, v in overrides.items() if v is not None}}
        for key in merged:
            if key not in known:
                raise ConfigError(Msg.NG501, name=f"watch.{key}", detail="unknown setting")
        if "sources" in merged:
            merged["sources"] = tuple(merged["sources"] or ())
        config = cls(**merged)
        for name in ("delay", "timeout", "max_bytes", "max_redirects", "attempts", "interval", "concurrency", "batch"):
            if getattr(config, name) < (0 if name in ("delay", "max_redirects") else 1e-9):
                raise ConfigError(Msg.NG501, name=f"watch.{name}", detail="out of range")
        return config

    def agent(self) -> str:
        """The User-Agent: name/version (+contact), so a site owner knows who fetches and how to reach them."""
        contact = f"; +{self.contact}" if self.contact else ""
        return f"{self.user_agent}/{__version__} (news monitoring{contact})"

    @property
    def robots_agent(self) -> str:
        return self.user_agent.split("/")[0]

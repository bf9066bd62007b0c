"""The registered component names are an interface (configs name them): none may silently disappear."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

import newsgraph.extract  # noqa: F401 - registers the factories
from newsgraph.config import load_settings

SNAPSHOT = Path(__file__).with_name("registry.json")


def test_registry_factories_match_snapshot():
    registered = sorted(name for name in Language.factories if name.startswith("newsgraph_"))
    assert registered == json.loads(SNAPSHOT.read_text())["factories"]


def test_registry_default_pipeline_is_registered():
    settings = load_settings(environ={})
    assert set(settings.pipeline) <= set(Language.factories)
    assert set(settings.components) <= set(Language.factories)

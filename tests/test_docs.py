"""The README says what the code does: its message codes, map, settings and CLI options follow the code
(as datasette's test_docs.py keeps its docs honest). A change on one side without the other fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from thinc.api import Config

from newsgraph.cli import app
from newsgraph.config import _FIELDS, DEFAULT_CONFIG_PATH
from newsgraph.errors import Msg

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "src" / "newsgraph"


def _section(title: str) -> str:
    start = README.index(f"\n## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def test_docs_message_codes_are_the_catalogue():
    documented = set(re.findall(r"\bNG\d{3}\b", README))
    assert documented == {m.name for m in Msg}, (
        f"in README, not in errors.py: {sorted(documented - {m.name for m in Msg})}; "
        f"in errors.py, not in README: {sorted({m.name for m in Msg} - documented)}")


def _map() -> str:
    block = re.search(r"```\nsrc/newsgraph/\n(.*?)```", _section("How it is built"), re.S)
    assert block, "the architecture map is the code block under 'How it is built'"
    return block.group(1)


def test_docs_map_names_every_module_and_package():
    text = _map()
    missing = []
    for path in sorted(PACKAGE.iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix not in (".py", ".cfg", ""):
            continue
        name = path.name + ("/" if path.is_dir() else "")
        if name not in text:
            missing.append(name)
    for package in ("ingest", "link", "store", "scale", "api"):
        for module in sorted((PACKAGE / package).glob("*.py")):
            if module.stem != "__init__" and not re.search(rf"\b{module.stem}\b", text):
                missing.append(f"{package}/{module.name}")
    assert not missing, f"the README map leaves out: {missing}"


def test_docs_map_names_only_what_exists():
    files = {p.name for p in PACKAGE.rglob("*.py")}
    named = set(re.findall(r"\b(\w+\.py)\b", _map()))
    assert named <= files, f"the README map names files that do not exist: {sorted(named - files)}"


def _documented_settings() -> set[str]:
    return set(re.findall(r"^\| `(\w+\.\w+)` \|", _section("Settings"), re.M))


def test_docs_settings_table_is_the_settings():
    code = {f"{section}.{key}" for section, key in _FIELDS}
    assert _documented_settings() == code


@pytest.mark.parametrize(("section", "key"), sorted(_FIELDS))
def test_docs_every_setting_has_a_default_with_a_comment(section, key):
    config = Config().from_disk(DEFAULT_CONFIG_PATH, interpolate=False)
    assert key in config[section], f"{section}.{key} is not in default_config.cfg"
    lines = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
    assert lines[at - 1].startswith("#"), f"{section}.{key} has no comment in default_config.cfg"


def _cli_options() -> dict[str, set[str]]:
    group = typer.main.get_command(app)
    out = {"(all)": {o for p in group.params for o in p.opts + p.secondary_opts if o.startswith("-")}}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = {o for p in command.params for o in p.opts + p.secondary_opts if o.startswith("-")}
    return out


def _documented_options() -> dict[str, set[str]]:
    rows = re.findall(r"^\| `?([\w()]+)`? \| (.*) \|$", _section("Command reference"), re.M)
    return {name: set(re.findall(r"`(-[\w-]+)`", options)) for name, options in rows if name != "command"}


def test_docs_command_reference_is_the_cli():
    assert _documented_options() == _cli_options()

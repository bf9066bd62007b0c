"""The CLI under careless and hostile use (issue 21): coded messages, never tracebacks or a destroyed input."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.safe import dumps, for_terminal
from newsgraph.store import open_store
from newsgraph.store.export import gkg_row

runner = CliRunner()
GOOD = "The mayor said the harbour would reopen on Monday after the storm."


def test_output_equal_to_an_input_is_refused(tmp_path):
    data = json.dumps({"id": "a", "text": GOOD}) + "\n"
    path = tmp_path / "in.jsonl"
    path.write_text(data)
    result = runner.invoke(app, ["extract", str(path), "-o", str(path)])
    assert result.exit_code == 2 and "NG503" in result.output
    assert path.read_text() == data
    result = runner.invoke(app, ["extract", str(path), "-o", str(tmp_path / "o.jsonl"), "--report", str(path)])
    assert result.exit_code == 2 and path.read_text() == data


def test_output_in_a_missing_folder_is_a_message(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "nope" / "out.jsonl")])
    assert result.exit_code == 2 and "NG405" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_export_csv_to_an_existing_file_is_a_message(tmp_path):
    db = tmp_path / "s.db"
    open_store(db).close()
    target = tmp_path / "taken"
    target.write_text("mine")
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "-o", str(target)])
    assert result.exit_code == 2 and "NG405" in result.output
    assert isinstance(result.exception, SystemExit) and target.read_text() == "mine"


@pytest.mark.parametrize("command", [["export"], ["show", "someone"]])
def test_a_mistyped_db_creates_nothing(tmp_path, command):
    typo = tmp_path / "newsgrahp.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2 and "NG406" in result.output
    assert not typo.exists()


def test_show_unknown_name_is_a_coded_error(tmp_path):
    db = tmp_path / "s.db"
    open_store(db).close()
    result = runner.invoke(app, ["show", "nobody\x1b[2J", "--db", str(db)])
    assert result.exit_code == 1 and "NG403" in result.output and "\x1b" not in result.output


def test_terminal_escaping_of_names_and_text():
    assert for_terminal("evil\x1b]0;pwned\x07.txt") == "evil\\x1b]0;pwned\\x07.txt"
    assert for_terminal("a\nNG999 forged") == "a\\nNG999 forged"
    assert for_terminal("caf\udce9.txt") == "caf\ufffd.txt"
    assert for_terminal("tab\tkept") == "tab\tkept"


def test_file_names_reach_the_terminal_escaped(tmp_path):
    folder = os.fsencode(tmp_path)
    for name in (b"evil\x1b]0;pwned\x07.txt", b"two\nNG999 forged line.txt", b"caf\xe9.txt"):
        with open(folder + b"/" + name, "wb") as fh:
            fh.write(b"\x00\x01 binary")  # a problem each, so each name is printed; no model needed
    result = runner.invoke(app, ["extract", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert not any(line.startswith("NG999") for line in result.output.splitlines())
    assert "caf\ufffd.txt" in result.output


def test_json_output_is_strict():
    assert dumps({"tone": float("nan"), "x": [float("inf"), 1.5]}) == '{"tone": null, "x": [null, 1.5]}'


def test_gkg_cells_hold_no_line_breaks_or_nul():
    record = {"doc_id": "d\r1", "title": "A\rB\x00C\u2028D", "outlet": "Out\x0blet", "url": "https://x.org/a\rb",
              "text": GOOD, "quotes": [{"text": "we\rwill\x1cgo", "start": 3, "cue": "said\x85"}],
              "entities": [{"name": "Lena\rOrtiz", "label": "PERSON", "mentions": [[0, 4]]}]}
    line = "\t".join(gkg_row(record, 1)) + "\n"
    assert len(line.splitlines()) == 1 and "\x00" not in line
    assert len(line.rstrip("\n").split("\t")) == 27

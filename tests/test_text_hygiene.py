"""User text is escaped for the medium it is shown in (issue 12, "Text"): rich markup, terminal control
sequences, Markdown, HTML, XML, JSON; every byte written is UTF-8 even for a file name that is not; an
error message quotes at most a short excerpt of a file that is not a valid input."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from dcpolicy.cli import escape
from dcpolicy.cli.main import main
from dcpolicy.dsl.diagnostics import excerpt, visible

ROOT = Path(__file__).resolve().parents[1]
NAME = "[/x] [bold red]BOLD\x1b[31mRED\x1b]0;title\x07 | pipe\nnew line <b>&amp;\u202e`"
POLICY = '''jurisdiction xx "Test land"
  law "Test Act"
  calendar calendar-year
rule name_is "Name [/x] [bold]is[/bold] set | pipe <b>"
  cite "§1 [/c] `x`"
  severity mandatory
  require facility.name == "x"
'''


@pytest.fixture
def evil(tmp_path):
    """A facility whose name and operator carry markup, escapes, a newline, a pipe, HTML and a bidi override."""
    text = (ROOT / "examples" / "fra-3.yaml").read_text(encoding="utf-8")
    text = text.replace("name: FRA-3 Frankfurt Ostend", f"name: {json.dumps(NAME)}")
    text = text.replace("operator: Example Colo Deutschland GmbH", 'operator: "[/op]\\e[2J op|x"')
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "t.policy").write_text(POLICY, encoding="utf-8")
    return tmp_path


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err, err
    return code, out, err


# ---------------------------------------------------------------- one helper per medium
def test_field_escapes_every_control_character_and_keeps_text_on_one_line():
    assert escape.field("a\x1b[31mb\nc\td\x85e\u2028f\u202eg\x00") == "a\\x1b[31mb\\nc\\td\\x85e\\u2028f\\u202eg\\x00"
    assert escape.field("Frankfurt am Main — 東京") == "Frankfurt am Main — 東京"
    assert escape.field("caf\udce9") == "caf\\udce9"


def test_lines_keeps_line_feeds_and_tabs_of_a_whole_output():
    # a carriage return would let text overwrite the line before it: shown escaped too
    assert escape.lines("a\x1b[2Jb\nc\td\r\n") == "a\\x1b[2Jb\nc\td\\r\n"
    assert escape.lines("plain text\n") == "plain text\n"


def test_rich_text_is_never_markup():
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(escape.rich("[/x] [bold]b[/bold]"))
    assert console.file.getvalue() == "[/x] [bold]b[/bold]\n"
    assert isinstance(escape.rich("x"), Text)


def test_markdown_escapes_what_would_break_a_table_or_become_markup():
    assert escape.markdown("a|b\nc <b>x</b> <= 1.3 [l](u) `c` \\") == \
        "a\\|b\\\\nc \\<b>x\\</b> <= 1.3 \\[l\\](u) \\`c\\` \\\\"
    assert escape.fence(["a ```` b"]) == "`````" and escape.fence(["plain"]) == "```"


def test_html_and_xml_escape_markup_and_controls():
    assert escape.html('<a href="x">\x1b & \'') == "&lt;a href=&quot;x&quot;&gt;\\x1b &amp; &#x27;"
    assert escape.xml("a\x00b\x1bc\nd") == "a\\x00b\\x1bc\nd"


def test_utf8_replaces_lone_surrogates_and_the_error_handler_writes_valid_utf8():
    assert escape.utf8("caf\udce9") == "caf\ufffd" and escape.utf8("café") == "café"
    assert "caf\udce9".encode("utf-8", escape.UTF8_ERRORS) == "caf\ufffd".encode("utf-8")
    assert "caf\udce9".encode("ascii", escape.UTF8_ERRORS) == b"caf?"


def test_an_excerpt_is_one_short_line():
    assert excerpt("x" * 500) == "x" * 60 + " …"
    assert excerpt("first\nsecond") == "first …"
    assert excerpt("a\x1bb") == "a\\x1bb"
    assert visible("ok") == "ok"


# ---------------------------------------------------------------- every renderer
@pytest.mark.parametrize("fmt", ["table", "summary", "markdown", "json", "jsonl", "html", "junit", "sarif", "github",
                                 "tap"])
def test_no_renderer_lets_a_control_character_or_markup_through(evil, capsys, monkeypatch, fmt):
    monkeypatch.setenv("COLUMNS", "200")
    explain = ["--explain"] if fmt in ("table", "markdown", "json") else []
    code, out, _ = _run(capsys, "eval", "--policy", str(evil / "t.policy"), "--as-of", "2031-01-01",
                        "--format", fmt, *explain, str(evil / "evil.yaml"))
    assert code == 1  # the rule judged the name: it ran to the end
    assert "\x1b" not in out and "\x07" not in out
    if fmt not in ("json", "jsonl", "sarif"):  # JSON keeps a value's characters (escaping the controls)
        assert "\u202e" not in out
    if fmt == "table":
        assert "[/x] [bold]is[/bold] set" in out  # shown as written, not styled
    if fmt == "markdown":
        rows = [line for line in out.splitlines() if line.startswith("| FAIL")]
        assert len(rows) == 1 and len(re.findall(r"(?<!\\)\|", rows[0])) == 9  # 8 cells: no pipe or line broke it
    if fmt == "json":
        document = json.loads(out)
        assert "\\x1b" in json.dumps(document)  # the name's escape shown, not sent
    if fmt == "jsonl":
        assert all(json.loads(line) for line in out.splitlines())
    if fmt == "html":
        assert "<b>&amp;" not in out and "&lt;b&gt;&amp;amp;" in out
    if fmt == "junit":
        xml.dom.minidom.parseString(out.encode("utf-8"))
    if fmt == "sarif":
        json.loads(out)
    if fmt == "github":
        assert all(line.startswith("::") or line.startswith("policy eval:") for line in out.splitlines())


@pytest.mark.parametrize("command, fmt", [("compare", "text"), ("compare", "markdown"), ("timeline", "text"),
                                         ("priorities", "text"), ("priorities", "markdown"), ("report", "html")])
def test_the_operator_views_escape_user_text(evil, capsys, command, fmt):
    code, out, _ = _run(capsys, command, "-j", "de", "--as-of", "2031-01-01", "--format", fmt, str(evil / "evil.yaml"))
    assert code in (0, 1) and "\x1b" not in out and "\x07" not in out
    if command == "compare" and fmt == "markdown":
        assert "\\[/x\\]" not in out or "\\|" in out  # the name in a cell is escaped when it appears


def test_a_control_character_in_an_error_message_is_shown_escaped(tmp_path, capsys):
    path = tmp_path / "site.yaml"
    path.write_text('id: "a\\e[31mred"\nname: X\n', encoding="utf-8")
    code, _, err = _run(capsys, "eval", "-j", "de", str(path))
    assert code == 2 and "\x1b" not in err and 'F205 id "a\\x1b[31mred" is not a valid identifier' in err


def test_a_file_that_is_not_an_input_is_quoted_by_one_short_excerpt_only(tmp_path, capsys):
    secret = "root:x:0:0:root:/root:/bin/bash " * 40
    (tmp_path / "passwd").write_text(secret + "\nsecond line of the secret\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text("facilities:\n  - passwd\n", encoding="utf-8")
    code, _, err = _run(capsys, "eval", "-j", "de", str(tmp_path / "p.yaml"))
    assert code == 2 and "F104 expected a facility or portfolio mapping" in err
    headline = err.splitlines()[0]
    assert len(headline) < len(str(tmp_path)) + 200 and headline.endswith(" …\"")
    assert "second line" not in err
    assert max(len(line) for line in err.splitlines()) < 300  # the source line: a window of 240 columns


# ---------------------------------------------------------------- UTF-8 whatever the file name
@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a file name that is not UTF-8 needs a POSIX byte path")
@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif", "junit", "markdown", "summary", "github", "tap", "html"])
def test_output_is_valid_utf8_when_a_file_name_is_not(tmp_path, fmt):
    name = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
    with open(name, "wb") as handle:
        handle.write((ROOT / "examples" / "fra-3.yaml").read_bytes())
    result = subprocess.run([sys.executable, "-m", "dcpolicy.cli.main", "eval", "-j", "de", "--as-of", "2031-01-01",
                             "--format", fmt, name], capture_output=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr.decode("utf-8", "replace")
    text = result.stdout.decode("utf-8")  # strict: raises on anything that is not UTF-8
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "json":
        assert "caf\ufffd.yaml" in text
    if fmt == "sarif":
        assert "caf%E9.yaml" in text
    if fmt == "junit":
        xml.dom.minidom.parseString(result.stdout)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="a file name that is not UTF-8 needs a POSIX byte path")
def test_a_report_written_to_a_file_is_valid_utf8_when_a_file_name_is_not(tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.yaml"
    with open(name, "wb") as handle:
        handle.write((ROOT / "examples" / "fra-3.yaml").read_bytes())
    out = tmp_path / "r.html"
    result = subprocess.run([sys.executable, "-m", "dcpolicy.cli.main", "report", "-j", "de", "--as-of", "2031-01-01",
                             "-o", str(out), name], capture_output=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr.decode("utf-8", "replace")
    # text media show the byte as an escape (cli/escape.py lines), JSON as U+FFFD: both UTF-8
    assert "input " + str(tmp_path) + "/caf\\udce9.yaml" in out.read_bytes().decode("utf-8")


# ---------------------------------------------------------------- no Infinity or NaN in JSON
def test_a_non_finite_figure_is_null_in_json_never_infinity():
    from dcpolicy.cli.explain import json_value

    assert json_value(float("inf")) is None and json_value(float("nan")) is None and json_value(1.5) == 1.5


HUGE = """id: huge-1
name: Huge
location: {country: DE}
started: 2015-05-01
power: {nominal_connected: 1e15 MW, it_installed: 1e15 MW}
periods:
  - period: 2025
    energy: {total: 1e200 TWh, it: 1e-200 kWh, reused: 1e199 TWh}
"""


@pytest.mark.parametrize("command", [["eval", "--format", "json", "--explain"], ["eval", "--format", "jsonl"],
                                     ["eval", "--format", "sarif"], ["compare", "--format", "json"],
                                     ["timeline", "--format", "json"], ["priorities", "--format", "json"]])
def test_figures_at_the_edge_of_the_range_of_numbers_give_valid_json(tmp_path, capsys, command):
    (tmp_path / "huge.yaml").write_text(HUGE, encoding="utf-8")
    code, out, _ = _run(capsys, *command, "--as-of", "2031-01-01", str(tmp_path / "huge.yaml"))
    assert code in (0, 1)
    for line in (out.splitlines() if "jsonl" in command else [out]):
        json.loads(line, parse_constant=lambda word: pytest.fail(f"{word} in the JSON"))

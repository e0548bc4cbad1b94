"""The HTML report: self-contained, every section present, user text escaped, the audit block exact; and it
loads in headless Chromium with no console error (skipped with the reason where Chromium is absent)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dcpolicy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FRA = ROOT / "examples" / "fra-3.yaml"
PORTFOLIO = ROOT / "examples" / "portfolio.yaml"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"


class _Page(HTMLParser):
    """Every start tag with its attributes, the text, and the ids of sections."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _report(tmp_path, capsys, *args) -> tuple[int, str, _Page]:
    out = tmp_path / "report.html"
    code = main(["report", "--as-of", "2026-11-23", "-o", str(out), *args])
    capsys.readouterr()
    html = out.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    return code, html, parsed


def test_the_report_has_every_section_and_no_network_resource(tmp_path, capsys):
    code, html, page = _report(tmp_path, capsys, str(PORTFOLIO))
    assert code == 0
    assert [a["id"] for t, a in page.tags if t == "section"] == [
        "matrix", "obligations", "timeline", "priorities", "explained", "audit"]
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    for tag, attributes in page.tags:  # nothing is fetched: no link, no external src or href
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        for name in ("src", "href"):
            assert not attributes.get(name, "").startswith(("http:", "https:", "//")), (tag, attributes)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@media print" in html


def test_the_matrix_marks_foreign_law_and_the_explanations_carry_law_text_and_yaml_positions(tmp_path, capsys):
    _, html, page = _report(tmp_path, capsys, "-j", "all", str(PORTFOLIO))
    text = "".join(page.text)
    assert "shanghai-2 × eu.report" in text  # a failing rule, explained
    assert "law says" in text
    assert re.search(r"examples/shanghai-2\.yaml:\d+:\d+", text)  # facts located in the YAML
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # fra-3, shanghai-2, ennis-1 (a cn PUE limit under -j all); none: tokyo, dublin
    assert "✗ eu.report" in text


def test_the_audit_block_lists_version_as_of_and_every_sha256(tmp_path, capsys):
    from dcpolicy import __version__

    _, html, page = _report(tmp_path, capsys, str(PORTFOLIO))
    audit = html[html.index('<section id="audit"'):]
    assert f"dcpolicy {__version__}" in audit and "2026-11-23" in audit
    for name in ("portfolio.yaml", "fra-3.yaml", "tokyo-1.yaml", "shanghai-2.yaml", "dublin-1.yaml"):
        digest = hashlib.sha256((ROOT / "examples" / name).read_bytes()).hexdigest()
        assert digest in audit, name
    for policy in ("de", "eu", "jp", "cn"):
        digest = hashlib.sha256((ROOT / "policies" / f"{policy}.policy").read_bytes()).hexdigest()
        assert f"policies/{policy}.policy" in audit and digest in audit


def test_user_text_is_escaped(tmp_path, capsys):
    text = FRA.read_text(encoding="utf-8").replace("name: FRA-3 Frankfurt Ostend",
                                                  'name: "<script>alert(1)</script> & <b>Co</b>"')
    site = tmp_path / "evil.yaml"
    site.write_text(text, encoding="utf-8")
    _, html, page = _report(tmp_path, capsys, str(site))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert [t for t, _ in page.tags].count("script") == 1  # only the page's own


def test_what_if_is_shown_in_the_report(tmp_path, capsys):
    _, html, _ = _report(tmp_path, capsys, "--set", "period.energy.it=22.9 GWh", str(FRA))
    assert '<section id="what-if">' in html and "period[2025].energy.it = 22.9 GWh" in html
    assert "--set fra-3" in html[html.index('<section id="audit"'):]


def test_format_html_of_eval_compare_and_timeline(tmp_path, capsys):
    for command, sections in (("eval", ["matrix", "obligations", "explained", "audit"]),
                              ("compare", ["matrix", "obligations", "explained", "audit"]),
                              ("timeline", ["timeline", "audit"])):
        out = tmp_path / f"{command}.html"
        args = [command, "--as-of", "2026-11-23", "--format", "html", str(FRA)]
        if command != "eval":
            args[1:1] = ["-o", str(out)]
            main(args)
            html = out.read_text(encoding="utf-8")
        else:
            main(args)
            html = capsys.readouterr().out
        capsys.readouterr()
        assert re.findall(r'<section id="([a-z-]+)"', html) == sections, command


@pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                    reason=f"headless Chromium not installed at {CHROMIUM} (Debian package `chromium`); "
                           "the structural tests above still check the page")
def test_the_report_loads_in_headless_chromium_without_console_errors(tmp_path, capsys):
    _report(tmp_path, capsys, str(PORTFOLIO))
    page = tmp_path / "report.html"
    shot = tmp_path / "report.png"
    common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-ready="yes"' in dom.stdout  # the page's script ran to its end
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert any("dcpolicy report: 6 sections" in line for line in console), dom.stderr[-2000:]
    errors = [line for line in console if re.search(r"Uncaught|Error|Failed to load|Refused", line)]
    assert errors == []
    taken = subprocess.run(common + ["--window-size=1280,2400", f"--screenshot={shot}", page.as_uri()],
                           capture_output=True, text=True, timeout=180)
    assert taken.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("DCPOLICY_REGENERATE"):
        shutil.copyfile(shot, SCREENSHOT)

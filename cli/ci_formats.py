"""CI formats: JUnit XML, SARIF 2.1.0, GitHub workflow annotations and TAP 13, written from cli/ci_model.py checks.

`policy eval`, `policy check` and `policy test` take `--format junit|sarif|github|tap`; the exit code
is the command's own either way. The formats are documented in docs/analyst-guide.md ("In CI").
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from .escape import field, xml
from .escape import lines as without_controls

CI_FORMATS = ("junit", "sarif", "github", "tap")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def write(output_format: str, checks, command: str) -> str:
    return {"junit": junit, "sarif": sarif, "github": github, "tap": tap}[output_format](checks, command)


# ---------------------------------------------------------------- JUnit XML
def junit(checks, command: str) -> str:
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name=f"policy {command}")
    suites: dict[str, list] = {}
    for check in checks:
        suites.setdefault(check.suite, []).append(check)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for index, (name, members) in enumerate(suites.items()):
        counts = {"tests": len(members), "failures": sum(c.outcome == "fail" for c in members), "errors": 0,
                  "skipped": sum(c.outcome == "skip" for c in members)}
        suite = ET.SubElement(root, "testsuite", name=xml(name), id=str(index),
                              **{k: str(v) for k, v in counts.items()}, time="0")
        for check in members:
            # user text through xml(): XML 1.0 holds no control character (ElementTree escapes the rest)
            case = ET.SubElement(suite, "testcase", name=xml(check.name), classname=xml(_classname(name)), time="0")
            if check.outcome == "fail":
                failure = ET.SubElement(case, "failure", message=xml(check.message), type=xml(check.rule.id))
                failure.text = xml(_where(check) + check.detail)
            elif check.outcome == "skip":
                ET.SubElement(case, "skipped", message=xml(check.message))
            if check.detail and check.outcome != "fail":
                ET.SubElement(case, "system-out").text = xml(check.detail)
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _classname(suite: str) -> str:
    return suite.replace(" × ", ".").replace("/", ".").replace(" ", "_")


def _where(check) -> str:
    loc = check.location
    return f"at {loc.file}:{loc.line}:{loc.column}\n" if loc else ""


# ---------------------------------------------------------------- SARIF 2.1.0
def sarif(checks, command: str) -> str:
    from .. import __version__

    rules: dict[str, dict] = {}
    results = []
    for check in checks:
        if check.level is None:
            continue
        rule = check.rule
        if rule.id not in rules:
            descriptor = {"id": rule.id, "shortDescription": {"text": rule.title},
                          "defaultConfiguration": {"level": check.level},
                          "properties": {k: v for k, v in (("citation", rule.citation), ("severity", rule.severity)) if v}}
            if rule.citation:
                descriptor["fullDescription"] = {"text": f"{rule.title} ({rule.citation})"}
            rules[rule.id] = descriptor
        # kind is left at its default, "fail": SARIF 2.1.0 §3.27.9 allows a level other than "none"
        # only with it; whether the run fails is said by the level and the command's exit code
        result = {"ruleId": rule.id, "ruleIndex": list(rules).index(rule.id), "level": check.level,
                  "message": {"text": check.message}}
        if check.location is not None:
            result["locations"] = [_sarif_location(check.location)]
        properties = {k: v for k, v in check.properties.items() if v not in (None, [], "")}
        properties["subject"] = check.suite
        if command == "eval" and check.detail:  # --trace reasons|full: the rule's trace, line by line
            properties["trace"] = check.detail.splitlines()
        result["properties"] = properties
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dcpolicy", "version": __version__,
                                "rules": list(rules.values())}},
            "automationDetails": {"id": f"policy {command}/"},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _sarif_location(location) -> dict:
    path = Path(location.file)
    # a file name that is not UTF-8 (lone surrogates) is percent-encoded from its own bytes
    uri = (quote(path.resolve().as_posix(), errors="surrogateescape") if path.is_absolute()
           else quote(path.as_posix(), errors="surrogateescape"))
    uri = "file://" + uri if path.is_absolute() else uri
    region = {"startLine": location.line, "startColumn": location.column}
    if location.end_line is not None:
        region["endLine"] = location.end_line
    if location.end_column is not None and location.end_column > location.column:
        region["endColumn"] = location.end_column
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}


# ---------------------------------------------------------------- GitHub workflow annotations
def github(checks, command: str) -> str:
    commands = {"error": "error", "warning": "warning", "note": "notice"}
    lines = []
    for check in checks:
        if check.level is None:
            continue
        fields = {}
        if check.location is not None:
            loc = check.location
            fields = {"file": loc.file, "line": loc.line, "col": loc.column}
            if loc.end_line is not None:
                fields["endLine"] = loc.end_line
            if loc.end_column is not None and loc.end_line == loc.line and loc.end_column > loc.column:
                fields["endColumn"] = loc.end_column
        title = f"{check.rule.id}" + (f" ({check.rule.citation})" if check.rule.citation else "")
        fields["title"] = f"{check.suite}: {title}"
        properties = ",".join(f"{k}={_escape_property(str(v))}" for k, v in fields.items())
        message = check.message + (f"\n{check.detail}" if command == "eval" and check.detail else "")  # --trace
        lines.append(f"::{commands[check.level]} {properties}::{_escape_data(message)}")
    failed = sum(c.outcome == "fail" for c in checks)
    lines.append(f"policy {command}: {len(checks) - failed} passed or skipped, {failed} failed")
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    """The escaping of GitHub's workflow commands (actions/toolkit, core/src/command.ts); other control
    characters shown as escapes (cli/escape.py), so none acts on the log viewer."""
    return without_controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# ---------------------------------------------------------------- TAP 13
def tap(checks, command: str) -> str:
    lines = ["TAP version 13", f"1..{len(checks)}"]
    for number, check in enumerate(checks, 1):
        description = field(f"{check.suite}: {check.name}").replace("\\", "\\\\").replace("#", "\\#")
        if check.outcome == "skip":
            lines.append(f"ok {number} - {description} # SKIP {field(check.message)}")
            continue
        lines.append(f"{'ok' if check.outcome == 'pass' else 'not ok'} {number} - {description}")
        if check.outcome == "fail":
            block = {"message": check.message, "severity": check.level or "fail", "rule": check.rule.id}
            if check.location is not None:
                block["at"] = f"{check.location.file}:{check.location.line}:{check.location.column}"
            lines.append("  ---")
            lines.extend("  " + line for line in _yaml_lines(block, check.detail))
            lines.append("  ...")
    return "\n".join(lines) + "\n"


def _yaml_lines(block: dict, detail: str) -> list[str]:
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in block.items()]
    if detail:
        lines.append("detail: |")
        lines.extend("  " + field(line) for line in detail.split("\n"))
    return lines

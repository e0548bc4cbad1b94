"""`policy lsp`: a pygls client talks to the server over stdio; diagnostics match `policy check`, hover on facts
and definitions, completion of fact paths, keywords and definitions, go-to-definition."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from dcpolicy.cli import lsp_features  # noqa: E402
from dcpolicy.cli.main import main  # noqa: E402

TEXT = """\
jurisdiction xx "Test land"
define pue = period.energy.total / period.energy.it  "PUE = E_DC / E_IT"
define unused = 3 kW
rule r "R"
  cite "§1"
  require pue <= 1.5 and facility.power.it_instaled > 1 kW
"""


async def _session(path: Path, text: str, steps):
    client = LanguageClient("dcpolicy-tests", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        published.put_nowait(params)

    await client.start_io(sys.executable, "-c", "from dcpolicy.cli.main import console; console()", "lsp")
    try:
        await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(),
                                                           root_uri=path.parent.as_uri()))
        client.initialized(lsp.InitializedParams())
        uri = path.as_uri()
        client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="dcpolicy", version=1, text=text)))
        return await steps(client, uri, published)
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


def _run(path, text, steps):
    return asyncio.run(asyncio.wait_for(_session(path, text, steps), timeout=60))


def test_diagnostics_have_the_codes_and_positions_of_policy_check(tmp_path, capsys):
    path = tmp_path / "xx.policy"
    path.write_text(TEXT, encoding="utf-8")

    async def steps(client, uri, published):
        return await asyncio.wait_for(published.get(), timeout=30)

    params = _run(path, TEXT, steps)
    assert main(["check", "--format", "json", str(path)]) == 3
    expected = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    got = [(d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.character + 1,
            "error" if d.severity == lsp.DiagnosticSeverity.Error else "warning") for d in params.diagnostics]
    assert got == [(d["code"], d["line"], d["column"], d["end_column"], d["severity"]) for d in expected]
    assert {d.code for d in params.diagnostics} == {"W601", "E202"}
    assert any("did you mean \"facility.power.it_installed\"" in d.message for d in params.diagnostics)


def test_a_change_republishes_and_a_fix_clears_the_diagnostics(tmp_path):
    path = tmp_path / "xx.policy"
    fixed = TEXT.replace("it_instaled", "it_installed").replace('define unused = 3 kW\n', "")

    async def steps(client, uri, published):
        await asyncio.wait_for(published.get(), timeout=30)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)]))
        return await asyncio.wait_for(published.get(), timeout=30)

    assert list(_run(path, TEXT, steps).diagnostics) == []


def test_hover_completion_and_definition(tmp_path):
    path = tmp_path / "xx.policy"

    async def steps(client, uri, published):
        document = lsp.TextDocumentIdentifier(uri=uri)
        fact = await client.text_document_hover_async(lsp.HoverParams(document, lsp.Position(1, 25)))
        definition_hover = await client.text_document_hover_async(lsp.HoverParams(document, lsp.Position(5, 11)))
        facts = await client.text_document_completion_async(lsp.CompletionParams(document, lsp.Position(5, 42)))
        words = await client.text_document_completion_async(lsp.CompletionParams(document, lsp.Position(5, 10)))
        target = await client.text_document_definition_async(lsp.DefinitionParams(document, lsp.Position(5, 11)))
        return fact, definition_hover, facts, words, target

    fact, definition_hover, facts, words, target = _run(path, TEXT, steps)
    assert fact.contents.value.startswith('**period.energy.total** — energy (e.g. "21.3 GWh")')
    assert "canonical unit: kWh" in fact.contents.value and "E_DC" in fact.contents.value
    assert "define pue = period.energy.total / period.energy.it" in definition_hover.contents.value
    assert "PUE = E_DC / E_IT" in definition_hover.contents.value
    labels = [item.label for item in facts.items]
    assert labels == ["it_installed", "it_nominal_connected"]  # after `facility.power.it`
    assert "pue" in [item.label for item in words.items]  # a definition, at `pu|e`
    assert target.range.start.line == 1 and target.uri == path.as_uri()


def test_keywords_complete_from_the_builtins_table():
    from dcpolicy.dsl import builtins

    labels = {c.label for c in lsp_features.completions("rule x \"t\"\n  ", 1, 2)}
    assert set(builtins.KEYWORDS) <= labels and set(builtins.FUNCTIONS) <= labels
    assert [c.label for c in lsp_features.completions("rule x \"t\"\n  requ", 1, 6)] == ["require"]


def test_hover_names_an_unknown_fact_with_a_suggestion():
    assert lsp_features.hover("  require facility.power.it_instaled > 1 kW", 0, 20) == (
        "`facility.power.it_instaled`: not a fact of the facility input; did you mean `facility.power.it_installed`?")


def test_definitions_are_found_while_the_text_does_not_parse():
    text = "define pue = period.energy.total / period.energy.it\nrule r \"R\"\n  require pue <=\n"
    site = lsp_features.definition_at(text, 2, 11)
    assert site is not None and site.range.line == 0

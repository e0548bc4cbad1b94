"""`policy lsp`: a language server over stdio (pygls), for editors: diagnostics, hover, completion, definitions.

The features are cli/lsp_features.py; this module only speaks LSP. pygls and lsprotocol are the optional
extra `lsp` (`pip install -e '.[lsp]'`) and are imported only when the server starts.
"""

from __future__ import annotations

import sys

from . import exits

SERVER_NAME = "dcpolicy"


def run(args) -> int:
    try:
        server = build_server()
    except ImportError as err:
        print(f"policy lsp: error: the language server needs pygls ({err.name} is not installed); "
              "install it with: pip install 'dcpolicy[lsp]'", file=sys.stderr)
        return exits.USAGE
    server.start_io()
    return exits.OK


def build_server():
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer

    from .. import __version__
    from . import lsp_features as features

    server = LanguageServer(SERVER_NAME, __version__)
    severities = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}
    kinds = {"fact": lsp.CompletionItemKind.Field, "keyword": lsp.CompletionItemKind.Keyword,
             "definition": lsp.CompletionItemKind.Variable, "function": lsp.CompletionItemKind.Function}

    def to_range(where) -> lsp.Range:
        return lsp.Range(lsp.Position(where.line, where.character), lsp.Position(where.end_line, where.end_character))

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        problems = features.diagnostics(document.source, _file_name(uri))
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[
            lsp.Diagnostic(range=to_range(p.range), message=p.message, severity=severities[p.severity],
                           code=p.code, source=SERVER_NAME) for p in problems]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: lsp.DidOpenTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: lsp.DidChangeTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: lsp.DidSaveTextDocumentParams):
        publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: lsp.HoverParams):
        text = server.workspace.get_text_document(params.text_document.uri).source
        found = features.hover(text, params.position.line, params.position.character)
        if found is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=found))

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["."]))
    def completion(ls, params: lsp.CompletionParams):
        text = server.workspace.get_text_document(params.text_document.uri).source
        items = features.completions(text, params.position.line, params.position.character)
        return lsp.CompletionList(is_incomplete=False, items=[
            lsp.CompletionItem(label=item.label, kind=kinds[item.kind], detail=item.detail or None) for item in items])

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls, params: lsp.DefinitionParams):
        uri = params.text_document.uri
        site = features.definition_at(server.workspace.get_text_document(uri).source,
                                      params.position.line, params.position.character)
        return lsp.Location(uri=uri, range=to_range(site.range)) if site is not None else None

    return server


def _file_name(uri: str) -> str:
    """The path `policy check` would print for this document."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri

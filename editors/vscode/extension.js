// Starts `policy lsp` (the dcpolicy language server, over stdio) for *.policy files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("dcpolicy").get("server.command");
  client = new LanguageClient(
    "dcpolicy",
    "dcpolicy",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "dcpolicy" }] }
  );
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

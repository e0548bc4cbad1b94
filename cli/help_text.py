"""What `policy COMMAND --help` says beyond the options: a description, examples and the exit codes.

One entry per subcommand; tests/test_help_and_completion.py checks every subcommand of the parser has
one, so a new command cannot ship with a bare usage line. Exit codes are those of cli/exits.py.
"""

from __future__ import annotations

import argparse

_INTERNAL = (4, "an internal error: a bug in dcpolicy (DCPOLICY_DEBUG=1 shows the traceback)")

HELP: dict[str, tuple[str, tuple[str, ...], tuple[tuple[int, str], ...]]] = {
    "check": ("Parse and check policy files: every error and warning with its code, file, line and column "
              "(docs/errors.md). --strict makes warnings fail too; --format junit|sarif|github|tap for CI.",
              ("policy check policies/", "policy check --strict --format github my-rules/"),
              ((0, "every file is valid (warnings allowed without --strict)"), (2, "a path does not exist"),
               (3, "a policy has an error (or, with --strict, a warning)"), _INTERNAL)),
    "eval": ("Evaluate facilities (YAML) against policies: a verdict per rule with its reason, citation and "
             "figures; --explain shows each rule's steps and where every fact came from.",
             ("policy eval -j de examples/fra-3.yaml", "policy eval -j all --format summary examples/portfolio.yaml",
              "policy eval -j de --format sarif sites/ > results.sarif",
              "policy eval -j de --format json --record audit/run-1 examples/fra-3.yaml"),
             ((0, "no counted mandatory rule fails"), (1, "a counted mandatory rule fails (or what --fail-on adds)"),
              (2, "bad input or usage: facility data, arguments, --period"), (3, "a policy file is invalid"),
              _INTERNAL)),
    "replay": ("Run a run recorded with `policy eval --record DIR` again, from the files kept in DIR (every "
               "input as read, the --policy files, stdin), with its options and as-of date, and compare the result "
               "byte for byte and the exit code. Every kept file is checked against its sha256 first; a shipped "
               "policy that changed since the run is reported, not silently used.",
               ("policy replay audit/2026-q1",
                "policy eval -j de --format json --record audit/2026-q1 examples/fra-3.yaml   # how it was made"),
               ((0, "reproduced: the same bytes and the same exit code"),
                (1, "the result or the exit code differs (a diff is shown), or a shipped policy changed since"),
                (2, "DIR is not a record, or a kept file is missing or was altered"), _INTERNAL)),
    "fmt": ("Print policies in the canonical layout, comments kept; - reads stdin. The formatted text is "
            "parsed again and must mean the same before it is printed or written.",
            ("policy fmt my.policy", "policy fmt --diff policies/", "policy fmt --write my.policy",
             "policy fmt --check policies/"),
            ((0, "done; with --check or --diff: every file is in layout"),
             (1, "--check or --diff: a file is not in layout"), (2, "a path does not exist, or --write with -"),
             (3, "a policy does not parse"), _INTERNAL)),
    "test": ("Run policy test cases (YAML: a facility, a date, the verdicts expected; format in "
             "docs/analyst-guide.md). --coverage lists the rules, tiers, reliefs, exclusions and band rows no "
             "case reaches.",
             ("policy test", "policy test my-rules/tests/ -k '§5'", "policy test --coverage --fail-under 90"),
             ((0, "every case passes (and the coverage reaches --fail-under)"),
              (1, "a case fails, or the coverage is under --fail-under"),
              (2, "a malformed case file, an unknown verdict word, a missing policy, no case selected"),
              (3, "a policy is invalid (or, with --strict, has a warning)"), _INTERNAL)),
    "inspect": ("Print what one stage makes of a policy file: the AST, the checked AST, or the generated plan.",
                ("policy inspect --stage checked my.policy", "policy inspect --stage plan policies/de.policy"),
                ((0, "printed"), (2, "not one .policy file"), (3, "the policy is invalid"), _INTERNAL)),
    "list": ("List the shipped regimes (code, name, legal status, rule count, law), or with -j the rules of "
             "one: severity, in-force dates, citation.",
             ("policy list", "policy list -j de", "policy list --policy my.policy --format json"),
             ((0, "listed"), (2, "an unknown jurisdiction"), (3, "a policy file is invalid"), _INTERNAL)),
    "explain": ("Show one rule: citation, quoted law, in-force dates, legal status, reliefs, the facts it reads "
                "with their units, and its text.",
                ("policy explain de.pue_new", "policy explain pue_limit --policy my.policy"),
                ((0, "shown"), (2, "no such rule (the closest is suggested) or an unknown jurisdiction"),
                 (3, "a policy file is invalid"), _INTERNAL)),
    "schema": ("The facts a regime reads, read from its compiled rules: type, unit, meaning, and the rules "
               "that read each.",
               ("policy schema -j de", "policy schema -j eu --format json"),
               ((0, "listed"), (2, "an unknown jurisdiction"), (3, "a policy file is invalid"), _INTERNAL)),
    "init": ("Print a template facility file for a regime: id, name, one period, and every fact the regime "
             "reads commented out with an example value. Evaluated untouched, every rule is unknown and names "
             "the facts it misses.",
             ("policy init -j de > my-dc.yaml", "policy eval -j de my-dc.yaml"),
             ((0, "printed"), (2, "an unknown jurisdiction"), (3, "a policy file is invalid"), _INTERNAL)),
    "lsp": ("Run the dcpolicy language server over stdio, for editors: diagnostics as you type, hover, "
            "completion, go to definition. Needs the lsp extra: pip install 'dcpolicy[lsp]'.",
            ("policy lsp",),
            ((0, "the editor closed the connection"), (2, "pygls is not installed"), _INTERNAL)),
    "completion": ("Print a shell completion script for policy: subcommands, options, jurisdiction codes and "
                   "rule ids.",
                   ("policy completion bash > ~/.local/share/bash-completion/completions/policy",
                    'eval "$(policy completion bash)"      # in ~/.bashrc',
                    'eval "$(policy completion zsh)"       # in ~/.zshrc',
                    "policy completion fish > ~/.config/fish/completions/policy.fish"),
                   ((0, "printed"), (2, "an unknown shell"), _INTERNAL)),
    # the operator views (issue 10; docs/operator-views.md): they exit like policy eval at --as-of
    "compare": ("Regimes side by side. One facility: its obligations by theme (PUE limit, waste heat and reuse, "
                "renewable energy, reporting, management system) × regimes, each cell the verdict with figure and "
                "limit. A portfolio: sites × regimes, each cell the status, with totals. Each site under its own "
                "law by default (-j home); -j home,jp adds Japan for every site.",
                ("policy compare examples/portfolio.yaml", "policy compare -j home,jp examples/fra-3.yaml",
                 "policy compare --format html -o compare.html examples/portfolio.yaml"),
                ((0, "no counted mandatory rule fails"), (1, "a counted mandatory rule fails"),
                 (2, "bad input or usage"), (3, "a policy file is invalid"), _INTERNAL)),
    "timeline": ("Year by year (each judged as of 31 December): the obligations in force per regime, the "
                 "figures against them, the first year each would be missed on the latest figures, and a chart "
                 "of each regime's PUE limit with the facility's PUE (--format svg draws it).",
                 ("policy timeline --from 2026 --to 2033 examples/fra-3.yaml",
                  "policy timeline --format svg -o pue.svg examples/fra-3.yaml"),
                 ((0, "no counted mandatory rule fails at --as-of"), (1, "a counted mandatory rule fails at --as-of"),
                  (2, "bad input or usage (e.g. --to before --from)"), (3, "a policy file is invalid"), _INTERNAL)),
    "priorities": ("What to fix first: the mandatory gaps over the coming years ranked by the energy that closes "
                   "them and by deadline, targets apart, and the deadlines of the next months (reports due, rules "
                   "coming into force); --ics writes them for a calendar.",
                   ("policy priorities examples/portfolio.yaml",
                    "policy priorities --months 6 --ics deadlines.ics examples/portfolio.yaml"),
                   ((0, "no counted mandatory rule fails at --as-of"), (1, "a counted mandatory rule fails at --as-of"),
                    (2, "bad input or usage (e.g. --months 0)"), (3, "a policy file is invalid"), _INTERNAL)),
    "report": ("One self-contained HTML page to hand on: the matrix, each site's obligations, the timeline chart, "
               "what to fix first, every failing or unknown rule explained with its law text and YAML positions, "
               "and the audit block (version, as-of, sha256 of every input and policy).",
               ("policy report -o report.html examples/portfolio.yaml",
                'policy report --set period.energy.it="22.9 GWh" -o what-if.html examples/fra-3.yaml'),
               ((0, "no counted mandatory rule fails"), (1, "a counted mandatory rule fails"),
                (2, "bad input or usage"), (3, "a policy file is invalid"), _INTERNAL)),
}


def epilog(command: str) -> str:
    _, examples, codes = HELP[command]
    lines = ["examples:"] + [f"  {example}" for example in examples] + ["", "exit codes:"]
    lines += [f"  {code}  {words}" for code, words in codes]
    return "\n".join(lines)


def apply(subparsers_action) -> None:
    """Give every subcommand its description, examples and exit codes (kept as written, not re-wrapped)."""
    for name, parser in subparsers_action.choices.items():
        if name not in HELP:
            continue
        parser.description = parser.description or HELP[name][0]  # a longer one written with the command stays
        parser.epilog = epilog(name)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter

"""`policy completion bash|zsh|fish`: shell completion scripts, written from the command's own parser.

Subcommands and options come from cli/main.py's parser, so a new option completes without editing a
script. Jurisdiction codes and rule ids change with the policies, so the scripts ask for them when
completing: `policy completion --values jurisdictions|rules` prints them one a line (shipped policies
only, parsed without compiling, to stay quick).
"""

from __future__ import annotations

import sys

from . import exits

SHELLS = ("bash", "zsh", "fish")
VALUE_KINDS = ("jurisdictions", "rules")


def run(args) -> int:
    if args.values:
        print("\n".join(values(args.values)))
        return exits.OK
    if args.shell is None:
        print("policy completion: error: name a shell: bash, zsh or fish", file=sys.stderr)
        return exits.USAGE
    from .main import build_parser

    sys.stdout.write({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](commands(build_parser())))
    return exits.OK


def commands(parser) -> dict[str, list[str]]:
    """Subcommand -> its option strings."""
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: sorted(o for a in sub._actions for o in a.option_strings)
            for name, sub in action.choices.items()}


def values(kind: str) -> list[str]:
    from ..dsl.diagnostics import DiagnosticError
    from ..dsl.loader import shipped_policies_dir
    from ..dsl.parser import parse_file

    found = []
    for path in sorted(shipped_policies_dir().glob("*.policy")):
        if kind == "jurisdictions":
            found.append(path.stem.replace("-", "_"))
            continue
        try:
            policy, _ = parse_file(str(path))
        except DiagnosticError:
            continue
        found += [f"{policy.header.code}.{d.name}" for d in policy.rules]
    return found + (["all"] if kind == "jurisdictions" else [])


def bash(table: dict[str, list[str]]) -> str:
    cases = "\n".join(f'        {name}) opts="{" ".join(options)}" ;;' for name, options in table.items())
    return f"""# bash completion for policy (dcpolicy): eval "$(policy completion bash)"
_policy_complete() {{
    local cur prev command opts
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    command="${{COMP_WORDS[1]}}"
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "{' '.join(table)} --help --version" -- "$cur"))
        return
    fi
    case "$prev" in
        -j|--jurisdiction)
            COMPREPLY=($(compgen -W "$(policy completion --values jurisdictions 2>/dev/null)" -- "$cur")); return ;;
        --format|--stage|--fail-on|--as-of|--period|-k|--fail-under) return ;;
        --policy)
            COMPREPLY=($(compgen -f -X '!*.policy' -- "$cur") $(compgen -d -- "$cur")); return ;;
    esac
    case "$command" in
{cases}
        *) opts="" ;;
    esac
    if [[ "$command" == explain && "$cur" != -* ]]; then
        COMPREPLY=($(compgen -W "$(policy completion --values rules 2>/dev/null)" -- "$cur")); return
    fi
    if [[ "$command" == completion && "$cur" != -* ]]; then
        COMPREPLY=($(compgen -W "{' '.join(SHELLS)}" -- "$cur")); return
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _policy_complete policy
"""


def zsh(table: dict[str, list[str]]) -> str:
    cases = "\n".join(f"    {name}) compadd -- {' '.join(options)} ;;" for name, options in table.items())
    return f"""#compdef policy
# zsh completion for policy (dcpolicy): eval "$(policy completion zsh)"
_policy() {{
  if (( CURRENT == 2 )); then
    compadd -- {' '.join(table)}
    return
  fi
  case "${{words[CURRENT-1]}}" in
    -j|--jurisdiction) compadd -- ${{(f)"$(policy completion --values jurisdictions 2>/dev/null)"}}; return ;;
    --policy) _files -g '*.policy'; return ;;
  esac
  if [[ "${{words[2]}}" == explain && "${{words[CURRENT]}}" != -* ]]; then
    compadd -- ${{(f)"$(policy completion --values rules 2>/dev/null)"}}; return
  fi
  if [[ "${{words[2]}}" == completion && "${{words[CURRENT]}}" != -* ]]; then
    compadd -- {' '.join(SHELLS)}; return
  fi
  if [[ "${{words[CURRENT]}}" == -* ]]; then
    case "${{words[2]}}" in
{cases}
    esac
  else
    _files
  fi
}}
if (( $+functions[compdef] )); then compdef _policy policy; fi
"""


def fish(table: dict[str, list[str]]) -> str:
    names = " ".join(table)
    lines = ["# fish completion for policy (dcpolicy): policy completion fish > ~/.config/fish/completions/policy.fish",
             "complete -c policy -e",
             f"complete -c policy -n '__fish_use_subcommand' -f -a '{names}'"]
    for name, options in table.items():
        for option in options:
            flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
            lines.append(f"complete -c policy -n '__fish_seen_subcommand_from {name}' {flag}")
    lines += [
        "complete -c policy -n '__fish_seen_subcommand_from eval list explain schema init' -s j -l jurisdiction "
        "-x -a '(policy completion --values jurisdictions 2>/dev/null)'",
        "complete -c policy -n '__fish_seen_subcommand_from explain' -f -a '(policy completion --values rules 2>/dev/null)'",
        f"complete -c policy -n '__fish_seen_subcommand_from completion' -f -a '{' '.join(SHELLS)}'",
    ]
    return "\n".join(lines) + "\n"

"""The `policy` command: wires the stages together; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with one clear line, never a traceback
        self.print_usage(sys.stderr)
        print(f"policy: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    import dcpolicy

    parser = _Parser(prog="policy", description="Check data-centre efficiency policies and evaluate facilities against them.")
    parser.add_argument("--version", action="version", version=f"dcpolicy {dcpolicy.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="parse and check policy files")
    check.add_argument("paths", nargs="+", metavar="PATH", help="policy files or folders of them")
    check.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from . import check

        return check.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())


def console() -> None:
    sys.exit(main())

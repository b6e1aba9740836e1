"""SecDesk entry point: no command opens the GUI; a command runs headless (DESIGN.md §5)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from cli import build_parser

    args = build_parser().parse_args(argv)
    if args.command is None:
        from gui.app import run_gui

        return run_gui(args)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

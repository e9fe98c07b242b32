"""``python -m checks PATH...``: run the checks on folders or files of HTML.

Exit 0 when nothing is found, 1 when findings are reported, 2 on bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .govmeta import check_file, check_tree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="HTML files or folders of HTML")
    args = parser.parse_args(argv)
    findings = []
    for path in args.paths:
        if path.is_dir():
            findings += check_tree(path)
        elif path.is_file():
            findings += check_file(path)
        else:
            print(f"error: {path}: no such file or folder", file=sys.stderr)
            return 2
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())

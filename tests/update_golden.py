"""Rewrite golden expected.json files: ``python -m tests.update_golden [CASE_SUBSTRING...]``.

Review the diff by hand before committing: the expected files are the specification.
"""

from __future__ import annotations

import sys

from tests.goldens import case_dirs, write_expected


def main(argv: list[str]) -> None:
    for case in case_dirs():
        if not argv or any(part in str(case) for part in argv):
            write_expected(case)
            print(f"wrote {case}/expected.json")


if __name__ == "__main__":
    main(sys.argv[1:])

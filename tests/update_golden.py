"""Rewrite golden expected.json files: ``python -m tests.update_golden [CASE_SUBSTRING...]``.

Every case folder under ``tests/realpages/`` whose ``<platform>/<case>`` name contains one of the
substrings (all cases when none is given). Review the diff by hand before committing: the
expected files are the specification of the parser's behaviour on real pages.
"""

from __future__ import annotations

import sys

from tests.corpus import case_id
from tests.goldens import case_dirs, write_expected


def main(argv: list[str]) -> int:
    chosen = [case for case in case_dirs() if not argv or any(part in case_id(case) for part in argv)]
    if not chosen:
        print(f"no case matches {' '.join(argv)}", file=sys.stderr)
        return 1
    for case in chosen:
        write_expected(case)
        print(f"wrote {case_id(case)}/expected.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

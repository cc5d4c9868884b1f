"""One count of usable cores behind every pool: the process's CPU affinity, not the machine's cores."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawler.cores import usable_cores
from crawler.pool import worker_count


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this platform")
def test_a_process_pinned_to_one_core_counts_one():
    script = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "from crawler.cores import usable_cores; from crawler.pool import worker_count\n"
        "print(usable_cores(), worker_count(-1))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1"]


def test_worker_count_minus_one_is_the_usable_cores_and_others_are_kept():
    assert worker_count(-1) == usable_cores() >= 1
    assert worker_count(0) == 0
    assert worker_count(3) == 3

"""Output safety through the real entry point: one writer per output, failures never exit 0."""

from __future__ import annotations

import pytest

from crawler.outlock import LOCK_NAME, try_lock
from tests.helpers import blogarchive
from tests.test_cli import one_line_error


@pytest.mark.parametrize(
    "command",
    [
        ("crawl", "http://127.0.0.1:9/", "-o", "{out}"),
        ("build", "{warc}", "-o", "{out}"),
        ("snapshot", "{warc}", "--version", "1.0.0", "-o", "{out}"),
    ],
)
def test_a_second_writer_of_an_output_gets_exit_2_naming_the_holder(command, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    warc = tmp_path / "a.warc"
    warc.write_bytes(b"")
    lock_file = tmp_path / ".out.lock" if command[0] == "snapshot" else out / LOCK_NAME
    held = try_lock(lock_file)
    try:
        args = [a.format(out=out, warc=warc) for a in command]
        result = blogarchive(*args, check=False)
        one_line_error(result, f"{out} is being written by another blogarchive process (pid ")
    finally:
        held.close()
    assert not (out / "warc").exists()  # nothing recovered or written under someone else's lock


def test_build_of_an_input_without_responses_is_an_error_with_the_count(tmp_path):
    warc = tmp_path / "empty.warc.gz"
    warc.write_bytes(b"")
    result = blogarchive("build", str(warc), "-o", str(tmp_path / "out"), "--workers", "0", check=False)
    one_line_error(result, "no readable response record in the inputs (0 WARC records read)")

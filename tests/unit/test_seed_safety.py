"""Seeds that once stopped a crawl (long hosts, credentials, huge URLs) are normalized or skipped, alone."""

from __future__ import annotations

from scrapy.pqueues import _path_safe

from crawler.blogs import slot_key
from crawler.commands.seed import http_seeds
from crawler.seeds import checked_seeds, seed_problem, strip_credentials, vet_seed

LONG_HOST = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])  # 253 characters, a valid DNS name


def test_a_valid_253_character_host_gets_a_disk_queue_folder_name_under_255_bytes():
    assert len(LONG_HOST) == 253
    key = slot_key(f"http://{LONG_HOST}:8080/")
    assert len(_path_safe(key).encode()) <= 255
    assert slot_key("http://127.0.0.1:8080/x") == "127.0.0.1:8080"  # short keys unchanged
    assert slot_key(f"http://{LONG_HOST}/a") == slot_key(f"http://{LONG_HOST}/b")  # one slot per host still


def test_credentials_are_stripped_not_fatal():
    assert strip_credentials("http://user:pass@blog.example/") == "http://blog.example/"
    assert strip_credentials("http://blog.example/a@b") == "http://blog.example/a@b"


def test_bad_seeds_are_skipped_with_a_reason_and_the_others_kept():
    skipped = []
    seeds = ["http://user:pass@127.0.0.1:8000/", "http://127.0.0.1:8000/", "http://127.0.0.1/" + "x" * 10_000,
             f"http://{'a' * 64}.example/", "http://127.0.0.1:8001/"]  # fmt: skip
    kept = list(checked_seeds(seeds, 2083, lambda url, slug: skipped.append(slug)))
    assert kept == ["http://127.0.0.1:8000/", "http://127.0.0.1:8000/", "http://127.0.0.1:8001/"]
    assert skipped == ["seed_too_long", "bad_host"]
    assert seed_problem(f"http://{LONG_HOST}/", 2083) is None  # long but valid: crawled


def test_one_check_for_every_seed_and_the_seed_command_pushes_only_what_a_worker_takes(tmp_path):
    assert vet_seed("http://user:pass@127.0.0.1:8000/", 2083) == ("http://127.0.0.1:8000/", None)
    assert vet_seed("ftp://127.0.0.1/", 2083)[1] == "bad_url"
    assert vet_seed("http://[::1/", 2083)[1] == "bad_url"  # unparsable: skipped, never raised
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("http://u:p@127.0.0.1:8000/\nftp://127.0.0.1/\nhttp://127.0.0.1/" + "x" * 3000 + "\n")
    bad: list[str] = []
    assert list(http_seeds(seeds, bad)) == ["http://127.0.0.1:8000/"]
    assert [url[:16] for url in bad] == ["ftp://127.0.0.1/", "http://127.0.0.1"]

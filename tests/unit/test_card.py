"""Every dataset card loads with huggingface_hub's DatasetCard and says what the Hub expects."""

from __future__ import annotations

from dataclasses import replace

import pytest
from huggingface_hub import DatasetCard

from crawler.errors import UserError
from crawler.parsers.media import select_media
from crawler.release.card import LICENSE_FILE, check_license, multilinguality
from crawler.release.options import SnapshotOptions
from crawler.release.snapshot import build_snapshot
from pipelines.finalize import finalize
from schemas.manifest import read_manifest
from tests.crawl_outputs import two_crawls

OPTIONS = SnapshotOptions(version="1.0.0", pretty_name="Blogs de cuisine", contact="archive@example.org")


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    """Snapshots with the license `other` and with a Hub license."""
    root = tmp_path_factory.mktemp("cards")
    out1, out2, _ = two_crawls(root)
    other = build_snapshot([out1, out2], root / "other", OPTIONS).path
    cc = build_snapshot(
        [out1], root / "cc", replace(OPTIONS, license="cc-by-nc-4.0", repo_id="me/blogs")
    ).path
    return {"other": other, "cc": cc}


def test_snapshot_cards_load_and_carry_the_hub_metadata(cards):
    for name in ("other", "cc"):
        card = DatasetCard.load(cards[name] / "README.md")
        data = card.data.to_dict()
        assert data["pretty_name"] == "Blogs de cuisine"
        assert data["task_categories"] and data["size_categories"] == ["n<1K"]
        assert data["multilinguality"] == multilinguality(data["language"])
        configs = {c["config_name"]: c for c in data["configs"]}
        assert configs["default"]["default"] is True and "comments" in configs
        listed = sorted(p for c in data["configs"] if c["config_name"] != "default"
                        for p in c["data_files"][0]["path"])  # fmt: skip
        assert listed == sorted(f.path for f in read_manifest(cards[name]).data_files())
        for section in ("## Personal and sensitive information", "## Bias", "## Limitations", "## Citation",
                        "## Contact", "archive@example.org"):  # fmt: skip
            assert section in card.text, section


def test_license_other_has_a_name_a_link_and_the_file(cards):
    data = DatasetCard.load(cards["other"] / "README.md").data.to_dict()
    assert data["license"] == "other" and data["license_name"] == "rights-of-the-blog-authors"
    assert data["license_link"] == LICENSE_FILE and (cards["other"] / LICENSE_FILE).is_file()
    cc = DatasetCard.load(cards["cc"] / "README.md")
    assert cc.data.license == "cc-by-nc-4.0" and "license_link" not in cc.data.to_dict()
    assert not (cards["cc"] / LICENSE_FILE).exists()
    assert "https://huggingface.co/datasets/me/blogs" in cc.text


def test_license_is_checked_against_the_hub_list():
    assert check_license("cc-by-sa-4.0") == "cc-by-sa-4.0"
    with pytest.raises(UserError, match="not a Hub license identifier"):
        check_license("CC BY 4.0")


def test_multilinguality():
    assert [multilinguality(x) for x in ([], ["fr"], ["en", "fr"])] == [
        "unknown",
        "monolingual",
        "multilingual",
    ]


def test_the_card_of_an_empty_crawl_output_loads(tmp_path):
    assert finalize(tmp_path, select_media=select_media) == {}
    assert DatasetCard.load(tmp_path / "README.md").data.to_dict()["configs"][0]["config_name"] == "default"

"""Language of posts and comments: null rather than a guess, scripts before langdetect."""

from __future__ import annotations

from collections import Counter

import pytest

from crawler.release.card import Tally
from pipelines.language import detect_language, script_of, worth_detecting

FR = (
    "Le gouvernement a annoncé hier une série de mesures destinées à soutenir les petites "
    "entreprises touchées par la crise, notamment dans la restauration et le commerce de détail."
)
EN = (
    "The government announced yesterday a series of measures intended to support the small "
    "businesses hit by the crisis, in particular restaurants and the retail trade."
)
# Chinese lyrics followed by their pinyin: langdetect alone says "sw" (0.43).
LYRICS = (
    "月亮代表我的心 yuè liàng dài biǎo wǒ de xīn\n你问我爱你有多深 nǐ wèn wǒ ài nǐ yǒu duō shēn\n"
    "我爱你有几分 wǒ ài nǐ yǒu jǐ fēn\n我的情也真 wǒ de qíng yě zhēn\n我的爱也真 wǒ de ài yě zhēn"
)


@pytest.mark.parametrize(("text", "code"), [(FR, "fr"), (EN, "en")])
def test_long_french_and_english_are_unchanged(text, code):
    language, score = detect_language(text)
    assert language == code and score > 0.99


@pytest.mark.parametrize(
    "text",
    [
        "Merci !",
        "Tak for det!",
        "Mooi zo, dank je wel",
        "Bravo !!! :-)",
        "很好看！谢谢",
        "",
        None,
        "1234 5678",
    ],
)
def test_too_short_is_null(text):
    assert detect_language(text) == (None, None)
    assert not worth_detecting(text) or detect_language(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (LYRICS, "zh"),
        ("今日はとても良い天気ですね。散歩に行きましょう。", "ja"),
        ("오늘은 날씨가 정말 좋네요. 산책하러 갈까요?", "ko"),
        ("Σήμερα ο καιρός είναι πολύ καλός, ας πάμε για περίπατο στο πάρκο.", "el"),
        ("היום מזג האוויר יפה מאוד, בואו נלך לטייל בפארק.", "he"),
        ("วันนี้อากาศดีมาก ไปเดินเล่นที่สวนสาธารณะกันเถอะ", "th"),
        ("Сегодня очень хорошая погода, давайте пойдем гулять в парк после обеда.", "ru"),
        ("Сьогодні дуже гарна погода, давайте підемо гуляти в парк після обіду.", "uk"),
        ("الطقس جميل جدا اليوم، دعونا نذهب للتنزه في الحديقة بعد الظهر مع الأصدقاء.", "ar"),
    ],
)
def test_scripts_decide_or_narrow_the_choice(text, code):
    assert detect_language(text)[0] == code


def test_a_latin_text_is_never_given_a_language_of_another_script():
    language, _ = detect_language("Tokyo Osaka Kyoto Sapporo Nagoya Kobe Fukuoka Sendai Hiroshima Kawasaki")
    assert language is None or language not in {"ja", "zh", "ko", "ru", "ar", "el", "he", "th"}


def test_detection_is_deterministic():
    assert {detect_language(LYRICS + " " + EN) for _ in range(5)} == {detect_language(LYRICS + " " + EN)}


def test_script_of():
    assert [script_of(c) for c in "aé我かカ한жαשก"] == [
        "latin", "latin", "han", "kana", "kana", "hangul", "cyrillic", "greek", "hebrew", "thai"
    ]  # fmt: skip


def test_card_lists_only_languages_with_a_share_of_the_posts():
    tally = Tally(posts_by_language=Counter({"fr": 300, "en": 40, "da": 2, "nl": 3, None: 5}),
                  comments_by_language=Counter({"fr": 500, "sw": 1}))  # fmt: skip
    assert tally.languages() == ["en", "fr"]  # nl: 3 posts but under 1 %; da: 2 posts; sw: 1 comment
    assert tally.language_rows()[:2] == [("fr", 300), ("en", 40)]
    assert tally.language_rows()[2][1] == 5 and tally.language_rows()[2][0].startswith("other")
    assert tally.language_rows()[3][1] == 5 and tally.language_rows()[3][0].startswith("unknown")

"""Language of posts and comments: null rather than a guess, scripts before langdetect."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from crawler.release.card import Tally
from pipelines import language
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


DE = "Ein kleiner Hund läuft jeden Morgen über die Straße zum Bäcker und wartet dort geduldig auf sein Brot."
ES = "El pequeño perro corre cada mañana por la calle hasta la panadería y espera allí su pan con paciencia."


def _mixed_texts(count: int) -> list[str]:
    """Texts of 5 to 200 words drawn from four languages, some mixed: long and short runs of trials."""
    rng = random.Random(7)
    languages = [sample.split() for sample in (FR, EN, DE, ES)]
    texts = []
    for n in range(count):
        words = languages[n % 4] + (rng.choice(languages) if n % 5 == 0 else [])
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(5, 200))))
    return texts


TRICKY = [
    "  Leading spaces,   runs  of spaces, UPPER CASE WORDS and MiXeD CaSe, trailing space ",
    "See https://example.com/a?b=c&d#e or write to jean.dupont@example.fr [sic] ^_^ `code` 3,14",
    "Tiếng Việt có dấu: Tie\u0302\u0301ng Vie\u0323\u0302t, người, đường, ữ ỡ — Latin Extended Additional",
    "Привет, это текст по-русски with a few English words, ДА НЕТ, ёжик в тумане",
    "日本語の文章です。今日はとても良い天気ですね。散歩に行きましょう。明日も晴れるでしょう。OK Tokyo [x] 漢字とかなカナ",
    "x",
    "",
]
LIMIT = "A"  # one n-gram, near ties: each of langdetect's trials runs to its 1000-step limit
VARIED = [
    FR, EN, DE, ES, LYRICS, *TRICKY, LIMIT, "F F", "Merci !", "ok", "1234 5678",  # F F: 1 trial of 7 at the limit
    " ".join([FR, EN, DE, ES, LYRICS] * 5)[: language.MAX_CHARS],  # cut where detect_languages cuts
    *_mixed_texts(40),
]  # fmt: skip


def _langdetect_s_own(text: str) -> list[float]:
    """langdetect's probability of each language for ``text`` (its ``get_probabilities`` before they
    are ranked and cut at 0.1), [] when it finds no n-gram."""
    detector_factory.init_factory()
    reference = Detector(detector_factory._factory)  # langdetect's own, unchanged
    reference.append(text)
    try:
        reference._detect_block()
    except LangDetectException:
        return []
    return reference.langprob


def _rows(text: str) -> np.ndarray:
    return language._ngram_profiles().text_rows(language._langdetect_text(text, 10_000))


@pytest.mark.parametrize("text", VARIED)
def test_one_text_s_trials_give_langdetect_s_own_probabilities_to_the_last_bit(text):
    assert language._text_trials(_rows(text)) == _langdetect_s_own(text)


@pytest.mark.parametrize("slots", [7, language.LOCKSTEP_SLOTS])  # 7: finished texts' slots refilled
def test_lockstep_trials_give_langdetect_s_own_probabilities_to_the_last_bit(slots, monkeypatch):
    monkeypatch.setattr(language, "LOCKSTEP_SLOTS", slots)
    assert language._trials([_rows(text) for text in VARIED]) == [_langdetect_s_own(text) for text in VARIED]


def test_the_limit_text_runs_every_trial_of_langdetect_to_its_iteration_limit(monkeypatch):
    steps, update = [], Detector._update_lang_prob
    monkeypatch.setattr(
        Detector, "_update_lang_prob", lambda self, *args: steps.append(1) or update(self, *args)
    )
    _langdetect_s_own(LIMIT)
    assert len(steps) == 7 * (Detector.ITERATION_LIMIT + 1)  # every trial: steps 0 to 1000


@pytest.mark.parametrize("text", TRICKY + _mixed_texts(10))
def test_ngram_rows_are_langdetect_s_own_ngrams(text):
    detector_factory.init_factory()
    reference = Detector(detector_factory._factory)  # langdetect's own
    reference.append(text)
    reference.cleaning_text()
    assert language._langdetect_text(text, reference.max_text_length) == reference.text
    assert language._ngram_profiles().text_rows(reference.text).tolist() == [
        language._ngram_profiles().row[gram] for gram in reference._extract_ngrams()
    ]


def test_seeded_words_draw_what_random_draws():
    reference = random.Random()
    reference.seed(0)
    words, position = language._SeededWords(0), np.zeros(1, dtype=np.int64)
    for count in [1, 2, 3, 700, 1024, 1025, 5000] * 3:
        first, second = words.gauss_pair(int(position[0]))
        assert (reference.gauss(0.0, 1.0), reference.gauss(0.0, 1.0)) == (first, second)
        position += 4
        shift, counts = np.array([32 - count.bit_length()], dtype=np.uint32), np.array([count])
        for _ in range(50):
            assert words.below(position, shift, counts)[0] == reference._randbelow(count)
        values, after = words.draws(int(position[0]), count, 50)  # one text's draws at once
        assert values.tolist() == [reference._randbelow(count) for _ in range(50)]
        position[0] = after[-1]


def test_many_texts_at_once_get_what_each_gets_alone(monkeypatch):
    monkeypatch.setattr(language, "LOCKSTEP_MIN", 2)  # the texts' trials in lockstep
    texts = [*_mixed_texts(40), "Merci !", "", LYRICS, "Ελληνικά κείμενα εδώ για δοκιμή της γλώσσας"]
    together = language.detect_languages(texts)
    assert together == [detect_language(text) for text in texts]
    assert {code for code, _ in together} >= {"fr", "en", "de", "es", None, "zh", "el"}


def test_row_sums_are_python_s_sum_to_the_last_bit():
    rng = np.random.default_rng(3)
    rows = rng.random((50, 55)) * 10.0 ** rng.integers(-30, 3, (50, 55))  # magnitudes that round differently
    assert language._sums(rows)[:, 0].tolist() == [sum(row) for row in rows.tolist()]


def test_profiles_read_lazily_are_langdetect_s_own_to_the_last_bit():
    detector_factory.init_factory()
    own, lazy = detector_factory._factory, language._lang_profiles()
    assert lazy.langlist == own.langlist
    assert all(gram in lazy for gram in own.word_lang_prob_map) and "no such gram" not in lazy
    sample = sorted(own.word_lang_prob_map)[::50]  # every row: 2.3 s
    assert [lazy[gram] for gram in sample] == [own.word_lang_prob_map[gram] for gram in sample]

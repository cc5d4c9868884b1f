"""Language of a text: the script first, then langdetect (seeded, input capped); null when unsure.

A text too short to tell (fewer than ``MIN_LETTERS`` letters or ``MIN_WORDS`` words; fewer
than ``MIN_SCRIPT_CHARS`` characters of a script that names its language) has no
language rather than a guess: langdetect says ``da`` at 1.0 for a one-line comment.
Scripts decide before langdetect: Hangul is Korean, Kana Japanese, Han without Kana
Chinese, and Greek, Hebrew, Thai, Bengali... name their language; for a script shared by
several languages (Latin, Cyrillic, Arabic, Devanagari) langdetect chooses among that
script's languages only, and an answer under ``MIN_SCORE`` is dropped. Han, Kana and
Hangul characters weigh as much as a short word, so Chinese lyrics followed by their
pinyin are ``zh``, not ``sw``.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Sequence
from contextlib import suppress
from importlib.metadata import version
from random import Random

import numpy as np
from langdetect import DetectorFactory, detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

DetectorFactory.seed = 0  # langdetect is random unless seeded: same text, same answer
MAX_CHARS = 1000
MIN_LETTERS = 40
MIN_WORDS = 5
MIN_SCRIPT_CHARS = 10  # of a script that names its language (Han, Kana, Hangul, Greek, Thai...)
MIN_SCRIPT_SHARE = 0.4  # of the (weighted) letters, for that script to decide
MIN_SCORE = 0.7  # langdetect's probability under which its answer is a guess
CJK_WEIGHT = 3  # a Han/Kana/Hangul character carries about as much as a short word's letters
LOCKSTEP_SLOTS = 256  # texts whose langdetect trials run together, as the rows of one array
LOCKSTEP_MIN = 16  # fewer texts run langdetect's own loop, one after the other
RULES_VERSION = 1  # of detect_language's rules: raise it when they change, and cached languages expire
_NORMALIZED: dict[str, str] = {}  # NGram.normalize per character: a pure function, asked 1000 times a text

# (first code point, script) ranges, sorted; a code point belongs to the last range starting at or before it.
_SCRIPT_RANGES = (
    (0x0000, "latin"), (0x0370, "greek"), (0x0400, "cyrillic"), (0x0530, "other"), (0x0590, "hebrew"),
    (0x0600, "arabic"), (0x0700, "other"), (0x0750, "arabic"), (0x0780, "other"), (0x0900, "devanagari"),
    (0x0980, "bengali"), (0x0A00, "gurmukhi"), (0x0A80, "gujarati"), (0x0B00, "other"), (0x0B80, "tamil"),
    (0x0C00, "telugu"), (0x0C80, "kannada"), (0x0D00, "malayalam"), (0x0D80, "other"), (0x0E00, "thai"),
    (0x0E80, "other"), (0x1100, "hangul"), (0x1200, "other"), (0x1E00, "latin"), (0x1F00, "greek"),
    (0x2000, "other"), (0x2E80, "han"), (0x3040, "kana"), (0x3100, "other"), (0x3130, "hangul"),
    (0x3190, "other"), (0x31F0, "kana"), (0x3200, "other"), (0x3400, "han"), (0x4DC0, "other"),
    (0x4E00, "han"), (0xA000, "other"), (0xAC00, "hangul"), (0xD7B0, "other"), (0xF900, "han"),
    (0xFB00, "other"), (0xFB1D, "hebrew"), (0xFB50, "arabic"), (0xFE00, "other"), (0xFE70, "arabic"),
    (0xFF00, "other"), (0xFF21, "latin"), (0xFF66, "kana"), (0xFFA0, "other"), (0x20000, "han"),
    (0x30000, "other"),
)  # fmt: skip
_STARTS = [start for start, _ in _SCRIPT_RANGES]
# Scripts of one language (langdetect's code), and the languages of shared scripts.
SCRIPT_LANGUAGE = {"greek": "el", "hebrew": "he", "thai": "th", "bengali": "bn", "gurmukhi": "pa",
                   "gujarati": "gu", "tamil": "ta", "telugu": "te", "kannada": "kn", "malayalam": "ml",
                   "hangul": "ko"}  # fmt: skip
SCRIPT_LANGUAGES = {"cyrillic": frozenset({"bg", "mk", "ru", "uk"}), "arabic": frozenset({"ar", "fa", "ur"}),
                    "devanagari": frozenset({"hi", "mr", "ne"})}  # fmt: skip
_NOT_LATIN = frozenset(SCRIPT_LANGUAGE.values()).union(*SCRIPT_LANGUAGES.values(), {"ja", "zh"})
_CJK = frozenset({"han", "kana", "hangul"})
_SCRIPT_OF: dict[str, str] = {}
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def script_of(ch: str) -> str:
    """The script of a letter (``latin``, ``han``, ``cyrillic``...; ``other`` for the rest)."""
    found = _SCRIPT_OF.get(ch)
    if found is None:
        found = _SCRIPT_OF[ch] = _SCRIPT_RANGES[bisect_right(_STARTS, ord(ch)) - 1][1]
    return found


def script_shares(text: str) -> tuple[Counter, int]:
    """Weighted letters per script (Han/Kana/Hangul count ``CJK_WEIGHT``) and the number of words."""
    counts: Counter = Counter()
    ascii_letters = len(_ASCII_LETTER.findall(text))  # most letters: counted without a Python loop
    if ascii_letters:
        counts["latin"] = ascii_letters
    for ch in _NON_ASCII.findall(text):
        if ch.isalpha():
            script = script_of(ch)
            counts[script] += CJK_WEIGHT if script in _CJK else 1
    return counts, len(text.split())


Language = tuple[str | None, float | None]


def detector_id() -> str:
    """What a language found for a text depends on besides the text: caches of languages are keyed by it."""
    settings = (f"max_chars={MAX_CHARS} min_letters={MIN_LETTERS} min_words={MIN_WORDS} "
                f"min_script_chars={MIN_SCRIPT_CHARS} min_script_share={MIN_SCRIPT_SHARE} min_score={MIN_SCORE} "
                f"cjk_weight={CJK_WEIGHT}")  # fmt: skip
    return (
        f"rules {RULES_VERSION}, langdetect {version('langdetect')} seed {DetectorFactory.seed}, {settings}"
    )


def detect_language(text: str | None) -> Language:
    """(ISO 639-1 code, score) of ``text``; (None, None) when too short or unsure.

    The score is langdetect's probability, or the script's share of the letters when the
    script alone decided.
    """
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str | None]) -> list[Language]:
    """:func:`detect_language` of each text, langdetect's trials of all of them run in lockstep."""
    results: list[Language] = [(None, None)] * len(texts)
    waiting: list[tuple[int, Detector, str]] = []  # (index, detector holding the text, main script)
    for index, text in enumerate(texts):
        screened = _screen(text)
        if isinstance(screened, str):
            detector_factory.init_factory()
            detector = _FastNgrams(detector_factory._factory)
            detector.append(text[:MAX_CHARS])  # type: ignore[index]  # screened: a text
            waiting.append((index, detector, screened))
        else:
            results[index] = screened
    if len(waiting) < LOCKSTEP_MIN:
        for index, detector, script in waiting:
            with suppress(LangDetectException):  # "No features in text": no language
                results[index] = _choose(detector.get_probabilities(), script)
        return results
    grams = []
    for _, detector, _ in waiting:
        detector.cleaning_text()
        grams.append(detector._extract_ngrams())
    for (index, detector, script), ngrams, langprob in zip(waiting, grams, _trials(grams)):
        if ngrams:  # none: langdetect's "No features in text", no language
            detector.langprob = langprob
            results[index] = _choose(detector.get_probabilities(), script)
    return results


def _screen(text: str | None) -> Language | str:
    """The language when the text's length or script decides it, else its main script (langdetect's turn)."""
    if not text:
        return None, None
    sample = text[:MAX_CHARS]
    counts, words = script_shares(sample)
    total = sum(counts.values())
    if not total:
        return None, None
    script, weight = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    cjk = sum(counts[s] for s in _CJK)
    if cjk / total >= MIN_SCRIPT_SHARE:
        if cjk < MIN_SCRIPT_CHARS * CJK_WEIGHT:
            return None, None
        code = "ko" if counts["hangul"] * 2 > cjk else "ja" if counts["kana"] * 5 >= cjk else "zh"
        return code, round(cjk / total, 4)
    if script in SCRIPT_LANGUAGE and weight / total >= MIN_SCRIPT_SHARE:
        return (
            (SCRIPT_LANGUAGE[script], round(weight / total, 4))
            if weight >= MIN_SCRIPT_CHARS
            else (None, None)
        )
    if total < MIN_LETTERS or words < MIN_WORDS:
        return None, None
    return script


def _choose(ranked: list, script: str) -> Language:
    """The first of langdetect's ranked guesses written in ``script``, if sure enough."""
    for guess in ranked:
        code = guess.lang.split("-")[0]  # zh-cn -> zh: the column holds ISO 639-1 codes
        if _written_in(code, script):
            score = round(float(guess.prob), 4)
            return (code, score) if score >= MIN_SCORE else (None, None)
    return None, None


def _written_in(code: str, script: str) -> bool:
    """Whether a language langdetect proposes is written in the text's main script."""
    if script in SCRIPT_LANGUAGES:
        return code in SCRIPT_LANGUAGES[script]
    return script != "latin" or code not in _NOT_LATIN


def worth_detecting(text: str | None) -> bool:
    """A cheap test that ``detect_language`` could answer (texts failing it are null at once)."""
    return bool(text) and (len(text.split()) >= MIN_WORDS or any(not ch.isascii() for ch in text[:MAX_CHARS]))


class _FastNgrams(Detector):
    """langdetect's Detector with the same n-grams found ~3x faster (they were 2/3 of its time)."""

    def _extract_ngrams(self) -> list[str]:
        return extract_ngrams(self.text, self.word_lang_prob_map)


class _Profiles:
    """langdetect's n-gram profiles as rows of one array (an n-gram's row added when first seen)."""

    def __init__(self) -> None:
        self.row: dict[str, int] = {}
        self.table = np.empty((0, 0))

    def rows(self, ngrams: list[str], profiles: dict[str, list[float]]) -> list[int]:
        new = [gram for gram in dict.fromkeys(ngrams) if gram not in self.row]
        if new:
            start, end = len(self.row), len(self.row) + len(new)
            if end > len(self.table):  # capacity doubled: rows are copied a few times, not once a text
                grown = np.empty((max(end, 2 * len(self.table), 1024), len(profiles[new[0]])))
                if start:
                    grown[:start] = self.table[:start]
                self.table = grown
            self.table[start:end] = [profiles[gram] for gram in new]
            self.row.update((gram, start + n) for n, gram in enumerate(new))
        return [self.row[gram] for gram in ngrams]


_PROFILES = _Profiles()


def _sums(rows: np.ndarray) -> np.ndarray:
    """Each row's sum as langdetect takes it, Python's ``sum`` of the list, as a column: before
    3.12 that adds left to right, as numpy's running sum does (at array speed); since 3.12 it
    compensates rounding, so Python itself sums."""
    if sys.version_info < (3, 12):
        return np.cumsum(rows, axis=1)[:, -1:]
    return np.array([sum(row) for row in rows.tolist()]).reshape(-1, 1)


class _Slot:
    """One text's langdetect run: its own seeded random draws, its trial count."""

    def __init__(self, index: int, picks: list[int], seed: int | None) -> None:
        self.index, self.picks, self.trials = index, picks, 0
        self.random = Random()
        self.random.seed(seed)  # as Detector._detect_block, once before its trials


def _trials(grams: list[list[str]]) -> list[list[float]]:
    """langdetect's ``Detector._detect_block`` for many texts at once, to the last bit.

    Each text keeps its own random draws and steps (a trial: draw an n-gram, multiply the
    55 language probabilities by alpha/10000 + its profile; every 5th step divide them by
    their sum and stop past 0.99999 or 1000 steps; 7 trials averaged), but the steps of
    ``LOCKSTEP_SLOTS`` texts are done together as the rows of one array: the same float
    operations in the same order (the sums are Python's, as langdetect's), the Python
    overhead shared. A text done, its row takes the next one. Texts without n-grams get [].
    """
    detector_factory.init_factory()
    factory = detector_factory._factory
    model = Detector(factory)  # the constants: alpha, trials, thresholds, initial probabilities
    initial = np.array(model._init_probability(), dtype=np.float64)
    found: list[list[float]] = [[] for _ in grams]
    queue = ((i, ngrams) for i, ngrams in enumerate(grams) if ngrams)
    size = min(LOCKSTEP_SLOTS, sum(1 for ngrams in grams if ngrams))
    slots: list[_Slot] = [None] * size  # type: ignore[list-item]  # each filled below
    prob, acc = np.empty((size, len(initial))), np.empty((size, len(initial)))
    weight, step = np.empty(size), np.empty(size, dtype=np.int64)

    def start_trial(row: int) -> None:
        prob[row], step[row] = initial, 0
        alpha = model.alpha + slots[row].random.gauss(0.0, 1.0) * model.ALPHA_WIDTH
        weight[row] = alpha / model.BASE_FREQ

    def fill(row: int) -> bool:
        entry = next(queue, None)
        if entry is not None:
            slots[row] = _Slot(entry[0], _PROFILES.rows(entry[1], factory.word_lang_prob_map), factory.seed)
            acc[row] = 0.0
            start_trial(row)
        return entry is not None

    for row in range(size):
        fill(row)
    while slots:
        prob *= weight[:, None] + _PROFILES.table[[slot.random.choice(slot.picks) for slot in slots]]
        due = np.flatnonzero(step % 5 == 0)
        part = prob[due]
        part /= _sums(part)
        prob[due] = part
        ended = due[
            (part.max(axis=1, initial=0.0) > model.CONV_THRESHOLD) | (step[due] >= model.ITERATION_LIMIT)
        ]
        step += 1
        gone = []
        for row in ended.tolist():
            acc[row] += prob[row] / model.n_trial
            slots[row].trials += 1
            if slots[row].trials < model.n_trial:
                start_trial(row)
                continue
            found[slots[row].index] = acc[row].tolist()
            if not fill(row):
                gone.append(row)
        if gone:  # no text left to take their rows
            keep = np.setdiff1d(np.arange(len(slots)), gone)
            slots = [slots[row] for row in keep.tolist()]
            prob, acc, weight, step = prob[keep], acc[keep], weight[keep], step[keep]
    return found


def extract_ngrams(text: str, known: Container[str]) -> list[str]:
    """``Detector._extract_ngrams``: the same list, without a method call per character.

    The 1- to 3-grams of ``text`` after ``NGram.normalize``, skipping words in capitals,
    that langdetect has profiles for, in the order langdetect finds them.
    """
    result: list[str] = []
    grams, capital = " ", False
    for ch in text:
        ch = _NORMALIZED.get(ch) or _NORMALIZED.setdefault(ch, NGram.normalize(ch))
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
            if ch == " ":
                continue
        elif len(grams) >= NGram.N_GRAM:
            grams = grams[1:]
        grams += ch
        capital = ch.isupper() and (capital or last.isupper())
        if capital:
            continue
        if ch != " " and ch in known:
            result.append(ch)
        if len(grams) >= 2 and grams[-2:] in known:
            result.append(grams[-2:])
        if len(grams) >= 3 and grams in known:
            result.append(grams)
    return result

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

import functools
import json
import math
import os
import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterator, Sequence
from importlib.metadata import version
from random import Random

import numpy as np
from langdetect import DetectorFactory, detector_factory
from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

DetectorFactory.seed = 0  # langdetect is random unless seeded: same text, same answer
MAX_CHARS = 1000
MIN_LETTERS = 40
MIN_WORDS = 5
MIN_SCRIPT_CHARS = 10  # of a script that names its language (Han, Kana, Hangul, Greek, Thai...)
MIN_SCRIPT_SHARE = 0.4  # of the (weighted) letters, for that script to decide
MIN_SCORE = 0.7  # langdetect's probability under which its answer is a guess
CJK_WEIGHT = 3  # a Han/Kana/Hangul character carries about as much as a short word's letters
LOCKSTEP_SLOTS = 4096  # texts whose langdetect trials run together, as the rows of one array
LOCKSTEP_MIN = 160  # fewer texts run their trials one after the other (cheaper under ~150 texts, measured)
DRAWN_BLOCKS = 20  # a trial's blocks of 5 steps drawn at once: 9 trials in 10 end within 100 steps
RULES_VERSION = 1  # of detect_language's rules: raise it when they change, and cached languages expire
WORD_CACHE_SIZE = 200_000  # words whose n-grams are kept (a text's n-grams are its words')
_NORMALIZED: dict[int, str] = {}  # NGram.normalize per code point, a str.translate table
_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's 'A' <= ch <= 'z' (the six signs between Z and a included)
_FROM_U0300 = re.compile("[\u0300-\U0010ffff]")

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
    """:func:`detect_language` of each text; langdetect's trials of ``LOCKSTEP_MIN`` texts or more run in lockstep."""
    results: list[Language] = [(None, None)] * len(texts)
    waiting: list[tuple[int, str, str]] = []  # (index, the text cut at MAX_CHARS, its main script)
    for index, text in enumerate(texts):
        screened = _screen(text)
        if isinstance(screened, str):
            waiting.append((index, text[:MAX_CHARS], screened))  # type: ignore[index]  # screened: a text
        else:
            results[index] = screened
    profiles, model = _ngram_profiles(), _model()
    grams = [profiles.text_rows(_langdetect_text(text, model.max_text_length)) for _, text, _ in waiting]
    found = _trials(grams) if len(grams) >= LOCKSTEP_MIN else [_text_trials(rows) for rows in grams]
    for (index, _, script), langprob in zip(waiting, found):
        if langprob:  # none: langdetect's "No features in text", no language
            results[index] = _choose(model._sort_probability(langprob), script)
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


def _appended(text: str, max_length: int) -> str:
    """What ``Detector.append`` adds for ``text``: URLs and e-mail addresses as spaces, Vietnamese
    letters and their combining marks joined, cut at ``max_length``, runs of spaces as one."""
    if "http" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    return _SPACES.sub(" ", NGram.normalize_vi(text)[:max_length])


def _cleaned(text: str) -> str:
    """``Detector.cleaning_text``: the letters A-z removed when other characters outnumber them twice.

    langdetect counts a character from U+0300 as not Latin unless its unicode_block "is" Latin
    Extended Additional, but compares the block's number with that name: every one counts.
    """
    others = len(_FROM_U0300.findall(text))
    if others and len(_LATIN.findall(text)) * 2 < others:
        return _LATIN.sub("", text)
    return text


def _langdetect_text(text: str, max_length: int) -> str:
    """The text langdetect finds n-grams in: ``Detector.append`` of ``text`` then ``cleaning_text``."""
    return _cleaned(_appended(text, max_length))


def _words(text: str) -> list[str]:
    """The words of ``text`` after ``NGram.normalize``, each with the space that ends it (not the last one).

    langdetect starts its n-grams afresh after each space: a text's n-grams are its words'.
    """
    _NORMALIZED.update((ord(ch), NGram.normalize(ch)) for ch in set(text) if ord(ch) not in _NORMALIZED)
    *ended, last = text.translate(_NORMALIZED).split(" ")
    return [word + " " for word in ended if word] + ([last] if last else [])


class _NgramProfiles:
    """langdetect's n-gram profiles as rows of one array (an n-gram's row added when first met), and
    the rows of each word's n-grams, found once (a bounded cache, cleared when full)."""

    def __init__(self, profiles: _LangProfiles) -> None:
        self.profiles = profiles
        self.row: dict[str, int] = {}
        self.table = np.empty((0, 0))
        self._rows: dict[str, np.ndarray] = {}

    def text_rows(self, text: str) -> np.ndarray:
        """The rows in ``table`` of ``Detector._extract_ngrams`` for a detector's ``text``."""
        found = [self._word_rows(word) for word in _words(text)]
        return np.concatenate(found) if found else np.empty(0, dtype=np.intp)

    def _word_rows(self, word: str) -> np.ndarray:
        found = self._rows.get(word)
        if found is None:
            if len(self._rows) >= WORD_CACHE_SIZE:
                self._rows.clear()
            found = self._rows[word] = np.array(
                self._rows_of(normalized_ngrams(word, self.profiles.grams)), dtype=np.intp
            )
        return found

    def _rows_of(self, ngrams: list[str]) -> list[int]:
        new = [gram for gram in dict.fromkeys(ngrams) if gram not in self.row]
        if new:
            start, end = len(self.row), len(self.row) + len(new)
            if end > len(self.table):  # capacity doubled: rows are copied a few times, not once a word
                grown = np.empty((max(end, 2 * len(self.table), 1024), self.profiles.width))
                if start:
                    grown[:start] = self.table[:start]
                self.table = grown
            self.table[start:end] = [self.profiles[gram] for gram in new]
            self.row.update((gram, start + n) for n, gram in enumerate(new))
        return [self.row[gram] for gram in ngrams]


class _LangProfiles:
    """langdetect's ``word_lang_prob_map`` (an n-gram's probability in each language) without building it.

    ``DetectorFactory.load_profile`` fills a list of 55 floats for each of its profiles' 87,600
    n-grams: 0.5 s of CPU at every start, before a build's workers can fork, for the few thousand
    n-grams that texts meet. Here the profiles are read as langdetect reads them (its files in
    ``os.listdir`` order, its row width) and a gram's row is computed when asked, by
    ``add_profile``'s own arithmetic: the same floats (0.13 s to load).
    """

    def __init__(self, directory: str) -> None:
        names = os.listdir(directory)
        self.width = len(names)  # langdetect's langsize: every file listed, skipped ones included
        paths = [os.path.join(directory, name) for name in names if not name.startswith(".")]
        profiles = []
        for path in filter(os.path.isfile, paths):
            with open(path, encoding="utf-8") as stream:
                profiles.append(json.load(stream))
        self.langlist: list[str] = [profile["name"] for profile in profiles]
        self._counts = [(profile["freq"], profile["n_words"]) for profile in profiles]
        self.grams = frozenset().union(*(freq for freq, _ in self._counts))  # a set: C-speed membership

    def __contains__(self, gram: object) -> bool:
        return gram in self.grams

    def __getitem__(self, gram: str) -> list[float]:
        if gram not in self.grams:
            raise KeyError(gram)
        row, length = [0.0] * self.width, len(gram)
        if 1 <= length <= 3:
            for index, (freq, n_words) in enumerate(self._counts):
                if gram in freq:
                    row[index] = 1.0 * freq[gram] / n_words[length - 1]
        return row


@functools.cache
def _lang_profiles() -> _LangProfiles:
    return _LangProfiles(detector_factory.PROFILES_DIRECTORY)


@functools.cache
def _ngram_profiles() -> _NgramProfiles:
    return _NgramProfiles(_lang_profiles())


def _sums(rows: np.ndarray) -> np.ndarray:
    """Each row's sum as langdetect takes it, Python's ``sum`` of the list, as a column: before
    3.12 that adds left to right, as numpy's running sum does (at array speed); since 3.12 it
    compensates rounding, so Python itself sums."""
    if sys.version_info < (3, 12):
        return np.cumsum(rows, axis=1)[:, -1:]
    return np.array([sum(row) for row in rows.tolist()]).reshape(-1, 1)


_RES53 = 1.0 / 9007199254740992.0  # Random.random(): 53 bits of two 32-bit words, as CPython's genrand_res53
_TWOPI = 2.0 * math.pi
LOOKAHEAD = 8  # words a draw reads at once: none of them under the count has odds under 1/256
_AHEAD = np.arange(LOOKAHEAD)


class _SeededWords:
    """The 32-bit words a ``Random`` seeded with ``seed`` produces, in order, as one array grown on demand.

    Every text's trials start from the same seed, so they all read this one stream, each at its
    own position: ``getrandbits(k)`` (k <= 32) is a word's top k bits, ``random()`` two words.
    ``getrandbits(32 * n)`` holds the first n words, least significant first.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.words = np.empty(0, dtype="<u4")
        self._gauss: dict[int, tuple[float, float]] = {}

    def cover(self, position: int) -> np.ndarray:
        """The words, at least up to ``position`` included."""
        if position >= len(self.words):
            size = max(2 * len(self.words), position + 1, 1 << 15)
            rng = Random()
            rng.seed(self.seed)
            self.words = np.frombuffer(rng.getrandbits(32 * size).to_bytes(4 * size, "little"), dtype="<u4")
        return self.words

    def below(self, position: np.ndarray, shift: np.ndarray, count: np.ndarray) -> np.ndarray:
        """``Random._randbelow(count)`` of each row read at ``position`` (moved past the words read):
        a word's top bits, or the next word's while they are ``count`` or more."""
        draw = self.cover(int(position.max()))[position] >> shift
        position += 1
        rows = np.flatnonzero(draw >= count)
        while len(rows):  # the next LOOKAHEAD words at once
            ahead = position[rows, None] + _AHEAD
            found = self.cover(int(ahead[:, -1].max()))[ahead] >> shift[rows, None]
            below = found < count[rows, None]
            first = below.argmax(axis=1)  # the first word under the count, if any
            hit = below[np.arange(len(rows)), first]
            draw[rows[hit]] = found[hit, first[hit]]
            position[rows] += np.where(hit, first + 1, LOOKAHEAD)
            rows = rows[~hit]
        return draw

    def draws(self, position: int, count: int, size: int) -> tuple[np.ndarray, np.ndarray]:
        """The next ``size`` values of ``Random._randbelow(count)`` from ``position``, and the position
        after each: the words' top bits that are under the count, in order (the others are redrawn)."""
        shift = 32 - count.bit_length()
        end = position + 2 * size  # a word's top bits are under the count at odds 1/2 or more
        while True:
            found = self.cover(end)[position:end] >> shift
            at = np.flatnonzero(found < count)[:size]
            if len(at) == size:
                return found[at], position + at + 1
            end += size

    def gauss_pair(self, position: int) -> tuple[float, float]:
        """``Random.gauss``'s two normal values from the four words at ``position`` (it returns the
        first and keeps the second for its next call)."""
        pair = self._gauss.get(position)
        if pair is None:
            a, b, c, d = self.cover(position + 3)[position : position + 4].tolist()
            x2pi = ((a >> 5) * 67108864.0 + (b >> 6)) * _RES53 * _TWOPI
            g2rad = math.sqrt(-2.0 * math.log(1.0 - ((c >> 5) * 67108864.0 + (d >> 6)) * _RES53))
            pair = self._gauss[position] = (math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad)
        return pair


@functools.cache
def _seeded_words(seed: int) -> _SeededWords:
    return _SeededWords(seed)


@functools.cache
def _model() -> Detector:
    """A langdetect detector, for its constants (alpha, trials, thresholds, initial probabilities) and ranking."""
    factory = DetectorFactory()
    factory.langlist, factory.word_lang_prob_map = _lang_profiles().langlist, _lang_profiles()
    return Detector(factory)


def _weight(model: Detector, z: float | np.ndarray) -> float | np.ndarray:
    """A trial's ``alpha / BASE_FREQ`` (what langdetect adds to the n-gram profiles it multiplies by),
    its alpha from ``z``, the normal value of its ``Random.gauss(0.0, 1.0)``."""
    alpha = model.alpha + (0.0 + z * 1.0) * model.ALPHA_WIDTH  # gauss(mu, sigma) returns mu + z * sigma
    return alpha / model.BASE_FREQ


def _text_trials(grams: np.ndarray) -> list[float]:
    """langdetect's ``Detector._detect_block`` for one text, to the last bit ([] for no n-grams).

    The same trials, draws and float operations as langdetect's, its loop over the 55
    languages of a step done by array operations: a block of steps (the 5 between two
    normalizations) is one product over rows, first to last, each element the same IEEE
    product as langdetect's ``prob[i] *= weight + profile[i]``; the n-grams are drawn from
    the seed's words ahead of the steps. ``grams``: the text's n-grams as their rows in
    ``_ngram_profiles().table``.
    """
    if not len(grams):
        return []
    model = _model()
    stream = _seeded_words(model.seed)
    initial, langprob = np.array(model._init_probability()), np.zeros(len(model.langlist))
    position, spare = 0, None  # in the stream; Random.gauss draws two values, returns one, keeps the other
    for _ in range(model.n_trial):
        if spare is None:
            z, spare = stream.gauss_pair(position)
            position += 4
        else:
            z, spare = spare, None
        prob = initial
        for block, (factors, after) in enumerate(_blocks(stream, grams, position, _weight(model, z))):
            position, factors[0] = after, prob
            prob = np.multiply.reduce(factors, axis=0)  # row into row, first to last: only sums are regrouped
            values = prob.tolist()
            total = sum(values)  # Python's, as langdetect's
            prob /= total
            # the largest quotient is the largest value's: dividing by a positive number keeps the order
            if max(values) / total > model.CONV_THRESHOLD or 5 * block >= model.ITERATION_LIMIT:
                break
        langprob += prob / model.n_trial
    return langprob.tolist()


def _blocks(
    stream: _SeededWords, grams: np.ndarray, position: int, weight: float
) -> Iterator[tuple[np.ndarray, int]]:
    """A trial's steps in the blocks after which langdetect normalizes (the first step, then every
    5th), drawn ``DRAWN_BLOCKS`` blocks at a time: each block's factors (a free row first, for the
    probabilities before it, then a row a step: the drawn n-gram's profile + ``weight``) and the
    stream position after its draws."""
    table, first = _ngram_profiles().table, 1
    while True:
        size = first + 5 * DRAWN_BLOCKS
        values, after = stream.draws(position, len(grams), size)
        factors = np.empty((size + 1, table.shape[1]))  # a block's free row is the block before's last
        np.take(table, grams[values], axis=0, out=factors[1:])
        factors[1:] += weight
        if first:
            yield factors[:2], int(after[0])
        for end, at in zip(range(first + 5, size + 1, 5), after[first + 4 :: 5].tolist()):
            yield factors[end - 5 : end + 1], at
        position, first = int(after[-1]), 0


def _trials(grams: list[np.ndarray]) -> list[list[float]]:
    """langdetect's ``Detector._detect_block`` for many texts at once, to the last bit.

    Each text keeps its own random draws and steps (a trial: draw an n-gram, multiply the
    55 language probabilities by alpha/10000 + its profile; every 5th step divide them by
    their sum and stop past 0.99999 or 1000 steps; 7 trials averaged), but the steps of
    ``LOCKSTEP_SLOTS`` texts are done together as the rows of one array: the same float
    operations in the same order (the sums are Python's, as langdetect's), the Python
    overhead shared. The draws too: a text's ``random.choice`` is read from the seeded
    words at the text's own position (a word's top bits, redrawn when past the n-gram
    count, as ``Random._randbelow``). A text done, its row takes the next one. Texts without
    n-grams get []. ``grams``: each text's n-grams as their rows in ``_ngram_profiles().table``.
    """
    model = _model()
    initial = np.array(model._init_probability(), dtype=np.float64)
    found: list[list[float]] = [[] for _ in grams]
    todo = [i for i, ngrams in enumerate(grams) if len(ngrams)]
    if not todo:
        return found
    counts = np.array([len(grams[i]) for i in todo], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    shifts = np.array([32 - len(grams[i]).bit_length() for i in todo], dtype=np.uint32)  # getrandbits(k)
    picks = np.concatenate([grams[i] for i in todo])
    profiles = _ngram_profiles().table
    stream = _seeded_words(model.seed)
    size = min(LOCKSTEP_SLOTS, len(todo))
    text = np.arange(size)  # the row's text, as its place in todo; the next text to start is `size`
    position, trials = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    spare, has_spare = np.zeros(size), np.zeros(size, dtype=bool)  # Random.gauss_next, for the next trial
    prob, acc = np.empty((size, len(initial))), np.zeros((size, len(initial)))
    weight, step = np.empty(size), np.empty(size, dtype=np.int64)
    gathered = np.empty_like(prob)
    waiting = size

    def start_trials(rows: np.ndarray) -> None:
        prob[rows], step[rows] = initial, 0
        fresh = rows[~has_spare[rows]]  # Random.gauss draws two values, returns one, keeps the other
        pairs = [stream.gauss_pair(at) for at in position[fresh].tolist()]
        z = spare[rows]
        z[~has_spare[rows]] = [first for first, _ in pairs]
        spare[fresh] = [second for _, second in pairs]
        has_spare[rows] = ~has_spare[rows]
        position[fresh] += 4
        weight[rows] = _weight(model, z)

    start_trials(np.arange(size))
    while len(text):
        draw = stream.below(position, shifts[text], counts[text])
        np.take(profiles, picks[starts[text] + draw], axis=0, out=gathered)
        gathered += weight[:, None]
        prob *= gathered
        due = np.flatnonzero(step % 5 == 0)
        part = prob[due]
        part /= _sums(part)
        prob[due] = part
        ended = due[
            (part.max(axis=1, initial=0.0) > model.CONV_THRESHOLD) | (step[due] >= model.ITERATION_LIMIT)
        ]
        step += 1
        if not len(ended):
            continue
        acc[ended] += prob[ended] / model.n_trial
        trials[ended] += 1
        done = ended[trials[ended] == model.n_trial]
        for row, probabilities in zip(text[done].tolist(), acc[done].tolist()):
            found[todo[row]] = probabilities
        refilled = done[: len(todo) - waiting]  # their rows take the next texts, Random.seed(seed) again
        text[refilled] = np.arange(waiting, waiting + len(refilled))
        waiting += len(refilled)
        position[refilled], trials[refilled], has_spare[refilled], acc[refilled] = 0, 0, False, 0.0
        gone = done[len(refilled) :]  # no text left to take their rows
        if not len(gone):
            start_trials(ended)
            continue
        keep = np.ones(len(text), dtype=bool)
        keep[gone] = False
        start_trials(ended[keep[ended]])
        text, position, trials, spare, has_spare = (
            a[keep] for a in (text, position, trials, spare, has_spare)
        )
        prob, acc, weight, step, gathered = (a[keep] for a in (prob, acc, weight, step, gathered))
    return found


def normalized_ngrams(text: str, known: Container[str]) -> list[str]:
    """``Detector._extract_ngrams`` of a text already through ``NGram.normalize``, without a method call per character.

    The 1- to 3-grams of ``text``, skipping words in capitals, that langdetect has profiles
    for, in the order langdetect finds them.
    """
    result: list[str] = []
    grams, capital = " ", False
    for ch in text:
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

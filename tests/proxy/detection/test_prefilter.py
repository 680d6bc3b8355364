"""The pre-filter clears a text only when no recognizer could find anything in it: its word
lists hold no name, place, title, label or cue the recognizers consult, and the real engine,
run on every text it clears (whole texts and sentences of the evaluation corpus, every listed
word alone and after every greeting and cue, seeded phrases of listed words), finds nothing
and picks the same language. A detector skips the worker for what it clears, and only for
that."""

from __future__ import annotations

import asyncio
import os
import random
import re
from collections.abc import Iterator, Sequence

import pytest

from bench.eval import PARTS, load_corpus
from proxy.detection import people
from proxy.detection.context_words import ADDRESS_PHRASES, BIRTH_PHRASES, CONTEXT, PHONE_CUES
from proxy.detection.custom import CustomPattern, CustomRecognizer, PolicyDetection
from proxy.detection.gazetteer import is_big_place, is_place
from proxy.detection.name_index import (
    COMMON_IN,
    Flag,
    flags,
    is_first_name,
    is_surname,
    is_unambiguous_first_name,
)
from proxy.detection.names import FIRST_NAMES
from proxy.detection.pool import PresidioDetector
from proxy.detection.prefilter import MAX_CHARS, SAFE_WORDS, STARTERS, Prefilter
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis

CANDIDATES = ("en", "fr", "de", "es", "it")  # the bundled default policy's
MODELLED = frozenset({"en", "fr"})
PREFILTER = Prefilter(MODELLED)


def cleared(text: str, languages: Sequence[str] = CANDIDATES, **kwargs: object) -> bool:
    return PREFILTER.clear(text, languages, **kwargs) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Hello, how are you?",
        "Thanks!",
        "Can you help with this?",
        "I think so, thank you.",
        "Bonjour, comment ça va ?",
        "Merci beaucoup",
        "d'accord, merci",
    ],
)
def test_everyday_words_are_cleared(text: str) -> None:
    assert cleared(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Hello, how are you today?", "a date word (spaCy reads 'today' as DATE)"),
        ("hi marie", "a first name in lower case"),
        ("Hello Will", "a capital inside the text"),
        ("Us", "a capitalised word that is no starter"),
        ("thanks, HELLO", "capitals"),
        ("call me at 5", "a digit"),
        ("hello @you", "an at sign"),
        ("hello\nhow are you", "a line break"),
        ("hello: how are you", "a colon"),
        ("hello | how | are", "a table's bar"),
        ("hello dot com", "a word not listed"),
        ("hello how are you " * 4, "too many letters for the short-text language rule"),
        ("h\u0435llo", "a Cyrillic look-alike letter"),
        ("hello\u200b", "an invisible character"),
        ("", "no word at all"),
    ],
)
def test_anything_else_goes_to_a_worker(text: str, why: str) -> None:
    assert not cleared(text), why


def test_languages_follow_the_worker_rule() -> None:
    """Same language as the worker's short-text rule; a language without a model is said
    to be unmodelled, as the worker says it; a candidate with no word list clears nothing."""
    assert PREFILTER.clear("Merci beaucoup", CANDIDATES) == Analysis("fr", (), modelled=True)
    assert Prefilter(frozenset({"en"})).clear("merci beaucoup", CANDIDATES) == Analysis(
        "fr", (), modelled=False
    )
    assert PREFILTER.clear("thanks", ["en"]) == Analysis("en", ())
    assert not cleared("merci", ["en"])  # analysed as English: not an English listed word
    assert not cleared("thanks", ["de"])


def test_policy_recognizers_are_covered() -> None:
    """A deny-list value in the text, or any regular expression in the policy: a worker."""
    deny = PolicyDetection(
        recognizers=(CustomRecognizer(entity="PROJECT", deny_list=("great help",)),)
    )
    assert not cleared("that was a great help!", options=deny)
    assert cleared("that was a good help!", options=deny)
    sensitive = PolicyDetection(
        recognizers=(CustomRecognizer(entity="PROJECT", deny_list=("Hello",), case_sensitive=True),)
    )
    assert cleared("hello there", options=sensitive)
    assert not cleared("Hello there", options=sensitive)
    pattern = PolicyDetection(
        recognizers=(CustomRecognizer(entity="CODE", patterns=(CustomPattern(regex="zzz"),)),)
    )
    assert not cleared("Hello, how are you?", options=pattern)
    allow_only = PolicyDetection(allow_list=("Voile SAS",))
    assert cleared("Hello, how are you?", options=allow_only)


# --- the word lists, against what the recognizers consult ---------------------------------


def _phrases() -> set[str]:
    tables = [*(phrases for table in CONTEXT.values() for phrases in table.values())]
    tables += [PHONE_CUES, *BIRTH_PHRASES.values(), *ADDRESS_PHRASES.values()]
    cues = [
        people.CALLED,
        people.RELATIONS,
        people.ROLES,
        people.PLURAL_ROLES,
        people.LABELS,
        people.SPELLED_TITLES,
    ]
    found = {phrase.casefold() for table in tables for phrase in table}
    found |= {phrase.casefold() for cue in cues for phrase in cue.split("|")}
    return found


# Words of dates and times (spaCy's DATE and TIME, the date recognizers), numbers, and
# nationalities: none may be listed.
_MONTHS = set(re.sub(r"[\\.?]", "", people._DATE_MONTHS).split("|"))


def _words(text: str) -> set[str]:
    return set(text.split())


FORBIDDEN = {
    "en": _MONTHS
    | _words(
        "today tomorrow yesterday tonight now morning afternoon evening night week weekend "
        "month year day days time hour minute second ago soon later monday tuesday wednesday "
        "thursday friday saturday sunday one two three four five six seven eight nine ten "
        "hundred thousand million half english french german spanish italian european "
        "american british"
    ),
    "fr": _MONTHS
    | _words(
        "aujourd'hui demain hier soir matin midi semaine mois an ans année jour jours heure "
        "minute lundi mardi mercredi jeudi vendredi samedi dimanche un deux trois quatre "
        "cinq six sept huit neuf dix cent mille français anglais allemand espagnol italien "
        "européen"
    )
    - {"un"},  # the article, far more than the number
}


@pytest.mark.parametrize("language", sorted(SAFE_WORDS))
def test_no_listed_word_is_anything_a_recognizer_looks_for(language: str) -> None:
    phrases = _phrases()
    common = Flag.COMMON_EN | COMMON_IN[language]
    problems = {}
    for word in SAFE_WORDS[language]:
        why = [
            reason
            for reason, bad in [
                ("a first name", is_first_name(word, language) or word in FIRST_NAMES),
                ("a surname", is_surname(word, language)),
                ("a first name in lower case", is_unambiguous_first_name(word)),
                (
                    "a place in lower case",
                    is_place(word) and (is_big_place(word) or not flags(word) & common),
                ),
                (
                    "a title, role or label",
                    word in people.TITLE_WORDS | people.LABEL_WORDS | people.ROLE_WORDS,
                ),
                ("a cue phrase", word in phrases),
                ("a date, number or nationality", word in FORBIDDEN[language]),
            ]
            if bad
        ]
        if why:
            problems[word] = why
    assert not problems


@pytest.mark.parametrize("language", sorted(SAFE_WORDS))
def test_no_cue_phrase_is_made_of_listed_words(language: str) -> None:
    """Multi-word cues ("born in", "phone no") need a word no list has."""
    safe = SAFE_WORDS[language]
    whole = [p for p in _phrases() if " " in p and all(w in safe for w in p.split())]
    assert not whole


# --- the real engine, on everything the pre-filter clears ---------------------------------


@pytest.fixture(scope="module")
def unfiltered() -> Iterator[PresidioDetector]:
    """A detector that sends every text to its workers, as before the pre-filter (two, one
    per core, so the thousands of generated texts take half the time)."""
    detector = PresidioDetector(DetectionSettings(workers=2, prefilter=False))
    asyncio.run(detector.start())
    yield detector
    asyncio.run(detector.close())


def _sentences(text: str) -> Iterator[str]:
    for line in text.splitlines():
        yield line
        yield line.strip()
        for sentence in re.split(r"(?<=[.?!])\s+", line.strip()):
            yield sentence
            yield from re.split(r",\s*", sentence)


def corpus_candidates() -> list[str]:
    texts = set()
    for sample in load_corpus(parts=PARTS):
        texts.add(sample.text)
        texts.update(_sentences(sample.text))
    return sorted(texts)


def generated_candidates() -> list[str]:
    """Every listed word alone, after each greeting and chat cue of its list, and in seeded
    phrases of listed words, lower case or after a capitalised starter."""
    cues = set(
        (people.GREETINGS + "|" + people.CHAT_CUES + "|" + people.CLOSINGS).casefold().split("|")
    )
    texts = set()
    rng = random.Random(int(os.environ.get("PREFILTER_SEED", "13")))
    ends = ["", ".", "?", "!", " ?"]
    for language, words in SAFE_WORDS.items():
        ordered = sorted(words)
        for word in ordered:
            texts.update({word, word + "."})
            for cue in sorted(cues & words):
                texts.update({f"{cue} {word}", f"{cue}, {word}"})
        for _ in range(int(os.environ.get("PREFILTER_PHRASES", "600"))):
            texts.add(" ".join(rng.choice(ordered) for _ in range(rng.randint(2, 7))))
        for starter in sorted(STARTERS[language]):
            capital = starter[0].upper() + starter[1:]
            texts.update({capital, capital + rng.choice(ends)})
            for _ in range(8):
                rest = " ".join(rng.choice(ordered) for _ in range(rng.randint(1, 6)))
                texts.add(f"{capital}{rng.choice(['', ','])} {rest}{rng.choice(ends)}")
    return sorted(text[:MAX_CHARS] for text in texts)


def test_starters_are_listed_words() -> None:
    assert all(STARTERS[language] <= SAFE_WORDS[language] for language in STARTERS)


def _check_against_engine(
    detector: PresidioDetector, texts: list[str], languages: Sequence[str]
) -> int:
    cleared = [(t, a) for t in texts if (a := PREFILTER.clear(t, languages)) is not None]
    chunks = [cleared[start : start + 200] for start in range(0, len(cleared), 200)]

    async def all_chunks() -> list[list[Analysis]]:  # side by side: both workers busy
        return await asyncio.gather(
            *(
                detector.analyze([t for t, _ in chunk], languages, timeout_seconds=300)
                for chunk in chunks
            )
        )

    wrong = [
        (t, a, f)
        for chunk, found in zip(chunks, asyncio.run(all_chunks()), strict=True)
        for (t, a), f in zip(chunk, found, strict=True)
        if f != a
    ]
    # A wrong clearance shows the text: these are fixed word lists and corpus sentences.
    assert not wrong, wrong[:10]
    return len(cleared)


@pytest.mark.parametrize("languages", [CANDIDATES, ("fr", "en")])
def test_the_engine_finds_nothing_in_generated_texts_the_prefilter_clears(
    unfiltered: PresidioDetector, languages: Sequence[str]
) -> None:
    """Every generated text against all five languages; every third against two, which
    checks the same word lists under another language set at a third of the cost (the
    suite keeps under ten minutes)."""
    texts = generated_candidates()
    every_one = len(languages) == len(CANDIDATES)
    if not every_one:
        texts = texts[::3]
    assert _check_against_engine(unfiltered, texts, languages) > (3000 if every_one else 1000)


def test_the_engine_finds_nothing_in_corpus_texts_the_prefilter_clears(
    unfiltered: PresidioDetector,
) -> None:
    assert _check_against_engine(unfiltered, corpus_candidates(), CANDIDATES) > 30


# --- the detector ----------------------------------------------------------------------


def test_the_detector_skips_the_worker_only_for_cleared_texts(presidio: PresidioDetector) -> None:
    """Cleared texts are answered even with no worker to take them; the others keep their
    place and go to the worker."""
    texts = ["Hello, how are you?", "Write to Jean Dupont at jean.dupont@example.fr", "Merci !"]
    found = asyncio.run(presidio.analyze(texts, CANDIDATES))
    assert found[0] == Analysis("en", ())
    assert found[2] == Analysis("fr", ())
    assert {f.entity_type for f in found[1].findings} >= {"PERSON", "EMAIL_ADDRESS"}
    closed = PresidioDetector(DetectionSettings(workers=1))  # never started: no worker
    assert asyncio.run(closed.analyze(["Thanks!"], CANDIDATES)) == [Analysis("en", ())]

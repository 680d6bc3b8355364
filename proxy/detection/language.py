"""Which candidate language a text (or each part of a mixed text) is analysed in.

Identification uses lingua (`lingua-language-detector`, a maintained, offline library with
models for 75 languages, strong on short texts). One detector per worker process knows the
European languages people write to us in (`KNOWN`); only the policy's candidates can win, so
a text is never analysed with a language the policy did not choose. Lingua is used for texts
of at least `MIN_LETTERS` letters; shorter ones ("Jean Dupont", "06 12 34 56 78") carry too
little evidence for any statistical model, and get a cheap heuristic instead (`pick_language`:
one vote per common function word, one per letter specific to a language's spelling), which
also answers when lingua is not loaded (the proxy's main process never loads it). No
evidence at all gives the first candidate, which the policy names as its fallback.

A long text in several languages (an English e-mail quoting a French one) is cut at line
breaks; each paragraph with enough letters in its words (the letters of IBANs, BICs, logins
and addresses are no evidence: a table's rows stay with its header) gets its own language,
short ones join their neighbour, and consecutive paragraphs of one language form one
segment, analysed with that language's model and recognizers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lingua import LanguageDetector

_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to is are was were that this with for you your have has not be it on "
        "at by from what which would will can please my we they he she there their an or "
        "but if do does how"
    ),
    "fr": _words(
        "le la les des du un une et est sont dans pour pas que qui ne sur avec au aux ce "
        "cette ces il elle nous vous je mon ma mes son sa ses leur mais ou où très merci "
        "bonjour être avoir"
    ),
    "de": _words(
        "der die das und ist sind nicht ein eine einen dem den des mit für auf ich sie wir "
        "ihr es zu von auch wie bitte danke oder aber wenn im"
    ),
    "es": _words(
        "el los las una unos y es son por para con pero como está están muy gracias hola "
        "yo usted mi su sus del también cuando porque hay"
    ),
    "it": _words(
        "il lo gli della delle dei degli nel nella e è sono non per con una un questo "
        "questa anche ma molto grazie ciao io siamo perché come"
    ),
}

SPECIFIC_CHARACTERS: dict[str, frozenset[str]] = {
    "en": frozenset(),
    "fr": frozenset("éçêâîôûëïœ"),
    "de": frozenset("äöüß"),
    "es": frozenset("ñ¿¡áíóú"),
    "it": frozenset("òì"),
}


def pick_language(text: str, candidates: Sequence[str]) -> str:
    """The candidate `text` most looks like by function words and accents; ties and no
    evidence give the first one."""
    if not candidates:
        raise ValueError("pick_language needs at least one candidate language")
    if len(candidates) == 1:
        return candidates[0]
    normalised = unicodedata.normalize("NFC", text).lower()
    words = Counter(_WORD.findall(normalised))
    characters = Counter(normalised)
    best, best_votes = candidates[0], -1
    for language in candidates:
        votes = _votes(words, STOP_WORDS.get(language, frozenset())) + _votes(
            characters, SPECIFIC_CHARACTERS.get(language, frozenset())
        )
        if votes > best_votes:
            best, best_votes = language, votes
    return best


def _votes(counts: Counter[str], evidence: frozenset[str]) -> int:
    return sum(count for item, count in counts.items() if item in evidence)


# Languages lingua distinguishes (ISO 639-1). More than any policy lists, so that a Dutch
# text is not forced to look like its nearest candidate by a detector that knows no Dutch.
KNOWN = ("en", "fr", "de", "es", "it", "nl", "pt")
MIN_LETTERS = 40
MIN_CONFIDENCE = 0.2
# Paragraphs, quotes, list items, labelled lines and lines are cut apart, but never a table's
# rows (a line that starts with "|" or holds a tab): a row read as another language ("| Robin
# Achterberg | Ivy Achterberg | Zeist |" as German) would lose its table's header.
_NOT_A_ROW = r"(?![ \t]*\||[^\n]*\t)"
_PARAGRAPH = re.compile(
    rf"\n\s*\n|\n{_NOT_A_ROW}(?=\s*(?:>|[-*•]|\d+[.)]|[A-Z][^\n]{{0,40}}:))|\n{_NOT_A_ROW}"
)
_LETTERS = re.compile(r"[^\W\d_]")
# A chat's lines ("dan.okafor: anyone know why…", "[09:12] giuli.r: ok"), three or more: a
# chat is cut at blank lines only. Cut at each line, a line lingua reads as another language
# split the chat, and the speakers' rule saw too few of its lines in each piece.
_CHAT_LINE = re.compile(r"(?m)^[ \t]*(?:\[[^\]\n]{1,20}\][ \t]*)?\w[\w.\-]{0,24}[ \t]*:[ \t]")
_CHAT_LINES = 3
_BLANK_LINE = re.compile(r"\n\s*\n")
# Tokens that are not words of any language: numbers, identifiers, e-mail addresses, URLs.
_NOT_A_WORD = re.compile(r"\S*[\d@/\\_=<>{}|]\S*")


def _words_only(text: str) -> str:
    """`text` without numbers, codes, addresses and URLs, which only confuse identification
    (an IBAN starting with FR, a French e-mail address quoted in a Spanish message)."""
    return _NOT_A_WORD.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Segment:
    """`text[start:end]` is in `language`."""

    start: int
    end: int
    language: str


class LanguageIdentifier:
    """Lingua for texts with enough letters, the function-word heuristic for the others."""

    def __init__(self, accuracy: Literal["low", "high"] = "low") -> None:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder  # noqa: PLC0415

        languages = [
            Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in KNOWN
        ]
        builder = LanguageDetectorBuilder.from_languages(
            *languages
        ).with_preloaded_language_models()
        if accuracy == "low":
            builder = builder.with_low_accuracy_mode()
        self._detector: LanguageDetector = builder.build()

    def pick(self, text: str, candidates: Sequence[str]) -> str:
        """The candidate `text` is most likely in; the first one when unsure."""
        if not candidates:
            raise ValueError("pick needs at least one candidate language")
        if len(candidates) == 1:
            return candidates[0]
        return self._pick_by_words(text, _words_only(text), candidates)

    def _pick_by_words(self, text: str, words: str, candidates: Sequence[str]) -> str:
        """`pick`, given the words of `text` (`_words_only`)."""
        if len(_LETTERS.findall(words, 0, 4 * MIN_LETTERS)) < MIN_LETTERS:
            return pick_language(words, candidates)
        confidence = {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in self._detector.compute_language_confidence_values(words)
        }
        best = max(candidates, key=lambda language: confidence.get(language, 0.0))
        if confidence.get(best, 0.0) < MIN_CONFIDENCE:
            return pick_language(text, candidates)
        return best

    def segments(self, text: str, candidates: Sequence[str]) -> list[Segment]:
        """`text` cut into runs of one language each (usually one run: the whole text)."""
        if not candidates:
            raise ValueError("segments needs at least one candidate language")
        if len(candidates) == 1 or "\n" not in text.strip() or len(text) < 4 * MIN_LETTERS:
            return [Segment(0, len(text), self.pick(text, candidates))]
        parts: list[tuple[int, int, str | None]] = []
        start = 0
        cuts = _BLANK_LINE if len(_CHAT_LINE.findall(text)) >= _CHAT_LINES else _PARAGRAPH
        for cut in cuts.finditer(text):
            if cut.start() > start:
                parts.append((start, cut.start(), None))
            start = cut.start()
        parts.append((start, len(text), None))
        labelled = [
            (first, last, self._paragraph_language(text[first:last], candidates))
            for first, last, _ in parts
        ]
        known = [language for _, _, language in labelled if language is not None]
        if len(set(known)) <= 1:
            return [Segment(0, len(text), known[0] if known else self.pick(text, candidates))]
        segments: list[Segment] = []
        current = known[0]  # leading short paragraphs join the first language found
        for first, last, found in labelled:
            current = found or current
            if segments and segments[-1].language == current:
                segments[-1] = Segment(segments[-1].start, last, current)
            else:
                segments.append(Segment(first if segments else 0, last, current))
        return segments

    def _paragraph_language(self, paragraph: str, candidates: Sequence[str]) -> str | None:
        """The language of a paragraph with `MIN_LETTERS` letters in its words; None for a
        shorter one. Its words are cut out once, for the count and for `pick`, and the
        count stops at the last letter it needs (issue 13)."""
        words = _words_only(paragraph)
        enough = next(islice(_LETTERS.finditer(words), MIN_LETTERS - 1, None), None)
        return None if enough is None else self._pick_by_words(paragraph, words, candidates)

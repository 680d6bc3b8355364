"""Context words that raise a finding's score, matched as phrases in the text before it.

Presidio's default (`LemmaContextAwareEnhancer`) compares each context word with the spaCy
*lemma* of single tokens. That has two costs here: multi-word context ("n° de sécurité
sociale", "né le") can never match, because no single token contains a space; and it needs
spaCy's tagger and lemmatizer, which the NER-only pipeline leaves out (they cost as much as
NER itself). This enhancer instead looks for each context phrase, case-insensitively and on
word boundaries, in the 64 characters just before the finding (or, for a recognizer with a
`context_gap`, ending at most that many characters before it: identifiers with no checksum
need their label right before them, not in the previous sentence). Same scoring rule as
Presidio: +0.35, at least 0.4 (or the recognizer's own `min_score_with_context`), at most 1.

Labels (`label_pattern`, `value_starts`) are stricter: a phrase that names an identifier
followed only by what people write between a label and its value (punctuation, "n°",
"number", "is"), so that the value starts exactly where the match ends ("IBAN : FR76…",
"card number 4970…", "n° de sécurité sociale : 1 85…", "SIRET n° 732…").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.alternation import factored

WINDOW_CHARS = 64

# Between a label and its value: punctuation and spaces, and at most three of these words.
_GAP_PUNCTUATION = r"[\s:#=(\-\u2013\u2014.]*"
_GAP_WORDS = (
    "n°", "nº", "no", "nr", "num", "number", "numéro", "numero", "nummer", "número",
    "is", "est", "ist", "es", "è",
)  # fmt: skip


# Between the words of a phrase: any whitespace, or the hyphen or underscore of a field's key
# ("steuer_id", "tax-id", "codice_fiscale" in JSON, YAML and logs).
_WORD_GAP = r"[\s_\-]+"
_WORD_SPLIT = re.compile(r"[\s\-]+")


def _alternatives(phrases: Iterable[str]) -> str:
    """`phrases` as one alternation, longest first, any whitespace, hyphen or underscore
    between words ("steuer-id" finds "Steuer ID" and "steuer_id"); written with their shared
    leading letters taken out (`alternation.factored`: same matches)."""
    return factored(
        "|".join(
            sorted(
                {
                    _WORD_GAP.join(re.escape(word) for word in _WORD_SPLIT.split(phrase) if word)
                    for phrase in phrases
                },
                key=len,
                reverse=True,
            )
        )
    )


def any_phrase(phrases: Sequence[str]) -> str:
    """A regex of `phrases` without the word boundaries of `phrase_pattern`: it finds one
    wherever `phrase_pattern` does, in a text or in any slice of it, so a search for it
    that finds nothing proves that no `phrase_pattern` of them can match (a cheap gate)."""
    return _alternatives(phrases)


def phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """One regex finding any of `phrases` as whole words, any whitespace between words."""
    return re.compile(r"(?<!\w)(?:" + _alternatives(phrases) + r")(?!\w)", re.IGNORECASE)


def label_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """One regex finding any of `phrases` as a label: the phrase, whole words, then what
    people write before the value (": ", " n° ", " number: ", " est "), and no more."""
    if not phrases:
        raise ValueError("a label pattern needs at least one phrase")
    words = _alternatives(_GAP_WORDS)
    return re.compile(
        rf"(?<!\w)(?:{_alternatives(phrases)})(?!\w)"
        rf"{_GAP_PUNCTUATION}(?:(?:{words})(?!\w){_GAP_PUNCTUATION}){{0,3}}",
        re.IGNORECASE,
    )


def value_starts(labels: re.Pattern[str], text: str) -> list[int]:
    """Where a value labelled by `labels` (a `label_pattern`) would start in `text`."""
    return [match.end() for match in labels.finditer(text, timeout=regex_limits.seconds())]


class PhraseContextEnhancer(ContextAwareEnhancer):
    """Boost findings whose recognizer's context phrases appear shortly before them."""

    def __init__(
        self,
        window_chars: int = WINDOW_CHARS,
        similarity_factor: float = 0.35,
        min_score_with_context: float = 0.4,
    ) -> None:
        super().__init__(
            context_similarity_factor=similarity_factor,
            min_score_with_context_similarity=min_score_with_context,
            context_prefix_count=0,
            context_suffix_count=0,
        )
        self.window_chars = window_chars
        self._patterns: dict[str, re.Pattern[str]] = {}

    def _pattern_for(self, recognizer: EntityRecognizer) -> re.Pattern[str]:
        pattern = self._patterns.get(recognizer.id)
        if pattern is None:
            phrases = [unicodedata.normalize("NFC", p) for p in recognizer.context]
            pattern = self._patterns[recognizer.id] = phrase_pattern(phrases)
        return pattern

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Raise the score of each result preceded by one of its recognizer's phrases."""
        by_id = {recognizer.id: recognizer for recognizer in recognizers}
        for result in raw_results:
            metadata = result.recognition_metadata or {}
            if metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                continue
            recognizer = by_id.get(metadata.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            if recognizer is None or not recognizer.context:
                continue
            window = text[max(0, result.start - self.window_chars) : result.start]
            window = unicodedata.normalize("NFC", window)
            gap = getattr(recognizer, "context_gap", None)
            if not any(
                gap is None or len(window) - phrase.end() <= gap
                for phrase in self._pattern_for(recognizer).finditer(window)
            ):
                continue
            score = max(
                result.score + self.context_similarity_factor,
                getattr(
                    recognizer, "min_score_with_context", self.min_score_with_context_similarity
                ),
            )
            result.score = min(score, ContextAwareEnhancer.MAX_SCORE)
            metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_results

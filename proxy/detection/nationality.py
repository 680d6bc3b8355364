"""Nationality (NRP) where a text states a person's: a form label ("Nationality: Finnish",
"Staatsangehörigkeit: japanisch", "Cittadinanza: greca", "Religion: muslimisch") or a
phrase ("de nationalité sénégalaise", "cittadino rumeno", "finnischer Staatsbürger", "an
Irish citizen").

spaCy's English model tags nationality words (NORP) wherever they stand, "French market" as
much as "a French citizen"; the other languages have no model for it at all. A person's
nationality is special-category-adjacent data (it reveals origin), so the label or phrase
that ties the word to a person is what makes it personal: the word after it is taken,
whatever it is, with no list of nationalities to fall behind.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits

SCORE = 0.85

_LABELS = (
    r"nationality|citizenship|nationalité|citoyenneté|staatsangehörigkeit|"
    r"staatsbürgerschaft|nationalität|nacionalidad|ciudadanía|cittadinanza|nazionalità|"
    r"religion|religious affiliation|confession|religión|religione|konfession|bekenntnis|"
    r"religionszugehörigkeit|culte"
)
_WORD = r"\p{L}[\p{L}\-]*"
_VALUE = rf"(?P<value>{_WORD}(?:[ \-/]{_WORD})?)"
_PHRASE_BEFORE = (
    r"de nationalité|of (?:the )?nationality|di nazionalità|di cittadinanza|"
    r"de nacionalidad|mit (?:der )?staatsangehörigkeit|nationality|"
    r"citoyen|citoyenne|ciudadano|ciudadana|cittadino|cittadina|citizen of"
)
_PHRASE_AFTER_NOUN = r"nationality|citizen|national"
# German writes the adjective in lower case: "finnischer Staatsbürger".
_GERMAN_CITIZEN = r"Staatsbürger(?:in)?|Staatsangehörige[rn]?"


class NationalityRecognizer(EntityRecognizer):
    """NRP: the value of a nationality label, or the word of a nationality phrase (module
    docstring), score `SCORE`."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["NRP"], name="NationalityRecognizer", supported_language=language
        )
        self._labelled = re.compile(
            rf"(?im:^[ \t>*\-]*(?:{_LABELS})[ \t]*(?:\([^)\n]{{0,20}}\))?[ \t]*:[ \t]*)"
            rf"{_VALUE}[ \t]*(?=$|[,;\n(])",
            re.IGNORECASE | re.MULTILINE,
        )
        self._phrase = re.compile(
            rf"(?<![\w])(?i:{_PHRASE_BEFORE})[ \t]+(?P<value>{_WORD})(?![\w])"
            rf"|(?<![\w])(?P<value>\p{{Lu}}\p{{L}}{{2,}})[ \t]+(?i:{_PHRASE_AFTER_NOUN})(?![\w])"
            rf"|(?<![\w])(?P<value>\p{{Ll}}{{3,}}er)[ \t]+(?:{_GERMAN_CITIZEN})(?![\w])"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each labelled or phrased nationality."""
        timeout = regex_limits.seconds()
        found: dict[tuple[int, int], RecognizerResult] = {}
        for pattern in (self._labelled, self._phrase):
            for match in pattern.finditer(text, timeout=timeout):
                start, end = match.span("value")
                found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        return list(found.values())

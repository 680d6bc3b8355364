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

from functools import cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.name_index import without_accents

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
        for match in _APPOSITION.finditer(text, timeout=timeout):
            start, end = match.span("value")
            if is_demonym(match.group("value")):
                found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        return list(found.values())


# A nationality said of a person in passing: between commas after a name or an age
# ("M. Aurelio Conti, italien, résidant à Menton", "71F, Colombian, lives alone", "38 años,
# nigeriana, residente"), or after "is" ("Es nigeriano", "È nigeriano"), or as what a
# witness calls someone ("avec le Portugais, je crois qu'il s'appelle…"), or before
# "citizen" words in German ("chilenische Staatsbürgerin" is `_GERMAN_CITIZEN`).
_AFTER_A_PERSON = (
    r"(?<=\p{Lu}[\p{Ll}'\-]+|\p{Lu}{2,}|\d{1,3}[ ]?(?:ans|años|anni|jahre|years|yo|y/o|[FM])|"
    r"\d{4}\))"
)
_APPOSITION = re.compile(
    rf"(?:{_AFTER_A_PERSON}[ \t]*,[ \t]*(?P<value>\p{{L}}[\p{{Ll}}\-]{{3,}})"
    r"(?=[ \t]*[,;.)]|[ \t]+(?:di|de|of|d')[ ]origin)"
    r"|(?<![\w])(?i:es|è|est|is|ist|era|était|war|was)[ \t]+"
    r"(?:(?i:un|una|une|a|an|ein|eine)[ \t]+)?(?P<value>\p{Ll}[\p{Ll}\-]{3,})"
    r"(?=[ \t]*[,;.]|[ \t]+(?:y|e|et|and|und)[ ])"
    # a person called by their nationality, with the article ("avec le Portugais, je
    # crois", "con el colombiano, creo", "con l'albanese»")
    r"|(?<![\w])(?i:avec le|avec la|avec l'|con el|con la|con il|con lo|con l'|with the)[ \t]*"
    r"(?P<value>\p{L}[\p{Ll}\-]{3,})(?=[ \t]*[,;.»)\u2013\u2014]|[ \t]+[\u2013\u2014\-][ ]))"
)
# Endings of nationality adjectives and nouns in the five languages ("italien", "uruguayo",
# "nigeriana", "portugaise", "polnisch", "Turkish", "svizzero", "iraní", "belge").
_DEMONYM_ENDING = re.compile(
    r"(?:an|ian|ish|ese|esi|esa|ais|aise|ois|oise|ien|ienne|ain|aine|isch|ische|ano|ana|ani|"
    r"ane|ino|ina|ini|ine|eno|ena|eni|ense|es|ero|era|eri|ole|yo|ya|ge|i|ch|que|ier)$"
)


# Words with a country's first letters and a demonym's ending that name no nationality: a
# doorman is no Portuguese ("con la portera").
_LOOK_ALIKES = frozenset(
    {"portero", "portera", "porteros", "porteras", "portier", "portiere", "portiera", "portieri"}
)


def is_demonym(word: str) -> bool:
    """A word that names a nationality: a demonym's ending, and its first letters those of
    a country's name in one of the five languages ("italien" and "Italie", "chilenische"
    and "Chile", "Romanian" and "Romania"). Countries come from the gazetteer, so no list
    of nationalities is kept here."""
    folded = without_accents(word.casefold())
    if len(folded) < 4 or _DEMONYM_ENDING.search(folded) is None or folded in _LOOK_ALIKES:
        return False
    return folded[:4] in _country_prefixes()


@cache
def _country_prefixes() -> frozenset[str]:
    from proxy.detection.gazetteer import Flag, places  # noqa: PLC0415

    return frozenset(
        without_accents(name)[:4]
        for name, bits in places().items()
        if bits & Flag.COUNTRY and " " not in name and len(name) >= 4
    )

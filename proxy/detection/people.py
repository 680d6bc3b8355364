"""People: names the statistical model may miss, and dates of birth.

The small spaCy models miss names that a human reader never would: "Mme Lefèvre", "Nom :
DUPONT", "Herr Müller" in a text with no German model, a name the model only half-covers.
Three cues catch most of them, in every language, with or without a model:
- a title or form of address before a capitalised name (`M.`, `Madame`, `Mr`, `Dr`, `Herr`,
  `Frau`, `Sr.`, `Sra.`, `Sig.ra`, …); the title itself is not part of the finding;
- a form label before it (`Nom :`, `Prénom :`, `Name:`, `Vorname:`, `Apellidos:`, …);
- a common first name (`names.FIRST_NAMES`) followed by a capitalised surname, or a surname
  in capitals followed by a first name ("DUPONT Jean", as French forms write it).
`propagate_names` then marks the other occurrences in the same text of the words of each
name found (the surname alone, a first name alone), as a reader would.

A date is a date of birth (`DATE_OF_BIRTH`, masked by the default policy, unlike other
dates) when a birth phrase ("né le", "born on", "geboren am", "fecha de nacimiento") stands
just before it.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.context import phrase_pattern
from proxy.detection.names import COMMON_WORDS, FIRST_NAMES

UPPER = r"\p{Lu}"
LOWER = r"[\p{Ll}'\u2019]"
# A capitalised name word ("Dupont", "Jean-Pierre", "O'Brien", "McDonald") or one in capitals.
NAME_WORD = (
    rf"(?:{UPPER}{LOWER}+(?:[\-'\u2019]{UPPER}?{LOWER}+)*(?:-{UPPER}{LOWER}+)*"
    rf"|{UPPER}{{2,}}(?:[\-'\u2019]{UPPER}{{2,}})*)"
)
PARTICLE = (
    r"(?:de la|de|du|des|d'|d\u2019|van der|van den|van|von der|von|der|den|da|di|del|della|"
    r"dos|das|le|la|ben|el|al-|ter|zu|y)"
)
# A full name: words, with particles between ("Jean de La Fontaine", "Ludwig van Beethoven").
NAME = rf"{NAME_WORD}(?:(?:[ ]{PARTICLE})?[ ]{NAME_WORD}){{0,3}}"
INITIAL_THEN_NAME = rf"(?:{UPPER}\.[ ]?(?:{UPPER}\.[ ]?)?)?{NAME}"

TITLES = {
    "en": r"Mr|Mr\.|Mrs|Mrs\.|Ms|Ms\.|Miss|Mx|Dr|Dr\.|Prof\.|Professor|Sir|Dame|Lady|Lord",
    "fr": (
        r"M\.|MM\.|Mme|Mme\.|Mmes|Mlle|Mlle\.|Monsieur|Madame|Mademoiselle|Dr|Dr\.|Docteur|"
        r"Pr|Pr\.|Professeur|Me|Maître|Maitre"
    ),
    "de": r"Herr|Herrn|Frau|Hr\.|Fr\.|Dr\.|Prof\.|Fräulein",
    "es": r"Sr\.|Sra\.|Srta\.|Sres\.|Señor|Señora|Señorita|Don|Doña|D\.|Dña\.|Dr\.|Dra\.",
    "it": r"Sig\.|Sig\.ra|Sig\.na|Signor|Signora|Signorina|Dott\.|Dott\.ssa|Avv\.|Ing\.|Prof\.",
}
# Greetings and introductions before a first name, in any case: chat messages are often
# written in lower case ("hi jessica, it's mark").
GREETINGS = (
    r"hi|hey|hello|dear|thanks|cheers|it's|it is|i'm|i am|this is|my name is|"
    r"bonjour|salut|coucou|bonsoir|merci|c'est|je suis|je m'appelle|moi c'est|"
    r"hallo|liebe|lieber|hier ist|ich bin|ich heiße|danke|"
    r"hola|querida|querido|soy|me llamo|gracias|ciao|caro|cara|sono|mi chiamo|grazie"
)
LABELS = (
    r"Nom|Prénom|Prénoms|Nom de famille|Nom et prénom|Nom, prénom|Nom de naissance|Nom d'usage|"
    r"Name|Full name|First name|Last name|Surname|Given name|Family name|Patient name|"
    r"Vorname|Nachname|Familienname|Vor- und Nachname|"
    r"Nombre|Apellido|Apellidos|Nombre y apellidos|Cognome|Nome|Nome e cognome|"
    r"Titulaire|Titulaire du compte|Account holder|Kontoinhaber|Titular|Intestatario|"
    r"Patient|Patiente|Paciente|Paziente|Salarié|Salariée|Employee|Mitarbeiter|Mitarbeiterin"
)

TITLE_WORDS = frozenset(
    word.casefold().rstrip(".") for titles in TITLES.values() for word in titles.split("|")
) | frozenset({"mister", "docteur", "doctor", "madame", "monsieur", "messieurs", "mesdames"})
LABEL_WORDS = frozenset(label.casefold() for label in LABELS.split("|")) | frozenset(
    {"nom", "prénom", "adresse", "address", "date", "tél", "tel", "email", "mail", "objet"}
)

_DATE_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|janv\.|févr\.|sept\.|oct\.|nov\.|déc\.|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sep\.?|sept\.?|oct\.?|"
    r"nov\.?|dec\.?|januar|jänner|februar|märz|april|mai|juni|juli|august|september|"
    r"oktober|november|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre"
)
DATE = (
    r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|(?:1er|\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?:{_DATE_MONTHS})(?:\s+de)?,?\s+\d{{4}}"
    rf"|(?:{_DATE_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)


def _result(entity: str, start: int, end: int, score: float) -> RecognizerResult:
    # The analyzer adds the recognizer's name and id to the metadata (context needs the id).
    return RecognizerResult(entity, start, end, score)


class NameCueRecognizer(EntityRecognizer):
    """PERSON after a title or a form label, or starting with a common first name."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="NameCueRecognizer", supported_language=language
        )
        titles = "|".join(TITLES.values())
        self._titled = re.compile(rf"(?<![\w.])(?:{titles})[ \u00a0]+(?P<name>{INITIAL_THEN_NAME})")
        self._labelled = re.compile(
            rf"(?<![\w])(?i:{LABELS})[ \t]*(?:\([^)\n]{{0,20}}\))?[ \t]*:[ \t]*"
            rf"(?P<name>{NAME}(?:,?[ ]{NAME})?)"
        )
        self._greeted = re.compile(
            rf"(?<![\w])(?i:{GREETINGS})[ ,]+(?P<name>(?i:[\p{{L}}][\p{{L}}'\u2019\-]+))(?![\w])"
        )
        self._first_last = re.compile(
            rf"(?<![\w])(?P<first>{NAME_WORD})(?:[ \-](?P<second>{NAME_WORD}))?"
            rf"(?:[ ]{PARTICLE})?[ ](?P<last>{NAME_WORD})"
            rf"(?:[ ](?P<more>{NAME_WORD}))?"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names after titles and labels (0.75), first name + surname (0.65)."""
        timeout = regex_limits.seconds()
        results = []
        for pattern, score in ((self._titled, 0.75), (self._labelled, 0.75)):
            for match in pattern.finditer(text, overlapped=True, timeout=timeout):
                start, end = match.span("name")
                start, end = _trim_common_words(text, start, end)
                if end > start:
                    results.append(_result("PERSON", start, end, score))
        for match in self._greeted.finditer(text, timeout=timeout):
            if match.group("name").casefold() in FIRST_NAMES:
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in self._first_last.finditer(text, overlapped=True, timeout=timeout):
            span = _first_name_span(match)
            if span is not None:
                results.append(_result("PERSON", *span, 0.65))
        return results


def _first_name_span(match: re.Match[str]) -> tuple[int, int] | None:
    """Where a "First Last", "First Second Last", "First Last Last2" or "LAST First" match
    is a name, its span."""
    first, second, last = match.group("first"), match.group("second"), match.group("last")
    more = match.group("more")
    if first.casefold() in FIRST_NAMES:
        if last.casefold() in COMMON_WORDS:
            if second is None or second.casefold() in FIRST_NAMES | COMMON_WORDS:
                return None
            return match.start("first"), match.end("second")  # "Javier Moreno Merci"
        end = match.end("last")
        if more is not None and more.casefold() not in COMMON_WORDS | FIRST_NAMES:
            end = match.end("more")  # a second surname ("Javier Moreno García")
        return match.start("first"), end
    # "DUPONT Jean": a surname in capitals, then a first name.
    if first.isupper() and len(first) > 1 and second is None and last.casefold() in FIRST_NAMES:
        if first.casefold() in COMMON_WORDS:
            return None
        return match.start("first"), match.end("last")
    return None


def _trim_common_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing words that are ordinary capitalised words ("Dupont Merci" -> "Dupont")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group().casefold().strip(".,") in COMMON_WORDS:
        words.pop()
    first = words[0].group().casefold().strip(".,") if words else ""
    if first in COMMON_WORDS or first in TITLE_WORDS or first in LABEL_WORDS:
        return start, start
    return start, start + words[-1].end() if words else start


class BirthDateRecognizer(EntityRecognizer):
    """DATE_OF_BIRTH: a date right after a birth phrase of the text's language (or English)."""

    def __init__(self, language: str, phrases: Sequence[str]) -> None:
        super().__init__(
            supported_entities=["DATE_OF_BIRTH"],
            name="BirthDateRecognizer",
            supported_language=language,
        )
        cue = phrase_pattern(phrases).pattern
        self._pattern = re.compile(
            rf"{cue}[ \t]*(?:\([^)\n]{{0,12}}\))?[ \t]*[:,]?[ \t]*"
            rf"(?:(?i:le|on|am|el|il|the)[ \t]+)?(?P<date>{DATE})",
            re.IGNORECASE,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each date after a birth phrase, score 0.85."""
        return [
            _result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.85)
            for match in self._pattern.finditer(text, timeout=regex_limits.seconds())
        ]


def propagate_names(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """Add a PERSON result for every other occurrence, in `text`, of a word of a name already
    found (score at least `min_score`): "Jean Dupont … M. Dupont … Dupont a signé"."""
    words: dict[str, float] = {}
    for result in results:
        if result.entity_type != "PERSON" or result.score < min_score:
            continue
        for word in re.findall(NAME_WORD, text[result.start : result.end]):
            if len(word) >= 3 and word.casefold() not in COMMON_WORDS:
                words[word] = max(words.get(word, 0.0), result.score)
    if not words:
        return results
    covered = [(r.start, r.end) for r in results if r.entity_type == "PERSON"]
    pattern = re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w])"
    )
    extra = []
    for match in pattern.finditer(text, timeout=regex_limits.seconds()):
        if any(start <= match.start() and match.end() <= end for start, end in covered):
            continue
        extra.append(
            RecognizerResult(
                "PERSON",
                match.start(),
                match.end(),
                min(words[match.group()], 0.85),
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "propagate_names"},
            )
        )
    return results + extra

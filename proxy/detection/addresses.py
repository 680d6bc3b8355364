"""Postal addresses: house number, street type and name, then optionally postcode and town.

spaCy finds towns ("Lyon") but not addresses; an address is the most identifying thing in a
letter. The patterns follow each country's writing order:
- France, Belgium: `12 bis, rue de la Paix, 75002 Paris (Cedex)`;
- English: `221B Baker Street, London NW1 6XE`, `1600 Pennsylvania Avenue NW, Washington, DC 20500`;
- German: `Hauptstraße 5a, 10115 Berlin`;
- Spanish: `Calle de Alcalá 45, 3º B, 28014 Madrid`; Italian: `Via Roma 12, 00184 Roma (RM)`.
A street with its number scores 0.6; with postcode and town, 0.85; a postcode and town alone
score 0.3 and need a context phrase ("demeurant", "address", "wohnhaft in") to count.
The patterns of every country run whatever the text's language: people write their own
address in an e-mail in another language. Street types are matched in any case, names must
be capitalised (or digits, "rue du 8 Mai 1945"), so a sentence is not taken for a street.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from proxy.detection.identifiers import CASE_SENSITIVE

_CAP = r"(?:\p{Lu}[\p{L}'\u2019\-\.]*|\d+(?:er|e)?)"
_TOWN_WORD = r"\p{Lu}[\p{L}'\u2019\-]*+(?![\d])"
_TOWN_LINK = r"(?:sur|sous|en|lès|lez|les|le|la|de|du|des|am|an|im|bei|de la)"
_TOWN = rf"{_TOWN_WORD}(?:[ \-](?:{_TOWN_LINK}[ \-])?{_TOWN_WORD}){{0,3}}"

# France and Belgium
_FR_TYPES = (
    r"rue|avenue|av\.|bd|boulevard|bld|place|pl\.|allée|allee|chemin|ch\.|impasse|imp\.|quai|"
    r"route|rte|cours|square|passage|villa|cité|cite|faubourg|fbg|rond-point|résidence|"
    r"residence|lieu-dit|sentier|voie|hameau|esplanade|promenade|parvis|montée|côte|ruelle|"
    r"mail|chaussée|chaussee|drève|clos|lotissement|domaine|parc|venelle|traverse|square"
)
_FR_PARTICLES = (
    r"(?:de la|de l'|de l\u2019|des|du|de|d'|d\u2019|l'|l\u2019|la|le|les|aux|au|sur|en|et|à)"
)
_FR_STREET = (
    rf"(?<![\w])\d{{1,4}}(?:[ ]?(?i:bis|ter|quater|[a-d]))?,?[ ](?i:{_FR_TYPES})[ ]"
    rf"(?:{_FR_PARTICLES}[ ]?)?{_CAP}(?:[ ](?:{_FR_PARTICLES}[ ]?)?{_CAP}){{0,5}}"
)
_FR_TOWN = (
    rf"(?:\d{{5}}|\d{{2}}[ ]\d{{3}}|[1-9]\d{{3}})[ ]{_TOWN}(?:[ ](?i:cedex)(?:[ ]\d{{1,2}})?)?"
)
_FR = rf"{_FR_STREET}(?:,?[ \n]+(?:(?i:bp|cs)[ ]\d+[ ,\n]+)?{_FR_TOWN})?"

# English (UK, US, Ireland)
_EN_TYPES = (
    r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Court|"
    r"Ct\.?|Place|Pl\.?|Way|Square|Sq\.?|Terrace|Close|Crescent|Parkway|Pkwy\.?|Highway|Hwy\.?|"
    r"Row|Gardens|Grove|Hill|Mews|Walk|Park|Rise|View|Circle|Trail|Wharf"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"
_US_ZIP = r"[A-Z]{2}[ ]\d{5}(?:-\d{4})?"
_EN_STREET = (
    rf"(?<![\w])(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)[ ]\w+,?[ ])?\d{{1,5}}[A-Za-z]?,?[ ]"
    rf"(?:\p{{Lu}}[\p{{L}}'\-\.]*[ ]|\d+(?:st|nd|rd|th)[ ]){{1,4}}(?:{_EN_TYPES})(?![\w])"
    r"(?:[ ](?:NW|NE|SW|SE|N|S|E|W)(?![\w]))?"
)
_EN = (
    rf"{_EN_STREET}(?:,?[ ](?:(?:Apt\.?|Suite|Unit|Flat)[ ]\w+,?[ ])?{_TOWN}"
    rf"(?:,?[ ](?:{_UK_POSTCODE}|{_US_ZIP}|\d{{5}}))?)?"
)

# German, Austrian, Swiss German
_DE_SUFFIXES = (
    r"straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|berg|hof"
)
_DE = (
    rf"(?<![\w])(?:\p{{Lu}}[\p{{L}}\-]*(?:{_DE_SUFFIXES})"
    r"|\p{Lu}[\p{L}\-]+[ \-](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm))"
    rf"[ ]\d{{1,4}}[ ]?[a-z]?(?![\w])(?:,?[ \n]+(?:D-|A-|CH-)?\d{{4,5}}[ ]{_TOWN})?"
)

# Spanish and Italian
_ES_TYPES = (
    r"Calle|C/|Avenida|Avda\.|Av\.|Plaza|Pza\.|Paseo|Pº|Camino|Carretera|Ctra\.|Ronda|"
    r"Travesía|Glorieta|Vía|Rambla|Carrer|Passeig"
)
_IT_TYPES = r"Via|Viale|V\.le|Piazza|P\.zza|Piazzale|Corso|C\.so|Largo|Vicolo|Strada|Contrada|Borgo"
_WORD_CAP = r"\p{Lu}[\p{L}'\u2019\-\.]*"
_ES_IT_LINK = r"(?:de|del|de la|de los|de las|dei|della|delle|degli|di|da|d'|d\u2019)"
_ES_IT_NAME = (
    rf"(?:{_ES_IT_LINK}[ ]?)?{_WORD_CAP}(?:[ ](?:(?:{_ES_IT_LINK}|y|e)[ ]?)?{_WORD_CAP}){{0,4}}"
)
_ES_IT = (
    rf"(?<![\w])(?i:{_ES_TYPES}|{_IT_TYPES})[ ]?{_ES_IT_NAME},?[ ]"
    r"(?:(?i:nº|n\.º|n\.|núm\.|no\.|no|n°)[ ]?)?\d{1,4}(?![\d])(?:/?[A-Za-z](?![\w]))?"
    rf"(?:,[ ]?\d{{1,2}}(?![\d])[º°ªoa]?(?:[ ]?[A-Za-z](?![\w]))?)?"
    rf"(?:,?[ ]\d{{5}}[ ]{_TOWN}(?:[ ]\([A-Z]{{2}}\))?)?"
)

# UK and US addresses whose street has no type word ("82 Kingsway", "10 Downing"), held
# together by the postcode or state and ZIP at the end.
_EN_POSTCODED = (
    rf"(?<![\w])(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)[ ]\w+,?[ ])?\d{{1,5}}[A-Za-z]?,?[ ]"
    rf"(?:\p{{Lu}}[\p{{L}}'\-\.]*[ ]?){{1,4}},[ ]{_TOWN},?[ ](?:{_UK_POSTCODE}|{_US_ZIP})(?![\w])"
)

_POSTCODE_TOWN = (
    r"(?<![\w])(?:\d{5}|\d{2}[ ]\d{3})[ ]\p{Lu}[\p{L}'\u2019\-]+(?:[ ](?i:cedex))?(?![\w])"
)


class AddressRecognizer(PatternRecognizer):
    """ADDRESS: a postal address in one of the supported countries' formats."""

    PATTERNS = (
        Pattern("address fr/be", _FR, 0.6),
        Pattern("address en", _EN, 0.6),
        Pattern("address en, postcode", _EN_POSTCODED, 0.85),
        Pattern("address de", _DE, 0.6),
        Pattern("address es/it", _ES_IT, 0.6),
        Pattern("postcode and town", _POSTCODE_TOWN, 0.3),
    )
    _TOWN_PART = re.compile(
        r"\d{4,5}[ ]\p{Lu}|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|[A-Z]{2} \d{5}|, \p{Lu}"
    )

    def __init__(self, language: str, context: Sequence[str]) -> None:
        super().__init__(
            supported_entity="ADDRESS",
            name="AddressRecognizer",
            patterns=list(self.PATTERNS),
            context=list(context),
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """A street with a postcode and town is near certain (0.85 via `analyze`)."""
        return None

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]
        """Presidio's pattern matching, then 0.85 for full addresses (street + town)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            value = text[result.start : result.end]
            if result.score >= 0.6 and self._TOWN_PART.search(value, 3):
                result.score = 0.85
        return results

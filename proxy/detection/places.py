"""Places with judgement: a place tied to a person is personal data, a place in business
prose is not.

"Elira Krasniqi, wohnhaft in Würzburg", "she's moving to Leeds", "card declined at a shop in
Porto", "né à Varsovie" say where a person lives, was born or was: masked. "Our Berlin office",
"exhibitors from Manchester", "Paris 2024", "en France" say nothing about anyone: masking
them only degrades the answer. So a place name (spaCy's LOCATION, or a capitalised name after
a cue in languages without a model) scores:
- `TIED_SCORE` (0.85) after one of `TIES` (its language's or English), written right before
  it (at most a few words between: "wohnhaft in der Stadt Würzburg" is not, "lives in
  central Leeds" is);
- `UNTIED_SCORE` (0.35) otherwise: under the default policy's threshold (0.5), so not masked;
  a policy that wants every place masked gives LOCATION `min_score: 0.3`.
Addresses are another matter (`addresses.py`): always masked.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.context import phrase_pattern

TIED_SCORE = 0.85
UNTIED_SCORE = 0.35

TIES: dict[str, tuple[str, ...]] = {
    "en": (
        "lives in", "living in", "lived in", "live in", "resides in", "residing in",
        "resident of", "resident in", "born in", "moved to", "moving to", "relocating to",
        "relocated to", "relocate to", "grew up in", "hometown", "home town", "is from",
        "comes from", "native of", "staying in", "stays in", "home to", "discharged home to",
        "back in", "issued in", "shop in", "store in", "atm in", "withdrawal in", "billing zip in",
        "city of residence", "place of birth", "town:", "city:", "based in", "i'm in", "im in",
        "currently in", "now in", "living at",
    ),
    "fr": (
        "habite à", "habite au", "habite en", "habitant à", "vit à", "vivant à", "demeurant à",
        "domicilié à", "domiciliée à", "domicilié au", "résidant à", "réside à", "résident à",
        "né à", "née à", "né(e) à", "originaire de", "installé à", "installée à",
        "déménagé à", "déménage à", "lieu de naissance", "ville de résidence", "domicile à",
        "retour à domicile à", "huissier de justice à", "distributeur de", "commerçant à",
        "je suis à", "suis à", "ville :",
    ),
    "de": (
        "wohnhaft in", "wohnt in", "lebt in", "wohne in", "lebe in", "geboren in", "wohnort",
        "geburtsort", "zugezogen nach", "umgezogen nach", "zieht nach", "ansässig in",
        "sitzt in", "nach hause in", "entlassung nach hause in", "automaten in", "geldautomaten in",
        "filiale in", "stammt aus", "kommt aus", "bin in", "bin gerade in", "wohnhaft:",
    ),
    "es": (
        "vive en", "reside en", "residente en", "nacido en", "nacida en", "natural de",
        "domiciliado en", "domiciliada en", "lugar de nacimiento", "se mudó a", "se muda a",
        "vecino de", "vecina de", "con sede en", "cajero de", "domicilio en", "alta a domicilio en",
        "estoy en", "vivo en",
    ),
    "it": (
        "vive a", "vive in", "abita a", "abita in", "residente a", "residente in", "nato a",
        "nata a", "domiciliato a", "domiciliata a", "luogo di nascita", "trasferito a",
        "trasferita a", "con sede a", "bancomat di", "domicilio a", "dimissione a domicilio a",
        "vivo a", "vivo in", "sono a",
    ),
}  # fmt: skip


def tie_pattern(language: str) -> re.Pattern[str]:
    """The tie phrases of `language` and English, ending where the place may start (a few
    lower-case words, an article, may stand between)."""
    phrases = TIES.get(language, ()) + TIES["en"]
    cue = phrase_pattern(phrases).pattern
    return re.compile(
        rf"{cue}[ \t]*(?:(?:the|la|le|les|l'|der|die|dem|el|los|las|il|lo|central|downtown|"
        rf"centre|center|north|south|east|west)[ \t]+)?$",
        re.IGNORECASE,
    )


def is_tied(pattern: re.Pattern[str], text: str, start: int) -> bool:
    """Whether a tie phrase ends right before `start`."""
    return pattern.search(text, max(0, start - 48), start) is not None


class PlaceCueRecognizer(EntityRecognizer):
    """LOCATION: a capitalised place name right after a tie phrase ("wohnhaft in Würzburg",
    "vive en Sevilla", "nato a Bari"), for texts whose language has no spaCy model."""

    _PLACE = re.compile(
        r"\p{Lu}[\p{L}'\u2019\-]+"
        r"(?:(?:[ \-](?:am|an|im|de|del|di|sur|en|la|le|sul)[ \-]|[ \-]|\.[ ])"
        r"\p{Lu}[\p{L}'\u2019\-]+){0,2}"
    )

    def __init__(self, language: str, ties: Sequence[str] | None = None) -> None:
        super().__init__(
            supported_entities=["LOCATION"], name="PlaceCueRecognizer", supported_language=language
        )
        phrases = tuple(ties) if ties is not None else TIES.get(language, ()) + TIES["en"]
        cue = phrase_pattern(phrases).pattern
        self._pattern = re.compile(rf"(?i:{cue})[ \t]+(?P<place>{self._PLACE.pattern})")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each capitalised name after a tie phrase, `TIED_SCORE`."""
        found = []
        for match in self._pattern.finditer(text, timeout=regex_limits.seconds()):
            start, end = match.span("place")
            if text[start].isupper():
                found.append(RecognizerResult("LOCATION", start, end, TIED_SCORE))
        return found

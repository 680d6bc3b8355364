"""Issue 9: first names that rules dropped for what stood next to them.

Three gaps, each passing a name in clear before this change:

- A sentence's first word is capitalised because it opens the sentence, not because it
  starts a name: "Ieri Walter gli ha spiegato…", "Ayer Jordi nos dejó…". The word before
  a lone first name was read as the start of a longer proper noun ("la Fiat Panda"), so the
  name was dropped. An everyday word that opens the sentence, with lower-case text after
  the name, no longer counts (place, saint and building words still do: "Santa Maria è
  chiusa").
- Two first names joined by "e"/"y"/"and": the second was taken as a person only when the
  first was found on strong evidence; a lone first name found inside a sentence (score
  0.55) now vouches for its partner too, so "Gemma" (a word in Italian) beside "Renato" and
  "Eduardo" beside "Pilar" are names.
- An Italian surname made of an elided preposition and a noun ("Dell'Acqua",
  "Dell'Aquila"): Italian word lists hold "dell'acqua" as a frequent token, so the name was
  refused as a common word even after a form's label.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Ieri Walter gli ha spiegato il turno di notte.", "Walter"),
        ("es", "Ayer Jordi nos dejó las llaves del local.", "Jordi"),
        ("de", "Gestern Lars hat die Schlüssel abgegeben.", "Lars"),  # German already did
        ("it", "Il gatto è scappato. Chiamate Arianna al 347 902 1184.", "Arianna"),
    ],
)
def test_a_first_name_after_the_word_that_opens_the_sentence_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Santa Maria è chiusa il lunedì."),
        ("it", "Porta Venezia è chiusa per lavori."),
        ("it", "Hotel Victoria ha tre stelle."),
        ("en", "Lake Louise is frozen until May."),
    ],
)
def test_a_place_or_building_word_before_a_first_name_still_makes_a_name(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("it", "Colloqui fissati per giovedì: Gemma e Renato.", ["Gemma", "Renato"]),
        ("es", "Entrevistas del lunes: Pilar y Eduardo, en la sala 2.", ["Eduardo", "Pilar"]),
    ],
)
def test_two_first_names_joined_by_and_are_both_masked(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, language, "PERSON") == names


@pytest.mark.parametrize(
    "text",
    [
        "Bonifico da verificare:\nOrdinante: Mario Dell'Aquila\nBeneficiario: Jean-Baptiste Koffi",
        "Apertura partita IVA\nTitolare: Francesca Dell'Acqua\nC.F.: DLLFNC95A70F205D",
    ],
)
def test_an_italian_surname_with_an_elided_preposition_is_masked(
    presidio: PresidioDetector, text: str
) -> None:
    surname = "Dell'Aquila" if "Aquila" in text else "Dell'Acqua"
    assert any(value.endswith(surname) for value in masked(presidio, text, "it", "PERSON"))

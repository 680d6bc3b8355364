"""Issue 9: the name before an e-mail address, a driver in an accident report, "M." in French.

- A mail header or an address book writes the owner's name before the address: "From:
  Tendai Moyo <t.moyo@example.org>". Only the part the address is made of ("Moyo") was
  masked; the whole display name is now, unless the address is a role's mailbox or the
  words are everyday ones ("Customer Support <help@…>").
- Accident reports name the drivers after "conducente", "guidatrice", "chauffeur": these are
  role words now, and after a role word a known first name then a capitalised word is a name
  even when that word is also an everyday Italian word ("Nadia Cristiani").
- French "M." is "Monsieur": "M. Aubusson", "M. Fidèle Mbarga" (a surname no list holds, a
  first name that is a French word) were taken for an initial and a word.

Each masked row passed in clear, or only in part, before this change. Values are fictitious
and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "From: Tendai Moyo <t.moyo@example.org>\nSubject: invoice 4471", "Tendai Moyo"),
        (
            "it",
            "Veicolo B: targa FD 603 XN, conducente Nadia Cristiani, nata il 17/04/1979",
            "Nadia Cristiani",
        ),
        ("fr", "La clé est chez le voisin référent, M. Aubusson (hameau des Prés).", "Aubusson"),
        ("fr", "Chambre 216 : M. Fidèle Mbarga, hospitalisé depuis le 3/03.", "Fidèle Mbarga"),
    ],
)
def test_the_whole_name_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "From: Customer Support <help@shop.example>\nSubject: your order"),
        ("de", "Von: Kundenservice Team <service@stadtwerke-beispiel.de>\nBetreff: Zählerstand"),
        ("en", "Software Engineer, Clarion Health (2021-present): Go, Postgres."),
    ],
)
def test_a_team_or_a_firm_is_not_masked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []

"""Issue 9, addresses with the floor, door or staircase between the street and the postcode
line ("22 rue Sainte, 2e étage gauche, 13001 Marseille", "Via Pasubio 18, scala A, piano 3°,
interno 11, 20154 Milano MI", "C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba") and Italian
streets with an elided article ("Via dell'Indipendenza 33"): one ADDRESS span, whole, as the
corpus writes it. A sentence after a street's full stop is not swallowed into it.
Fictitious addresses of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.eval import policy_filter
from proxy.detection.pool import PresidioDetector

_ACTS_ON = policy_filter()


def _addresses(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return [
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type == "ADDRESS" and _ACTS_ON(f.entity_type, f.score)
    ]


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("fr", "Dépôt de garantie : 22 rue Sainte, 2e étage gauche, 13001 Marseille",
         "22 rue Sainte, 2e étage gauche, 13001 Marseille"),
        ("fr", "l'adresse 58 boulevard de Belleville, esc. C, 4e gauche, 75020 Paris.",
         "58 boulevard de Belleville, esc. C, 4e gauche, 75020 Paris"),
        ("it", "sita in Via Pasubio 18, scala A, piano 3°, interno 11, 20154 Milano MI, composta",
         "Via Pasubio 18, scala A, piano 3°, interno 11, 20154 Milano MI"),
        ("it", "Residenza: Via dell'Indipendenza 33, 40121 Bologna",
         "Via dell'Indipendenza 33, 40121 Bologna"),
        ("es", "Dirección: C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba",
         "C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba"),
    ],
)  # fmt: skip
def test_an_address_with_its_floor_and_door_is_one_span(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert address in _addresses(presidio, text, language)


def test_a_sentence_after_a_street_is_not_part_of_it(presidio: PresidioDetector) -> None:
    text = "Treffpunkt Hauptstraße 5. Danach bitte, 10115 Berlin ist weit."
    assert all("Danach" not in address for address in _addresses(presidio, text, "de"))

"""Issue 9: things named after people that were masked as them: a school whose name is a
hyphenated person's ("lycée Victor-Hugo de Besançon"), a shop after its shop's word
("pasticceria Ottavio Brambilla"), a tea's blend and a potato's variety ("Earl Grey",
"Maris Piper").

The model read the end of a hyphenated name ("Hugo de Besançon") as a person, and the venue
rule looked only right before it; shops' words were not venue words; the blends are names
a model reads as people (the lycée's, the pasticceria's and the blends' rows were masked
before this change; the Jules-Verne row passed before and pins the hyphen's case). A person
after a shop with "di" ("la bottega di Marco" is Marco's) and a namesake in a record
("Customer: Earl Grey") stay masked (those rows passed before and still do).

Shop and person names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "La finale aura lieu au lycée Victor-Hugo de Besançon, puis à la mairie."),
        ("fr", "Sortie scolaire au centre Jules-Verne de Nantes pour les CM2 en mai."),
        ("it", "Rinfresco: dolci della pasticceria Ottavio Brambilla, 60 pezzi, 14 euro."),
        ("en", "Serve the scones with Earl Grey or Darjeeling, and the mash with Maris Piper."),
    ],
)
def test_a_thing_named_after_someone_is_not_masked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


def test_a_namesake_in_a_record_stays_masked(presidio: PresidioDetector) -> None:
    text = "Customer: Earl Grey\nPhone: 07700 900123\nOrder: 2 boxes"
    assert masked(presidio, text, "en", "PERSON") == ["Earl Grey"]


def test_the_owner_of_a_shop_stays_masked(presidio: PresidioDetector) -> None:
    text = "Sono passato dalla bottega di Marco a prendere il pane."
    assert "Marco" in masked(presidio, text, "it", "PERSON", "LOCATION")

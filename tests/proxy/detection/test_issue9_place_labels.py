"""Issue 9: a place under a generic place label in a person's record.

A workplace's label ("Standort:", "sede:", `"site":`) marked the town after it as a person's
when a person was near, but the generic labels did not: "Ort: Jena" under a customer's name
and `"ort": "Jena"` in a JSON record of a person passed unmasked (the corpus's writers mark
both as the person's place). German's "Ort" and a login log's "geo=" now count like a
workplace's label, under the same conditions: a listed town and a person near. A meeting's
"Ort: Berlin" with no one named stays unmasked. Each masked row below passed unmasked before
this change; the negative row passed before and must still pass.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("de", "Kunde: Herr Stöckl\nOrt: Jena", "Jena"),
        (
            "de",
            '{"name": "Annegret Ebersbach", "email": "a.ebersbach@t-online.de", "ort": "Jena"}',
            "Jena",
        ),
        (
            "it",
            "Log accessi (estratto)\n03/11 22:14:07 login OK utente=gbellandi ip=93.44.201.8 "
            "geo=Marsala",
            "Marsala",
        ),
    ],
)
def test_a_place_under_a_generic_label_near_a_person_is_masked(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in masked(presidio, text, language, "LOCATION")


def test_a_meetings_place_with_no_one_named_stays_unmasked(presidio: PresidioDetector) -> None:
    text = "Quartalsplanung Vertrieb\nOrt: Jena\nBeginn: 10 Uhr"
    assert masked(presidio, text, "de", "LOCATION") == []

"""Issue 9: the towns of a person's trip, or of their payment's purpose, in a record.

"Reisende: Friederike Hahn⏎Reise: von Kiel nach Lyon" says where a named person travels,
and a travel request is among what staff paste most. The towns passed in clear: "nach" is
no tie of a person to a place, and no tie phrase stands before "Lyon". Now every town the
gazetteer lists on a line labelled as a trip ("Trip:", "Reise:", "Ruta:", "Trasferta:",
"Trajet :", "Destination:") is tied, when a person is near. A goods route with no one named
stays unmasked. The same holds for a payment's purpose and the source of a client's funds,
which name a holiday home or a property sold ("Causale: quota affitto casa a Rimini",
"Herkunft der Mittel: Verkauf einer Familienimmobilie in Antalya"); a bare "Motivo:" (a
consultation's reason too) is not such a label. Each masked row below passed unmasked
before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            "Reisende: Friederike Hahn\nReise: von Kiel nach Lyon, 12.-14.06., Kundenworkshop",
            ["Kiel", "Lyon"],
        ),
        (
            "en",
            "Claimant: Tomasz Nowak-Ellis\nTrip: supplier audit, 3 nights in Antwerp\n"
            "Hotel: €612.00",
            ["Antwerp"],
        ),
        (
            "es",
            "Viajero: Rubén Santamaría\nViaje: de Murcia a Milán, 12-14/06, taller",
            ["Milán", "Murcia"],
        ),
        (
            "it",
            "Dipendente: Nicoletta Barbieri\nTrasferta: da Ancona a Lubiana, 12-14/06",
            ["Ancona", "Lubiana"],
        ),
        (
            "it",
            "Ordinante: Giorgio Sanna\nCausale: quota affitto casa a Rimini\nImporto: 510,00",
            ["Rimini"],
        ),
        (
            "de",
            "Kunde: Emre Yilmaz\nHerkunft der Mittel: Verkauf einer Familienimmobilie in Antalya.",
            ["Antalya"],
        ),
    ],
)
def test_the_towns_of_a_persons_trip_are_masked(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION") == places


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Product: pallets of tiles\nRoute: Rotterdam → Hamburg, weekly, 40 t per load"),
        ("es", "Paciente: Lucía Ferrer\nMotivo: revisión en Valencia del tratamiento"),
    ],
)
def test_a_goods_route_or_another_label_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "LOCATION") == []

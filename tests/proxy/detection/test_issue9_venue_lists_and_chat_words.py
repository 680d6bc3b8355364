"""Issue 9, benign text that named no one but was masked: rooms and schools named after people
in a list or after a venue word ("Rooms Ada and Lovelace", "las salas Clara Campoamor y
Victoria Kent", "il liceo Giosuè Carducci", "Universitätsklinikum Carl Gustav Carus"), and a
lower-case word after a preposition that only the surname lists know ("con niebla", "da
muratore"), a language ("Translate into French"), a formula or a law named after someone
("Euler's formula", "Kirchhoff's current law", "la formule d'Euler"), a file format ("JSON del
CRM"), dishes, stops, submarines and squares named after people ("Birne Helene", "l'arrêt
Jean-Macé", "piazza della Vittoria"). A person after the same words is still found.
Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _people(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Facilities:\n- Rooms Ada and Lovelace to be merged into one training room"),
        ("es", "- Se fusionan las salas Clara Campoamor y Victoria Kent en una sola sala."),
        ("it", "Riscrivi: «Il liceo Giosuè Carducci di Bologna ospiterà la finale»"),
        ("de", "- Parkausweise am Universitätsklinikum Carl Gustav Carus verlängern"),
        ("es", "Escribe un haiku sobre el puente viejo con niebla."),
        ("it", "Spiega il teorema di Pitagora con un esempio da muratore."),
        ("en", "Translate into French for the Lyon office:\nThe store reopens on Monday."),
        ("en", "Explain Kirchhoff's current law and Euler's formula in one line each."),
        ("es", "Este JSON del CRM no valida, ¿ves por qué?"),
        ("de", "Am Wochenende mache ich Birne Helene als Dessert."),
        ("it", "Poi fettuccine Alfredo e, per dolce, pesche Melba."),
        ("fr", "Prenez la ligne T1 jusqu'à l'arrêt Jean-Macé, puis tournez à droite."),
        ("it", "Visita al sottomarino Nazario Sauro, poi pranzo in piazza della Vittoria."),
        ("en", "The tour passes Checkpoint Charlie and the Brandenburg Gate."),
        ("fr", "Au programme : les séries de Fourier et la formule d'Euler."),
        ("it", "Tabellone: Milan-Genoa allo stadio Luigi Ferraris, domenica alle 15."),
        ("fr", "La plénière a lieu au centre de conférences Simone Veil, salle 2."),
        ("fr", "Vins : Château Lascombes 2015, 210 €; Chablis Premier Cru 2021; Domaine Rostaing."),
        ("it", "Carta dei vini: Barolo Giuseppe Rinaldi 2017, 160 €; Brunello Biondi Santi."),
    ],
)
def test_rooms_schools_and_words_after_a_preposition_are_no_one(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("es", "mañana como con jimena y luego te llamo", "jimena"),
        ("en", "Invite Clara Campoamor and Victoria Kent to the training.", "Victoria Kent"),
        ("de", "Termin mit Carl Gustav Carus am Montag.", "Carl Gustav Carus"),
        ("en", "Please forward it to Dawn French before Friday.", "Dawn French"),
        ("fr", "Le domaine appartient à Margaux Rostaing depuis 2019.", "Margaux Rostaing"),
    ],
)
def test_people_after_the_same_words_are_still_found(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _people(presidio, text, language)

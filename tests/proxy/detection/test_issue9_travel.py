"""Issue 9, sixth part: a place a person travels to, leaves or comes back from is where that
person is or was ("Er zieht gerade von Tuzla nach Heilbronn", "viajó a Tánger", "pour se
rendre en Roumanie", "è rientrata in Albania"); the same verbs about trains, goods or a
product ("Reisende nach Nürnberg", "vuelve a estar disponible en Barcelona", "llegada a
Santos" of a ship) tie nothing. Each row is a sentence of our own with fictitious values;
the recognizer is called as Presidio calls it.
"""

from __future__ import annotations

import pytest

from proxy.detection.places import PlaceCueRecognizer


def _places(language: str, text: str) -> list[str]:
    results = PlaceCueRecognizer(language).analyze(text, ["LOCATION"])
    return sorted(text[r.start : r.end] for r in results if r.score >= 0.5)


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("de", "Er fängt am 1.4. an. Er zieht gerade von Sarajevo nach Heilbronn.", "Sarajevo"),
        ("de", "Kopfschmerzen seit ihrer Rückkehr aus Belgrad im Januar.", "Belgrad"),
        ("es", "Su hermano está desaparecido desde que viajó a Tánger en marzo.", "Tánger"),
        ("fr", "Elle demande un congé pour se rendre en Roumanie auprès de sa mère.", "Roumanie"),
        ("fr", "Perte constatée lors de son déplacement à Naples le 18/07.", "Naples"),
        ("it", "Mia madre è rientrata in Albania per qualche mese.", "Albania"),
        ("en", "Tia and Marcus are driving up from Cardiff on Friday.", "Cardiff"),
        # working, holidays, remote work, a death, coming from, being somewhere
        ("es", "Pide jornada reducida porque su marido trabaja en Huesca.", "Huesca"),
        ("it", "Il collega si trovava in ferie a Lipari quel giorno.", "Lipari"),
        ("fr", "Mon collègue est en télétravail depuis Dakar ce mois-ci.", "Dakar"),
        ("es", "Mi abuela falleció en marzo en Zamora, soy su nieta.", "Zamora"),
        ("fr", "Son fils vient de Nantes demain matin.", "Nantes"),
        ("fr", "Ce soir-là, j'étais à Toulon avec mon frère.", "Toulon"),
        ("en", "I'll be in Kyoto from the 3rd, so please ship before then.", "Kyoto"),
        ("es", "Lola: ¿sigue en Tijuana?", "Tijuana"),
        ("it", "Dice che è a casa dei suoi a Enna fino a lunedì.", "Enna"),
    ],
)  # fmt: skip
def test_a_place_a_person_travels_to_or_from_is_tied(language: str, text: str, place: str) -> None:
    assert place in _places(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der ICE fällt heute aus. Reisende nach Nürnberg nutzen bitte Gleis 4."),
        ("es", "El sillón vuelve a estar disponible en Barcelona por 1.200 EUR."),
        ("es", "Día 1: llegada a Sevilla, hotel junto a la calle Sierpes."),
        ("en", "The lorry is driving to Rotterdam with 40 pallets."),
        # one works at a firm; a place far along the clause is not the tie's
        ("en", "I have known her since 2016, when we both worked at Harlow Fabrication."),
        ("it", "Ha lavorato con Fabiola in Ecomind per tre anni."),
        ("fr", "Le forfait compte 218 jours travaillés et 10 jours de RTT."),
        ("es", "Se ha ido a vivir fuera pero sigue llevando la delegación de Pamplona."),
    ],
)  # fmt: skip
def test_goods_trains_and_itineraries_tie_nothing(language: str, text: str) -> None:
    assert _places(language, text) == []

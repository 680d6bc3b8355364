"""Issue 9, false alarms on business prose written elsewhere: names that their surroundings
make a street's, a room's, a building's, a district's, a saint's or a product's ("Grafton
St", "salle Montesquieu", "barrio de Triana", "St David's", "Amélie 3.1", « Poulet Marengo
»), compass points heading a table, a short acronym after a label, a letter and a full stop
read as the title "D.", and the trade term "franco de port". People next to the same words
stay people. Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.people import business_name
from proxy.detection.pool import PresidioDetector


def _persons(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return sorted(
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type == "PERSON" and f.score >= 0.5
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dublin (Grafton St): Dec 20", "Grafton St"),
        ("| North | Newcastle Eldon Sq | £388k |", "Eldon Sq"),
        ("Prochain comité : 16 octobre, salle Montesquieu.", "Montesquieu"),
        ("Jeu. : audit ISO 9001, bâtiment Jules Verne", "Jules Verne"),
        ("Visita a la Plaza de España y al barrio de Triana.", "Triana"),
        ("Menù del giorno - Trattoria da Gino", "Gino"),
        ("| West | Cardiff St David's | £301k |", "David"),
        ("Départ de Blois. Direction Chambord par la D33.", "Direction Chambord"),
        ("a short walk to the shops and near Victoria Park.", "Victoria Park"),
        ("La version 3.1 du logiciel Amélie 3.1 corrige l'export.", "Amélie"),
        ("Model: Kestrel KX-450 Pro", "Kestrel KX"),
        ("« Gloire de Dijon » : grimpant, jaune abricot, 4 m", "Gloire de Dijon"),
        ("Kaffeevollautomat „Bella Crema“, Leistung 1.450 W", "Bella Crema"),
        ("| North West | Q1 | 2315 |", "North West"),
        ("AI-1 saturation alert (owner: SRE), AI-2 load test", "SRE"),
        ("Franco de port au-delà de 150 € HT.", "Franco"),
        ("Delivery at Gate B, Hillington Park. Please confirm.", "Hillington Park"),
        ("Viewings through the Clifton branch, ref CLF-2291.", "Clifton"),
        ("Postres: flan casero, tarta de Santiago, fruta", "Santiago"),
        ("Devaux présentera le Onyx gaming keyboard au salon.", "Onyx"),
        # streets, museums, theatres, ships, storms and dishes named after someone
        ("Le dépôt de la rue Émile Zola ferme à 18 h.", "Émile Zola"),
        ("Navetta da piazza Mazzini ogni 20 minuti.", "Mazzini"),
        ("Concierto en el Teatro Pérez Galdós a las 20:00.", "Pérez Galdós"),
        ("Visite guidée du musée Toulouse-Lautrec à 10 h.", "Toulouse-Lautrec"),
        ("Aviso: la borrasca Hortensia traerá lluvias.", "Hortensia"),
        ("Dessert : poire Belle-Hélène ou crêpes Suzette.", "Suzette"),
        ("Dinner at Restaurant Kong Hans Kælder, 19:30.", "Hans Kælder"),
        # a dish's first word, a product's maker, a ship after "the"/"le" or a quoted name
        ("Mains: Beef Wellington for two, then Peach Melba.", "Beef Wellington"),
        ("Livraison : savon Marius Fabre et confiture Bonne Maman.", "Marius Fabre"),
        ("48 palettes Lacoste, lot 740171. Poids brut : 16 t.", "Lacoste"),
        ("The Queen Mary and the Pont-Aven remain in port.", "Queen Mary"),
        ("Le Jacques Cartier reste à quai à Roscoff.", "Jacques Cartier"),
        ('Vessel: sister ship "Ever Grace", ETA 14:00.', "Ever Grace"),
        # furniture and gear, a quoted product name, a colour after its label
        ("Fauteuil Voltaire velours;FV-2210;349,00", "Voltaire"),
        ('Product listing: "Darwin" hiking boot, waterproof', "Darwin"),
        ("sizes UK 6-12, colour Moss. SKU DRW-0412-MS.", "Moss"),
    ],
)
def test_a_name_its_surroundings_make_a_thing(text: str, name: str) -> None:
    start = text.index(name)
    assert business_name(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Please call Hannah Park about the invoice.", "Hannah Park"),
        ("Ji-hoon Park joins the Seoul team in May.", "Ji-hoon Park"),
        ("Glenn Close and Lois Lane were both invited.", "Glenn Close"),
        ("Glenn Close and Lois Lane were both invited.", "Lois Lane"),
        ("Merci à Margot Lefèvre pour le compte rendu.", "Margot Lefèvre"),
        ("Santo Versace signed the lease.", "Santo Versace"),
        ('She said "Darwin" and left the room.', "Darwin"),
        ("Contact: ANNA SVENSSON, 3rd floor", "ANNA SVENSSON"),
        # a nickname in quotes after a verb of calling
        ("Témoin : On l'appelle « Tonio » au quartier.", "Tonio"),
        ("Nuit agitée, a appelé « Bernard » à plusieurs reprises.", "Bernard"),
        # a home is no venue, nor a role after a venue word
        ("Stasera siamo a casa di Marco, porta il vino.", "Marco"),
        ("On dîne chez Mehdi samedi.", "Mehdi"),
        ("Ask the Station Manager Rita Lopes for the keys.", "Rita Lopes"),
        # "la" and "el" before a name are how Italian and Spanish speak of people
        ("Ieri la Giulia Bianchi ha chiamato.", "Giulia Bianchi"),
    ],
)
def test_people_next_to_the_same_words_stay_people(text: str, name: str) -> None:
    start = text.index(name)
    assert not business_name(text, start, start + len(name))


@pytest.mark.parametrize(
    ("language", "text", "persons"),
    [
        # a letter and a full stop is no title before a word in no list of names
        ("es", "Certificado energético D. Comunidad 120 €/mes. Precio: 540.000 €.", []),
        ("it", "Classe energetica D. Spese condominiali 150 €/mese.", []),
        # "D." before a listed name is the Spanish title
        ("es", "Atiende D. Anselmo Ferrer en la ventanilla 3.", ["Anselmo Ferrer"]),
    ],
)
def test_one_letter_titles_need_a_listed_name(
    presidio: PresidioDetector, language: str, text: str, persons: list[str]
) -> None:
    assert _persons(presidio, text, language) == persons


@pytest.mark.parametrize(
    ("language", "text", "persons"),
    [
        # a short quoted title: an exhibition, a musical, a product line
        ("de", "Die Ausstellung \u201eDas Gold der Helga\u201c \u00f6ffnet am 3. M\u00e4rz.", []),
        ("es", 'El Teatro Real estrena "La Reina Isabel" en febrero.', []),
        ("fr", "| Bougie \u00ab Jasmin des \u00eeles \u00bb | 12 | 18,00 \u20ac |", []),
        # quoted speech, or a nickname alone in quotes, still names someone
        ("fr", "Message de Pauline pour toi : \u00ab Karim arrive demain \u00bb", ["Karim"]),
        ("de", "Er sagte: \u201eRuf doch Maria an, bitte.\u201c", ["Maria"]),
    ],
)
def test_a_name_inside_a_quoted_title_is_the_title(
    presidio: PresidioDetector, language: str, text: str, persons: list[str]
) -> None:
    found = _persons(presidio, text, language)
    assert [name for name in found if name != "Pauline"] == persons


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        # a markdown header row names columns, whatever they are called
        (
            "| Ref | Item | Finish | Price |\n|---|:---:|---|---|\n| A-12 | Lamp | Brass | 89 |",
            [],
        ),
        # the rows under it still hold people
        ("| Name | Role |\n|---|---|\n| Jordan Price | Analyst |", ["Jordan Price"]),
    ],
)
def test_a_table_header_names_columns(
    presidio: PresidioDetector, text: str, persons: list[str]
) -> None:
    assert _persons(presidio, text, "en") == persons


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I'm implementing an extended Kalman filter for a small drone.", "en"),
        ("Tengo que explicar el filtro de Kalman en una presentación.", "es"),
        ("Tension = 6 V (loi d'Ohm) ? Et avec le principe d'Archimède ?", "fr"),
        ("Sie erhält den Gottfried Wilhelm Leibniz-Preis der DFG.", "de"),
        ("Using Snell's law, light goes from air into glass.", "en"),
        ("Why does the Doppler shift of a galaxy's light tell us it is moving away?", "en"),
    ],
)
def test_filters_laws_shifts_and_prizes_named_after_someone_name_no_one(
    presidio: PresidioDetector, text: str, language: str
) -> None:
    assert _persons(presidio, text, language) == []


def test_a_possessive_before_a_test_or_a_shift_keeps_the_person(
    presidio: PresidioDetector,
) -> None:
    text = "Katrín Hallkellsdóttir's test results are ready; Marek Nowak's shift starts at 9."
    persons = " | ".join(_persons(presidio, text, "en"))
    assert "Katrín Hallkellsdóttir" in persons
    assert "Marek Nowak" in persons

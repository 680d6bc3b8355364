"""Issue 9, second part: street addresses in any country's format (one span per address),
dates of birth wherever the birth cue is, licence plates under their label, Spanish DNI
with dots, and the business prose that must pass untouched (companies, counterparties,
products, article numbers, project pages). Tables of our own fictitious sentences; the
recognizers are called as Presidio calls them, the full detector only where the context
scoring of the analyzer matters (plates).
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.addresses import AddressRecognizer
from proxy.detection.context_words import BIRTH_PHRASES
from proxy.detection.identifiers import CardNumberRecognizer, after_product_code
from proxy.detection.normalise import normalise
from proxy.detection.people import BirthDateRecognizer, business_name
from proxy.detection.phones import PhoneNumberRecognizer
from proxy.detection.pool import PresidioDetector
from proxy.detection.profiles import ProfileUrlRecognizer

BIRTH = ["date of birth", "dob", "born", "date de naissance", "geburtsdatum", "nacido el",
         "nacida el", "fecha de nacimiento", "data di nascita", "nata il"]  # fmt: skip


# The phrases of every language, as `recognizers_for` gives the recognizer.
ALL_BIRTH = [phrase for phrases in BIRTH_PHRASES.values() for phrase in phrases]


def _found(recognizer: object, text: str, min_score: float = 0.5) -> list[str]:
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return sorted(text[r.start : r.end] for r in results if r.score >= min_score)


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Ship to 512 Larkspur Avenue\nSuite 40\nDenver, CO 80203 by Friday.",
         "512 Larkspur Avenue\nSuite 40\nDenver, CO 80203"),
        ("Mail: PO Box 4410, Tucson, AZ 85701.", "PO Box 4410, Tucson, AZ 85701"),
        ("She lives at Flat 7\n19 Thornbury Close\nBristol BS6 5QX now.",
         "Flat 7\n19 Thornbury Close\nBristol BS6 5QX"),
        ("Office: 88 Harbour Road, Galway H91 X2P4", "88 Harbour Road, Galway H91 X2P4"),
        ("Post: 1/45 Banksia Street, Perth WA 6000", "1/45 Banksia Street, Perth WA 6000"),
        ("Write to 77 Maple Crescent, Unit 3, Winnipeg, MB R3C 4T2.",
         "77 Maple Crescent, Unit 3, Winnipeg, MB R3C 4T2"),
        ("Adresse : Appt 12, 8 bis rue des Tanneurs, 44000 Nantes",
         "Appt 12, 8 bis rue des Tanneurs, 44000 Nantes"),
        ("Envoyer à BP 312\n69003 LYON CEDEX", "BP 312\n69003 LYON CEDEX"),
        ("Domicile : Avenue des Érables 14, 1180 Uccle", "Avenue des Érables 14, 1180 Uccle"),
        ("Anschrift: Lindenweg 4b, 3. OG rechts, 80331 München",
         "Lindenweg 4b, 3. OG rechts, 80331 München"),
        ("Bitte an Postfach 12 34 56\n50667 Köln senden.", "Postfach 12 34 56\n50667 Köln"),
        ("Wien: Gartengasse 7/2/14\n1050 Wien", "Gartengasse 7/2/14\n1050 Wien"),
        ("Dirección: Calle del Olmo, 21, 4º izq., 28012 Madrid",
         "Calle del Olmo, 21, 4º izq., 28012 Madrid"),
        ("Enviar al Apartado de Correos 55, 46080 Valencia.",
         "Apartado de Correos 55, 46080 Valencia"),
        ("Indirizzo: Via dei Mille 9, int. 5 - 20121 Milano (MI)",
         "Via dei Mille 9, int. 5 - 20121 Milano (MI)"),
        ("Scrivere a Casella Postale 88, 50100 Firenze", "Casella Postale 88, 50100 Firenze"),
    ],
)  # fmt: skip
def test_a_postal_address_is_one_span(text: str, address: str) -> None:
    normal = normalise(text)
    results = AddressRecognizer("en", []).analyze(normal.text, [])  # type: ignore[no-untyped-call]
    spans = [normal.span(r.start, r.end) for r in results if r.score >= 0.5]
    assert [text[start:end] for start, end in spans] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Revenue grew 12% in 2024; 30000 units shipped to Lyon and Berlin.",
        "Suite 12 of the benchmark ran in 300 ms.",
        "Order 4411, 75008 Paris warehouse, dispatched.",  # a postcode and town alone: low
    ],
)
def test_no_address_without_a_street_or_box(text: str) -> None:
    assert _found(AddressRecognizer("en", []), text) == []


# --- dates of birth -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("DOB: 04/11/1988", ["04/11/1988"]),
        ("Date de naissance (JJ/MM/AAAA) : 09/02/1975", ["09/02/1975"]),
        ("Geburtsdatum: 30.06.1961", ["30.06.1961"]),
        ("Agent: Can you confirm your date of birth?\nCaller: 21/08/1979", ["21/08/1979"]),
        ("Conseillère : Quelle est votre date de naissance ?\nCliente : 03/05/1990",
         ["03/05/1990"]),
        ("Operatore: Mi dà la sua data di nascita?\n14.02.1966", ["14.02.1966"]),
        ("Patient born in Oslo; date of birth on file is 17/09/1954.", ["17/09/1954"]),
        ("La Sra. Ruiz, nacida el 02/12/1980, estará de baja hasta el 15/03/2025.",
         ["02/12/1980"]),  # the second date of the sentence is not hers
        ("Agent: Your date of birth?\nCustomer: 11/11/1971\nAgent: Delivery on 12/05/2025?",
         ["11/11/1971"]),
        ("Invoice dated 12/03/2024, due 12/04/2024.", []),
    ],
)  # fmt: skip
def test_dates_of_birth(text: str, found: list[str]) -> None:
    assert _found(BirthDateRecognizer("en", BIRTH), text) == sorted(found)


# --- plates and Spanish DNI (the analyzer's context scoring: the full detector) -------------


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("Kennzeichen: M-AB 1234", "LICENSE_PLATE", "M-AB 1234"),
        ("Amtliches Kennzeichen: B-XY 123E", "LICENSE_PLATE", "B-XY 123E"),
        ("Matrícula del vehículo: 4821 KLM", "LICENSE_PLATE", "4821 KLM"),
        ("Targa: FG 482 KT", "LICENSE_PLATE", "FG 482 KT"),
        ("Véhicule immatriculé 482-KLM-69, sinistre déclaré.", "LICENSE_PLATE", "482-KLM-69"),
        ("Plaque : FG-482-KT", "LICENSE_PLATE", "FG-482-KT"),
        ("DNI: 12.345.678-Z", "ES_NIF", "12.345.678-Z"),
    ],
)
def test_plates_and_dotted_dni(
    presidio: PresidioDetector, text: str, entity: str, value: str
) -> None:
    [analysis] = asyncio.run(presidio.analyze([text], ["en", "fr", "de", "es", "it"]))
    assert any(
        f.entity_type == entity and text[f.start : f.end] == value and f.score >= 0.5
        for f in analysis.findings
    )


# --- business prose -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Renewal of the contract 4471-B with Hartley: 40 seats.", "Hartley"),
        ("Vertrag 88123 mit Brunner Vogt AG verlängert.", "Vogt"),
        ("the supplier Keane, Doyle and Byrne quoted €90", "Doyle"),
        ("Contrato con Ibarra S.L. firmado.", "Ibarra"),
        ("The new Orion camping lamp ships in May.", "Orion"),
        ("Las ventas de la Paloma cafetera crecieron.", "Paloma"),
        ("Prix : 1 200 EUR HT", "EUR HT"),
    ],
)
def test_business_names_are_not_people(text: str, name: str) -> None:
    start = text.index(name)
    assert business_name(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our client Ms Hartley called about her contract.", "Hartley"),
        ("Please call Paloma Ruiz tomorrow.", "Paloma Ruiz"),
        ("Vertrag unterschrieben von Anna Vogt am Montag.", "Anna Vogt"),
    ],
)
def test_people_stay_people(text: str, name: str) -> None:
    start = text.index(name)
    assert not business_name(text, start, start + len(name))


@pytest.mark.parametrize(
    "text",
    [
        "Item back in stock (EAN 4006381333931).",
        "GTIN: 5901234123457, SKU 77812.",
        "Código de barras 8412345678905 en la caja.",
    ],
)
def test_article_numbers_are_neither_cards_nor_phones(text: str) -> None:
    assert _found(CardNumberRecognizer("en", ["card"]), text, 0.0) == []
    phones = PhoneNumberRecognizer("en", ["US", "GB", "FR", "DE", "ES", "IT"], ["tel"], ["tel"])
    assert _found(phones, text, 0.0) == []
    number = next(word for word in text.split() if word.strip("().,").isdigit())
    assert after_product_code(text, text.index(number.strip("(")))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("See https://github.com/acme/widgets/issues for the backlog.", []),
        ("Fixed in https://gitlab.com/acme/tools/-/merge_requests/12", []),
        ("My work: https://github.com/jdoe-dev", ["https://github.com/jdoe-dev"]),
    ],
)
def test_project_pages_are_not_profiles(text: str, found: list[str]) -> None:
    assert _found(ProfileUrlRecognizer("en"), text) == found


@pytest.mark.parametrize(
    "text",
    [
        # a full stop after a long word ends the sentence, and the street's name with it
        "Junto a la glorieta de Quevedo y la calle Fuencarral. 85 m², 3 dormitorios.",
        "Wimbledon 2025 ran from 30 June to 13 July. Centre Court's roof was closed twice.",
        # a seat in a train is no square
        "Départ 07:37, arrivée 10:51, voiture 14, place 62 (fenêtre).",
    ],
)
def test_a_sentence_or_a_seat_is_no_street(text: str) -> None:
    assert _found(AddressRecognizer("en", []), text, min_score=0.0) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Envoyez à 3 av. J. Jaurès, 69007 Lyon demain.", "3 av. J. Jaurès, 69007 Lyon"),
        ("Post it to 22 St. John Street, London", "22 St. John Street, London"),
        ("Adresse : 12 rue du 8 Mai 1945, 75010 Paris", "12 rue du 8 Mai 1945, 75010 Paris"),
    ],
)
def test_abbreviations_stay_in_the_street(text: str, address: str) -> None:
    assert address in _found(AddressRecognizer("en", []), text, min_score=0.0)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # travel documents' dates
        ("Passenger 1: MR HASSAN/KARIM  DOB 11MAR1981", ["11MAR1981"]),
        ("Pasajero 1: SR GARCIA/DIEGO  F. NAC. 15ABR1978", ["15ABR1978"]),
        # a year alone after a birth phrase, or before "geboren"
        ("Die Geschädigte Sophie Lange (geb. 1986) gibt an", ["1986"]),
        ("Born: 1958 (age 66)", ["1958"]),
        ("Mme Odette Marchal, 87 ans, née en 1937. Nuit agitée.", ["1937"]),
        ("Kerem: 30, bin 95 geboren digga", ["95"]),
        # marked in parentheses or after a comma
        ("la paziente Anna Cattaneo (n. 07/03/1958), residente a Lecco", ["07/03/1958"]),
        ("Patientin: Zeynep Aydin, * 21.12.1974", ["21.12.1974"]),
        # a phrase of another language than the text's
        ("Referral for Mr Schäfer, geb. am 14.02.1951, from Munich.", ["14.02.1951"]),
        # the answer to a question or request on the line before
        (
            "Gestor: ¿Me confirma su fecha de nacimiento?\nClienta: El 25 de julio de 1981.",
            ["25 de julio de 1981"],
        ),
        ("bot: Please confirm your date of birth.\nuser: 12.11.1954", ["12.11.1954"]),
        ("Zara: when's Hamid's birthday?\nOmar: 19th of may. he'll be 30", ["19th of may"]),
        ("Lucie : c'est quand l'anniv de Noé ?\nHamza : le 9 avril", ["9 avril"]),
    ],
)
def test_birth_dates_as_others_write_them(text: str, dates: list[str]) -> None:
    assert _found(BirthDateRecognizer("en", ALL_BIRTH), text) == dates


@pytest.mark.parametrize(
    "text",
    [
        "Fattura n. 123 del 12/03/2024, scadenza 30 giorni.",
        "Rechnung Nr. 2019 vom 3. Mai 2024",
        "* 21.12.2024: Kick-off mit dem Kunden",
        "Lucie : on se voit quand ?\nHamza : le 9 avril",
    ],
)
def test_other_dates_pass(text: str) -> None:
    assert _found(BirthDateRecognizer("en", ALL_BIRTH), text) == []


def test_a_line_with_its_own_date_asks_nothing() -> None:
    text = "DOB: 01.02.1980\nuser: 12.11.2024"
    assert _found(BirthDateRecognizer("en", ALL_BIRTH), text) == ["01.02.1980"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # the province, town or country after an address, and a postcode on its own
        ("Dirección: C/ Real 15, 11100 San Fernando, Cádiz\nTeléfono: 956",
         "C/ Real 15, 11100 San Fernando, Cádiz"),
        ("Yolanda\nC/ Real 12, 1º\n11100 San Fernando (Cádiz)\n\nAl Ayuntamiento",
         "C/ Real 12, 1º\n11100 San Fernando (Cádiz)"),
        ("en Calle del Carmen 14, 3º izquierda, Valladolid. Llama",
         "Calle del Carmen 14, 3º izquierda, Valladolid"),
        ("Caller: 7 Rathgar Avenue, Dublin 6, D06 F6K3.\nAgent: ok",
         "7 Rathgar Avenue, Dublin 6, D06 F6K3"),
        ("Address:\n14 Lansdowne Crescent\nGlasgow\nG20 6NQ\nIBAN: GB66",
         "14 Lansdowne Crescent\nGlasgow\nG20 6NQ"),
        ("c'est au 8 rue Oberkampf, 75011", "8 rue Oberkampf, 75011"),
        # a door or a ground floor between street and town
        ("Cliente: C/ Cirilo Amorós 45, pta. 8, 46004 Valencia.",
         "C/ Cirilo Amorós 45, pta. 8, 46004 Valencia"),
        ("Domicilio: Camino de Ronda 141, bajo B, 18003 Granada\nTel",
         "Camino de Ronda 141, bajo B, 18003 Granada"),
        # a floor and a door written with their full stop ("3.º 2.ª", "4.º izq.")
        ("Domicilio: C/ de Blai 12, 3.º 2.ª, 08004 Barcelona\nNIE",
         "C/ de Blai 12, 3.º 2.ª, 08004 Barcelona"),
        ("a Calle de Segovia 9, 4.º izq., 28005 Madrid. El abono",
         "Calle de Segovia 9, 4.º izq., 28005 Madrid"),
    ],
)  # fmt: skip
def test_what_follows_an_address_belongs_to_it(text: str, address: str) -> None:
    assert address in _found(AddressRecognizer("es", []), text)


def test_a_word_on_the_next_line_is_no_town() -> None:
    assert _found(AddressRecognizer("en", []), "Ship to 10 Main Street\nThanks, Anna") == [
        "10 Main Street"
    ]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # dictation writes the date out in words, German and Italian glue the numbers
        ("patient Lea Roth date of birth third of may nineteen eighty two referred by",
         "third of may nineteen eighty two"),
        ("befund patient geboren am zweiten mai neunzehnhundertachtzig überwiesen",
         "zweiten mai neunzehnhundertachtzig"),
        ("paziente nata il dodici aprile millenovecentosettantuno inviata dal",
         "dodici aprile millenovecentosettantuno"),
        ("patiente née le trois juin mille neuf cent quatre vingt adressée par",
         "trois juin mille neuf cent quatre vingt"),
        ("paciente fecha de nacimiento dos de mayo de mil novecientos noventa remitido",
         "dos de mayo de mil novecientos noventa"),
        # the answer to the question on the line before
        ("Agent: And your date of birth, please?\nCaller: Third of May, nineteen eighty-two.",
         "Third of May, nineteen eighty-two"),
    ],
)  # fmt: skip
def test_a_birth_date_written_out_in_words(text: str, date: str) -> None:
    assert date in _found(BirthDateRecognizer("en", ALL_BIRTH), text)


def test_a_month_alone_after_a_birth_phrase_is_no_date() -> None:
    assert _found(BirthDateRecognizer("en", ALL_BIRTH), "She was born in June and moved.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Pedido n.º 5649013205, importe 1,92 M€.",  # NFKC reads "n.º" as "n.o"
        "40 palés de azulejos, lote 914411158. Peso bruto 21.300 kg.",
    ],
)
def test_a_reference_number_is_no_phone(text: str) -> None:
    phones = PhoneNumberRecognizer("es", ["ES", "FR", "GB"], [], ["llamar", "tel"])
    assert _found(phones, normalise(text).text) == []

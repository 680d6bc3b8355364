"""Issue 9, third part: cues that hold on wording nobody listed. The first cues were phrase
lists ("wohnhaft in", "né à"); text written elsewhere says the same thing in other words
("born on 16 Jan 2004 in Bunbury", "nacida el 8 de mayo de 1958 en Tarragona"), labels
fields we never saw ("Next of kin:", "Grenzgänger:"), and gives a name away by the
e-mail address built from it. Each row is a sentence of our own with fictitious values;
the recognizers are called as Presidio calls them.
"""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from proxy.detection.addresses import AddressRecognizer
from proxy.detection.nationality import NationalityRecognizer
from proxy.detection.normalise import normalise
from proxy.detection.people import (
    NameCueRecognizer,
    business_name,
    place_not_person,
    propagate_names,
)
from proxy.detection.phones import PhoneNumberRecognizer
from proxy.detection.places import PlaceCueRecognizer, is_tied, tie_pattern
from proxy.detection.profiles import ProfileUrlRecognizer

REGIONS = ["US", "GB", "FR", "BE", "CH", "DE", "AT", "ES", "IT"]


def _found(recognizer: object, text: str, min_score: float = 0.5) -> list[str]:
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return sorted(text[r.start : r.end] for r in results if r.score >= min_score)


# --- places: a tie word anywhere earlier in the clause ---------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "I, Rhys Kerr, born on 1971-11-21 in San Diego, hold passport 300109967.",
         "San Diego"),
        ("es", "la paciente, nacida el 8 de mayo de 1958 en Tarragona, ingresa hoy.", "Tarragona"),
        ("fr", "Mme Yvette Roussel, née le 19.07.1998 à Le Havre, consulte.", "Le Havre"),
        ("it", "la paziente, nata il 4 agosto 1983 a Modena, per una visita.", "Modena"),
        ("de", "Herr Kaya ist 1990 in Gelsenkirchen geboren und wohnt seit 2015 in Essen.",
         "Essen"),
        ("fr", "Accident survenu le 3 mai à Colmar, conducteur assuré.", "Colmar"),
        ("de", "Geburtsort: Graz", "Graz"),
        ("en", "City: Sacramento", "Sacramento"),
        ("it", "Lecce, 3 aprile 2025\n\nEgregio avvocato,", "Lecce"),
        ("es", "En Gijón, a 05/12/2026.\n\nREUNIDOS:", "Gijón"),
    ],
)  # fmt: skip
def test_a_place_in_a_clause_about_a_person_is_tied(language: str, text: str, place: str) -> None:
    start = text.index(place)
    assert is_tied(tie_pattern(language), text, start, start + len(place))
    assert place in _found(PlaceCueRecognizer(language), text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Our Berlin office ships to customers in Lyon and Porto."),
        ("en", "The plant in Leipzig was built in 1998 in record time."),
        ("de", "Krankmeldung: Frau Favre, geboren am 1956-07-24, ist bis Ende der Woche krank."),
        ("de", "Patientin, geb. 1981, wohnhaft in Duisburg, zur weiteren Abklärung. Telefonisch."),
        ("en", "I was born in May and moved in June."),
        ("es", "Lugar: Valencia\nFecha: 12-07-2024"),  # a bare "Place:" may be an event's
        ("en", "Holder of US passport no. N94022706, born 1990."),
    ],
)
def test_places_not_tied_or_not_places(language: str, text: str) -> None:
    found = _found(PlaceCueRecognizer(language), text)
    assert not [place for place in found if place not in {"Duisburg"}], found


# --- nationality -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("de", "Staatsangehörigkeit: vietnamesisch\nAnschrift: Mozartdamm 61", ["vietnamesisch"]),
        ("en", "Name: Gang Chen\nNationality: Finnish\nPassport: F55393040", ["Finnish"]),
        ("es", "Nacionalidad: nigeriana", ["nigeriana"]),
        ("it", "Cittadinanza: greca", ["greca"]),
        ("fr", "Elle est de nationalité sénégalaise.", ["sénégalaise"]),
        ("en", "He is an Irish citizen.", ["Irish"]),
        ("en", "Translate to French please; the French market grew.", []),
    ],
)
def test_nationality_stated_of_a_person(language: str, text: str, found: list[str]) -> None:
    assert _found(NationalityRecognizer(language), text) == found


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        # a label nobody listed, a name of two words with a known one
        ("en", "NHS number: 4840439974\nNext of kin: Tyler Low", {"Tyler Low"}),
        ("de", "Grenzgänger: Oksana Drobotenko\nAHV-Nummer: 756", {"Oksana Drobotenko"}),
        # a blank line between the closing formula and the signature
        ("it", "Cordiali saluti,\n\nElira Kelmendi\nConsulente", {"Elira Kelmendi"}),
        # someone's data, named with a preposition
        ("fr", "tu peux m'envoyer le contrat de Virginie ?", {"Virginie"}),
        ("it", "hai la mail di Anita? non la trovo", {"Anita"}),
        ("de", "Guten Morgen, hier ist die Mutter von Konstantin.", {"Konstantin"}),
        ("fr", "c'est Rika, la maman de Graeme. il a de la fièvre", {"Graeme"}),
        # the e-mail address of the same text is made of the name
        ("it", "Referente Elira Kelmendi, elira_kelmendi@totino.it.", {"Elira", "Kelmendi"}),
        # a surname that is also a word, after a first name; a first name that is also a
        # word, before a surname that is not
        ("en", "Please wire the refund to Ansh Date today.", {"Ansh Date"}),
        ("it", "La cliente Morgan Bryant segnala un addebito.", {"Morgan Bryant"}),
        # an initial after a known first name; chat greetings with letters doubled
        ("en", "Hi team, Letizia M. will cover the accounts.", {"Letizia M."}),
        ("es", "holaa noelia!! mi nuevo número es este", {"noelia"}),
        ("en", "Hi, this is Eko from the clinic.", {"Eko"}),
    ],
)  # fmt: skip
def test_generalised_name_cues(language: str, text: str, names: set[str]) -> None:
    found = set(_found(NameCueRecognizer(language), text))
    assert names <= found, found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Contact Sales at sales@acme-widgets.com or Support."),
        ("de", "Meine E-Mail: lena.vogt@web.de, Handy 0171 2345678"),
        ("es", "la Semana Santa de Sevilla recibió 12 visitantes"),
        ("es", "El plazo de entrega entre el País Vasco y Valencia es de 4 días."),
        ("en", "Dear Cruz, Barnett and Johnson team,\nplease update the invoice."),
    ],
)
def test_generalised_cues_leave_these_alone(language: str, text: str) -> None:
    assert _found(NameCueRecognizer(language), text) == []


@pytest.mark.parametrize(
    ("text", "name", "firm"),
    [
        ("Insurance member: Santos, Rose and Peck", "Rose", True),
        ("Data Analyst | Powell, Fisher and Kelly", "Powell", True),
        ("Société Trudel, Tessier and Fontaine, RCS", "Tessier", True),
        ("Dear Coleman-Hastey team,", "Coleman-Hastey", True),
        ("Anna, Tom and Carla will join.", "Tom", False),
    ],
)
def test_firms_named_after_people(text: str, name: str, firm: bool) -> None:
    start = text.index(name)
    assert business_name(text, start, start + len(name)) is firm


# --- evasion and phones ----------------------------------------------------------------------


def test_a_plus_between_name_words_reads_as_a_space() -> None:
    assert (
        normalise("Titular: Esperanza+Rubio, tarjeta").text == "Titular: Esperanza Rubio, tarjeta"
    )
    assert normalise("C++ and a+b and +33 6").text == "C++ and a+b and +33 6"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Puede contactarla en el 612.70.80.70 hoy.", ["612.70.80.70"]),
        ("ha cambiato numero: 078.884.49.55. avvisala", ["078.884.49.55"]),
        ("server 192.168.10.20 is down", []),  # an IPv4 address is not a phone
    ],
)
def test_dotted_numbers_that_are_no_ip_address(text: str, found: list[str]) -> None:
    recognizer = PhoneNumberRecognizer("es", REGIONS, [], ["tel", "numero", "contactarla"])
    assert _found(recognizer, text, 0.3) == found


# --- chats, transcripts, handles, places read as people ----------------------------------------


def test_chat_speakers_are_names_and_roles_are_not() -> None:
    chat = "jonas: kommst du heut abend\nlea: bin müde\njonas: komm schon\nlea: ok"
    assert _found(NameCueRecognizer("de"), chat) == ["jonas", "jonas", "lea", "lea"]
    call = "Leitstelle: Notruf 112, wo?\nAnrufer: Hauptstraße 3\nLeitstelle: Wer ist betroffen?"
    assert _found(NameCueRecognizer("de"), call) == []


def test_the_answer_to_a_name_question() -> None:
    text = "[09:14] Support: Wie ist Ihr Name bitte?\n[09:15] Kunde: dragan petrović\n"
    assert "dragan petrović" in _found(NameCueRecognizer("de"), text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "La Fiat Panda e la Lancia Ypsilon restano le più vendute."),
        ("es", "gracias al lanzamiento de la serie Atlas V2 en Sevilla"),
        ("es", "el Paseo de Gracia y la Plaza Real son de los lugares más visitados"),
        ("es", "la reunión se mueve a la sala Valencia a las 10:00"),
    ],
)
def test_products_and_places_are_not_lone_first_names(language: str, text: str) -> None:
    assert _found(NameCueRecognizer(language), text) == []


def test_user_names_and_handles_built_from_a_name_follow_it() -> None:
    text = "SOC alert 4419\nAccount: mkraus (Melanie Kraus)\nLogin from 5.188.62.140"
    found = [RecognizerResult("PERSON", text.index("Melanie"), text.index(")"), 0.85)]
    extra = propagate_names(text, found, 0.6)[1:]
    assert [text[r.start : r.end] for r in extra] == ["mkraus"]


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Pat.: P A U L I N E   R O T H\nTel.", "Pat.: PAULINE ROTH\nTel."),
        ("Mail j.strassburger [at] freenet [punkt] de", "Mail j.strassburger@freenet.de"),
        ("jm.ibanez (arroba) ono.com", "jm.ibanez@ono.com"),
        ("pietro.desantis (chiocciola) alice.it", "pietro.desantis@alice.it"),
    ],
)
def test_spelled_out_forms_are_read_through(text: str, normal: str) -> None:
    assert normalise(text).text == normal


def test_a_notable_place_is_not_a_person_on_weak_evidence() -> None:
    assert place_not_person("Rotterdam")
    assert place_not_person("Los Ángeles")
    assert not place_not_person("Florence")  # a common first name too
    assert not place_not_person("Dave")  # an alternate name of a city, but a first name


# --- addresses of other countries, products named like people, timestamps -----------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("das Paket ging an Olav Kyrres gate 19, 5014 Bergen, Norwegen. Gruß",
         "Olav Kyrres gate 19, 5014 Bergen, Norwegen"),
        ("Domicilio: Avda. de Blasco Ibáñez 88, piso 6, puerta 12\n46022 Valencia",
         "Avda. de Blasco Ibáñez 88, piso 6, puerta 12\n46022 Valencia"),
        ("Testigo: Av. Corrientes 1847, piso 9, depto. B, C1045AAC Buenos Aires, Argentina.",
         "Av. Corrientes 1847, piso 9, depto. B, C1045AAC Buenos Aires, Argentina"),
        ("Mariahilfer Straße 112/Stiege 2/Top 14\n1070 Wien\nÖsterreich",
         "Mariahilfer Straße 112/Stiege 2/Top 14\n1070 Wien\nÖsterreich"),
        ("shipped to Storgata 12B, 0184 Oslo, Norway on Friday", "Storgata 12B, 0184 Oslo, Norway"),
    ],
)  # fmt: skip
def test_addresses_of_other_formats(text: str, address: str) -> None:
    assert address in _found(AddressRecognizer("en", []), text)


@pytest.mark.parametrize(
    "text",
    [
        "Die Belegschaft umfasst 26131 Mitarbeitende.",
        "Frecciarossa 9524 Napoli Centrale, partenza 8:10",
        "Order 4411, 75008 Paris warehouse, dispatched.",
    ],
)
def test_a_name_and_a_number_near_a_postcode_is_not_always_an_address(text: str) -> None:
    assert _found(AddressRecognizer("en", []), text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Der Dacia Sandero ist ab 12.990 € zu haben.", "Dacia Sandero"),
        ("La nuova Alfa Romeo Giulia arriva a marzo.", "Romeo Giulia"),
        ("Die Lampe Atlas gibt es in drei Farben.", "Atlas"),
        ("| RG-500 | Regal Atlas | 349,00 € |", "Regal Atlas"),
        ("a short walk from Rua Augusta to the river", "Rua Augusta"),
        ("| AT-500-K | Atlas bookshelf | Oak |", "Atlas"),
    ],
)
def test_a_make_or_a_product_noun_makes_a_product(text: str, name: str) -> None:
    start = text.index(name)
    assert business_name(text, start, start + len(name))


def test_a_timestamp_is_not_a_phone_number() -> None:
    recognizer = PhoneNumberRecognizer("en", REGIONS, [], ["tel"])
    assert _found(recognizer, "2025-04-01 02:14:07 INFO login ok", 0.0) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mail contact@aurelienfaure.fr / site perso www.aurelienfaure.fr",
         ["www.aurelienfaure.fr"]),
        ("Il mio blog: https://edoardo-villa.it/about", ["https://edoardo-villa.it/about"]),
        ("see https://docs.python.org/3/ and www.rosegarden.com", []),
        ("@pytest.fixture\ndef client(): ...", []),
    ],
)  # fmt: skip
def test_personal_sites_named_after_a_person(text: str, found: list[str]) -> None:
    assert _found(ProfileUrlRecognizer("en"), text) == found


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("de", "DRAGANA PETROVIĆ\nFrankfurt am Main · 0157 3321 8840 · d.petrovic@gmx.de",
         "Frankfurt am Main"),
        ("es", "Anteriormente residíamos en Jerez de la Frontera. Teléfono: 622 871 430.",
         "Jerez de la Frontera"),
        ("it", "Mi chiamo Abebe, sono nato ad Addis Abeba e vivo a Trieste.", "Addis Abeba"),
        ("de", "Sie wohnt in St. Gallen.", "St. Gallen"),
    ],
)  # fmt: skip
def test_contact_lines_and_longer_place_names(language: str, text: str, place: str) -> None:
    assert place in _found(PlaceCueRecognizer(language), text)


def test_a_figure_after_a_town_list_is_no_contact_line() -> None:
    text = "Berlin, Paris und Rom sind unsere Standorte · Umsatz 12.000.000 €"
    assert _found(PlaceCueRecognizer("de"), text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2025-03-11 09:14:22 WARN login failed user=t.brandt ip=79.211.44.130", ["t.brandt"]),
        ("// TODO(kfischer): remove the fixtures", ["kfischer"]),
        ("Reported by: bianchi.l (Finance)", ["bianchi.l"]),
        ("2025-03-11 WARN login failed user=admin ip=10.0.0.1", []),
    ],
)
def test_logins_after_their_field(text: str, found: list[str]) -> None:
    assert _found(NameCueRecognizer("en"), text) == found


def test_slack_speakers_with_times() -> None:
    chat = "#team\nemeka.o  10:02  anyone got the phone?\nfreya    10:03  I do\nemeka.o  10:03  ta"
    # "freya" speaks once, with her time, in a chat of timed speakers: a first name
    assert _found(NameCueRecognizer("en"), chat) == ["emeka.o", "emeka.o", "freya"]

"""Issue 9, sixth part: the shapes a full name takes in other cultures and in data pasted
into a prompt. Irish names carry "O'" and "Ó" ("James O'Brien", "Siobhán Ó Súilleabháin"),
Catalan ones join two surnames with "i" ("Joan Pujol i Serra"), many surnames start with a
particle that is also an ordinary word ("De Luca", "Le Goff", "El Amrani"), a record
copied from an API names its fields as JSON keys ('"nom": "Le Goff"'), and minutes list a
surname alone among full names ("…, Rosa Paredes, Fuchs (minutes)"). Each row is a
sentence of our own with fictitious values; the recognizer is called as Presidio calls it.
"""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from proxy.detection.name_lists import names_in_lists
from proxy.detection.people import NameCueRecognizer


def _names(language: str, text: str) -> list[str]:
    results = NameCueRecognizer(language).analyze(text, ["PERSON"])
    return sorted({text[r.start : r.end] for r in results if r.score >= 0.5})


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "Dear Mr O'Brien,\nyour parcel is ready.", "O'Brien"),
        ("en", "Surname: O'CONNELL\nGiven names: Brigid Ann", "O'CONNELL"),
        ("it", "Convenuto: Sig. D'Alessandro, residente a Pisa", "D'Alessandro"),
        ("en", "Beneficiary: Aoife Ó Dubhghaill\nIBAN: see below", "Aoife Ó Dubhghaill"),
        ("en", "Host: Penelope Ní Bhriain\nVehicle: rental", "Penelope Ní Bhriain"),
        ("es", "Paciente: D. Jordi Vilaró i Comas, 66 años", "Jordi Vilaró i Comas"),
    ],
)  # fmt: skip
def test_irish_and_catalan_names_are_whole(language: str, text: str, name: str) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Nuova utenza\nNome: Alessio\nCognome: De Santis\nUfficio: Acquisti", "De Santis"),
        ("es", "Apellidos: De la Peña Ortiz\nNombre: Álvaro", "De la Peña Ortiz"),
        ("it", "Cognome: El Idrissi Nome: Khadija", "El Idrissi"),
        ("fr", '{"id": 88213, "nom": "Le Bihan", "prenom": "Gwenaël", "mail": "x"}', "Le Bihan"),
        ("fr", '{"id": 88213, "nom": "Le Bihan", "prenom": "Gwenaël", "mail": "x"}', "Gwenaël"),
        ("en", '{"first_name": "Tomasz", "last_name": "Wróbel"}', "Wróbel"),
        ("de", "Vornamen: Folasade Grace\nGeburtsdatum: 11.08.1991", "Folasade Grace"),
    ],
)  # fmt: skip
def test_surnames_with_a_particle_and_json_fields(language: str, text: str, name: str) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Nom : De nombreux clients attendent"),
        ("de", '{"kunde": "x", "firma": "Strauß Weinhandel", "ust_id": "DE1"}'),
        ("de", "Firma: Strauß Weinhandel GmbH"),
        ("en", "Name: The Team"),
    ],
)  # fmt: skip
def test_a_particle_word_or_a_firm_field_is_no_name(language: str, text: str) -> None:
    assert _names(language, text) == []


# --- a list of people: the rest of the list are people too ------------------------------------


def _listed(text: str, found: dict[str, float], language: str = "en") -> list[str]:
    """What `names_in_lists` adds to the names already found (value -> score)."""
    results = [
        RecognizerResult("PERSON", text.index(value), text.index(value) + len(value), score)
        for value, score in found.items()
    ]
    added = names_in_lists(text, results, 0.6, language)[len(results) :]
    return sorted(text[r.start : r.end] for r in added)


def test_a_lone_surname_in_a_list_of_attendees_is_a_name() -> None:
    text = (
        "Attendees: Amara Diallo (chair), Sven Lindqvist, Rosa Paredes, Ji-hoon Park, "
        "Brandauer (minutes)\nApologies: Pilar Ortega"
    )
    found = {"Amara Diallo": 0.7, "Sven Lindqvist": 0.65, "Rosa Paredes": 0.65}
    # "Ji-hoon Park" reads as a park in English and has a common word in German: left
    # alone, it does not stop the list
    assert _listed(text, found, "de") == ["Brandauer"]
    assert _listed(text, found, "en") == ["Brandauer"]


@pytest.mark.parametrize(
    "text",
    [
        # something else in the list: a phrase, an address, a figure
        "Amara Diallo, Sven Lindqvist, the people from Hamburg, Brandauer",
        "Amara Diallo;Sven Lindqvist;amara@example.org;Brandauer",
        "Amara Diallo, Sven Lindqvist, 42, Brandauer",
    ],
)
def test_a_list_with_anything_else_adds_nothing(text: str) -> None:
    assert _listed(text, {"Amara Diallo": 0.7, "Sven Lindqvist": 0.65}) == []


def test_one_name_found_or_a_town_is_not_enough() -> None:
    text = "Stops: Amara Diallo, Brandauer, Hamburg, Rotterdam"
    assert _listed(text, {"Amara Diallo": 0.7}) == []
    text = "Amara Diallo, Sven Lindqvist, Rotterdam, Hamburg"
    assert _listed(text, {"Amara Diallo": 0.7, "Sven Lindqvist": 0.65}) == []


# --- signatures, sign-offs and fields ending with a surname -----------------------------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "IBAN: GB66 BARC 0407 2386 2551 18\nSignature: E. Y\u0131ld\u0131r\u0131m",
         "E. Y\u0131ld\u0131r\u0131m"),
        ("en", "The facts stated here are true.\nSigned O. Karataş", "O. Karataş"),
        ("en", "Signed: P. Ortega ....... T. Wijnaldum", "T. Wijnaldum"),
        ("de", "Freiburg, 20.10.2026\nUnterschriften: G. Fuchs / M. L. Tran", "M. L. Tran"),
        ("de", "Dann schicken wir Ihnen ein Retourenetikett.\nKevin vom Kundenservice", "Kevin"),
        ("fr", "Nous vous enverrons un bon de retour.\nJérémie — Support", "Jérémie"),
        ("en", "Once confirmed I'll ship a replacement.\nCallum @ Support", "Callum"),
        ("en", "NHS number: 4840439974\nNext of kin: Vi Nguyễn", "Vi Nguyễn"),
        ("en", "Taxpayer: Soo-ah Kang  SSN: see file", "Soo-ah Kang"),
    ],
)  # fmt: skip
def test_signatures_sign_offs_and_fields_ending_with_a_surname(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Hotel directory: The Savoy, The Ritz"),
        ("fr", "Garage agréé : Carrosserie du Puy, SIRET à venir"),
        ("en", "We will ship it on Monday.\nReturns @ Warehouse"),
    ],
)  # fmt: skip
def test_words_before_a_surname_or_a_team_are_no_name(language: str, text: str) -> None:
    assert _names(language, text) == []


# --- chats: speakers who speak once, logins as speakers, verbs after a pronoun ----------------


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("de", "Mama: und dem opa?\nNiko: der ist doch in Kavala\nEleni: ich ruf ihn an",
         ["Eleni", "Niko"]),
        ("es", "dani_ruiz: ¿te vienes al cumple?\nToni: ostras\ndani_ruiz: sí, hace un mes",
         ["Toni", "dani_ruiz"]),
    ],
)  # fmt: skip
def test_speakers_who_speak_once_or_as_a_login(language: str, text: str, names: list[str]) -> None:
    assert set(names) <= set(_names(language, text))


def test_a_form_or_code_is_no_chat() -> None:
    form = "Pat.: P A U L I N E\nTel.: 0221-44\nGeb.: 01.02.1990"
    assert "Pat." not in _names("de", form)
    code = 'const kunde = {\n  email: "x@example.org",\n  iban: "DE67",\n  nif: "1"\n};'
    assert "iban" not in _names("de", code)


def test_a_lower_case_word_after_an_object_pronoun_is_a_verb() -> None:
    chat = "Lucía Gómez: @Legrand ¿apruebas?\nLouis Legrand: sí, lo miro ahora\nLucía Gómez: ok"
    assert "miro" not in _names("es", chat)


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("en", 'Driver: Cornelius "Neil" Adeyemi, DOB on file', ["Adeyemi", "Neil"]),
        ("es", 'Empleada: Concepción Ledesma ("Conchi"), turno de tarde', ["Conchi"]),
        ("it", 'ho visto il sig. Calogero detto "Lillo" davanti al bar', ["Lillo"]),
        ("es", "el chico, conocido como Chema, vive en el tercero", ["Chema"]),
    ],
)  # fmt: skip
def test_a_nickname_inside_or_after_a_name(language: str, text: str, names: list[str]) -> None:
    assert set(names) <= set(_names(language, text))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", 'Click "Save" then "Close". The Renault (Clio) is red.'),
        ("en", "Sales in Paris (France) rose again."),
    ],
)  # fmt: skip
def test_a_quoted_word_after_no_name_is_no_nickname(language: str, text: str) -> None:
    assert _names(language, text) == []


def test_a_role_in_parentheses_or_a_product_is_no_nickname() -> None:
    assert "Agentin" not in _names("de", "Chatprotokoll\nNadine (Agentin): Wie kann ich helfen?")
    assert "Eiche" not in _names("de", "2 \u00d7 Regal „Oskar“ Eiche (129,00 €)")


def test_every_login_of_a_web_access_log() -> None:
    # the normaliser joins "… 200 512" and the next line's IPv6 address; both logins count
    log = (
        '83.45.190.12 - jmarin [11/Mar/2025:22:14:03 +0100] "GET /a HTTP/1.1" 403 212\n'
        '2a0c:5a80:1204:9b00::3e - lucia.vidal [11/Mar/2025:22:16:40 +0100] "GET /b HTTP/1.1" 200'
    )
    from proxy.detection.normalise import normalise  # noqa: PLC0415

    joined = normalise(log).text
    assert "\n" not in joined  # what the recognizers see
    found = _names("es", joined)
    assert {"jmarin", "lucia.vidal"} <= set(found), found


def test_a_sick_note_for_someone_is_no_eponym() -> None:
    assert "Teodoro" in _names("it", "Oggetto: certificato malattia Teodoro\n\nCiao Michela,")


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "ole: hat jemand merle gesehen?\nfinn: im lager", "merle"),
        ("en", "[10:02] sam: anyone seen tobs today?", "tobs"),
        ("it", "gio: qualcuno ha visto noemi?", "noemi"),
        ("es", "ana: holaa! te vienes al cumple de nacho?", "nacho"),
        ("it", "vieni sabato alla festa di bea?", "bea"),
        ("de", "kommst du zu lenis geburtstag?", "leni"),
        ("it", "hai il numero di ornella? mi serve", "ornella"),
    ],
)  # fmt: skip
def test_a_lower_case_name_a_chat_asks_after_or_invites_to(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "has anyone seen this error? anyone seen the keys today?"),
        ("de", "hat jemand heute zeit? hat wer lust?"),
        ("it", "il numero di pratica e la mail di servizio"),
        ("es", "el número de serie y la dirección de envío"),
    ],
)  # fmt: skip
def test_everyday_words_after_those_cues_are_no_name(language: str, text: str) -> None:
    assert _names(language, text) == []


# --- things named after people --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Riunione spostata in Aula Guglielmo Marconi (piano terra)."),
        ("it", 'Orari estivi biblioteca comunale "Natalia Ginzburg": apertura 9-13.'),
        ("it", "La sala studio intitolata a Grazia Deledda resta accessibile."),
        ("es", 'Horario de la Biblioteca Municipal "Emilia Pardo Bazán": de 9:00 a 21:00.'),
        ("es", "Exposición en la Fundació Antoni Tàpies y visita nocturna."),
        ("es", "En el Ramón Sánchez-Pizjuán, 40.000 espectadores."),
        ("fr", "Visite des laboratoires et du CDI Louise-Michel, puis goûter."),
        ("fr", "La piscine Marie-Marvingt sera fermée du 1er au 15 août."),
        ("fr", "La tempête est passée, place à la dépression Domingos."),
        ("de", "3. Benennung des neuen Platzes am Hafen nach Clara Zetkin, 4. Haushalt"),
        ("en", 'Book club: "Middlemarch" (George Eliot) and "Persuasion" (Jane Austen).'),
        ("en", "We'll meet in the Gaskell room of the Central Library at 7pm."),
        ("en", "The Royal Society announced this year's Darwin Medal on Monday."),
        ("es", "Cortes de tráfico por la cabalgata de Reyes desde las 16:00."),
        ("es", "Cena de equipo en Casa Lucía, menú a 25 €."),
        # theorems, transforms, diseases and lab ware named after someone
        ("de", "Hausaufgabe: den Satz des Pythagoras und den Satz von Vieta anwenden."),
        ("fr", "Démontrer le théorème de Thalès puis la transformée de Fourier."),
        ("en", "Explain what a Laplace transform does; Alzheimer's disease is next week."),
        ("es", "Las placas de Petri van al contenedor amarillo."),
        ("it", "Le piastre di Petri vanno nel contenitore giallo."),
        ("fr", "Dessert : pêches Melba. Inscriptions au concours Lépine ouvertes."),
    ],
)  # fmt: skip
def test_things_named_after_people_are_no_people(language: str, text: str) -> None:
    assert _names(language, text) == []


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("es", "pues que los lleve la Lucía, yo no puedo", "Lucía"),
        ("en", "Thanks for the report (Joanna Kowalczyk) — I'll forward it.", "Joanna Kowalczyk"),
        ("it", "Presenti: l'amministratrice, la signora Orietta Sala, e il geometra.",
         "Orietta Sala"),
        ("es", "Estoy en casa de la señora Lucía Ferrer hasta las ocho.", "Lucía Ferrer"),
    ],
)  # fmt: skip
def test_an_article_before_a_first_name_or_a_plain_parenthesis_keeps_a_person(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


# --- a VAT number without its country prefix, after its label -------------------------------


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("it", "Edilnord S.r.l., P.IVA 00743110157, in persona del legale", ["00743110157"]),
        ("es", "Solaria Levante S.L. (CIF B78876232)", ["B78876232"]),
        ("it", "Ordine 00743110157 spedito ieri", []),  # no label: an order number
    ],
)  # fmt: skip
def test_a_vat_number_after_its_label(language: str, text: str, found: list[str]) -> None:
    from proxy.detection.context_words import CONTEXT  # noqa: PLC0415
    from proxy.detection.identifiers import identifier_recognizers  # noqa: PLC0415

    (vat,) = [
        r
        for r in identifier_recognizers(language, CONTEXT[language])
        if "EU_VAT" in r.supported_entities
    ]
    results = vat.analyze(text, ["EU_VAT"])
    assert sorted(text[r.start : r.end] for r in results if r.score >= 0.5) == found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Agente: ¿Me da su DNI?\nCliente: Sí, un momento.\nAgente: Gracias."),
        ("fr", "Conseiller : Kevin à votre écoute.\nCliente : Oui bonjour, je vous appelle."),
        ("it", "Operatrice: come posso aiutarla?\nCliente: Sì, buongiorno, ho un problema."),
    ],
)  # fmt: skip
def test_an_answer_after_a_speakers_label_is_no_name(language: str, text: str) -> None:
    assert not {"Sí", "Oui", "Sì"} & set(_names(language, text))

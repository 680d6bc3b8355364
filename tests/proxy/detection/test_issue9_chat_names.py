"""Issue 9: names in chats and notes as others write them — exports of messaging apps that
put the time after the speaker ("Nuria 23:05: …", "Vangelis 18:04" on its own line), a
relation or job before a name with a comma ("su madre, Latifa", "il compagno, Kevin"), a
plural role before two names ("die Kinder Ana und Luka"), and a chat's question about
someone ("und Henrik?"). Labels that look like speakers stay labels. Fictitious lines."""

from __future__ import annotations

import pytest

from proxy.detection.people import NameCueRecognizer


def _names(language: str, text: str) -> set[str]:
    results = NameCueRecognizer(language).analyze(text, [])
    return {text[r.start : r.end] for r in results if r.score >= 0.5}


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("es", "Nuria 23:05: a mi padre le han ingresado\nChus 23:06: madre mía\n"
               "Nuria 23:06: 74. vive solo\nChus 23:07: ánimo", {"Nuria", "Chus"}),
        ("de", "Basti 18:02\nkommt ihr heute?\nVangelis 18:04\nnee\nBasti 18:04\nok dann",
         {"Vangelis"}),
        ("es", "Su madre, Latifa, pide que la llamen.", {"Latifa"}),
        ("de", "Die Kinder Ana und Luka sollen bei Ihnen bleiben.", {"Ana", "Luka"}),
        ("en", "The colleagues Marek and Priya covered the shift.", {"Marek", "Priya"}),
        ("de", "Pia: schade. und Henrik?\noli: bleibt in Kiel", {"Henrik"}),
        ("it", "Lucio: e Rocco?\nFede: sta ancora a Rimini", {"Rocco"}),
        ("de", "den Vertrag ihres verstorbenen Mannes Horst kündigen", {"Horst"}),
    ],
)  # fmt: skip
def test_names_in_chats_and_notes(language: str, text: str, names: set[str]) -> None:
    assert names <= _names(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a label once, in a form or code: no speaker
        ("de", "Aufnahmebogen\nPat.: P A U L I N E\nTel.: 0221 4478 193\nHausarzt: Dr. X"),
        ("de", 'const user = {\n  iban: "DE67 2850",\n  name: "x",\n  plan: "pro",\n};'),
        # a question about a thing
        ("en", "Revenue is up. and Paris?"),
        ("en", "Budget: approved. and tomorrow?"),
    ],
)
def test_labels_and_things_are_no_names(language: str, text: str) -> None:
    assert not ({"Pat.", "iban", "Paris", "tomorrow"} & _names(language, text))


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("es", "Fecha: 03/02/2024   Firma: J. Cortés", "J. Cortés"),
        ("de", "Ansprechpartner: J. Schäfer, Vertrieb", "J. Schäfer"),
        ("en", "Passenger 1: MR HASSAN/KARIM  DOB 11MAR1981", "HASSAN/KARIM"),
        ("es", "Pasajero 1: SR GARCIA LOPEZ/DIEGO  F. NAC. 15ABR1978", "GARCIA LOPEZ/DIEGO"),
    ],
)
def test_initials_and_booking_names(language: str, text: str, name: str) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    "text",
    [
        "Ship via UPS/DHL or TNT/FEDEX, route MUC/BCN, over TCP/IP.",
        "See N. Main Street and S. Park for parking.",
        "Proveedor: Talleres Unidos S.Coop. con CIF F20123456",
    ],
)
def test_codes_streets_and_firms_are_no_initials(text: str) -> None:
    assert not (_names("en", text) & {"UPS/DHL", "MUC/BCN", "TCP/IP", "S. Park", "S.Coop"})


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "gez. Dr. med. Kateryna Melnyk", "Kateryna Melnyk"),
        ("it", "medico curante: dott. Adeyemi", "Adeyemi"),
        ("es", "Mi representada, D.ª Covadonga Álvarez-Buylla, acepta", "Covadonga Álvarez-Buylla"),
        ("it", "Famiglia Hosseini\nCasella Postale 45\n00187 Roma", "Hosseini"),
        ("de", "Sehr geehrte Familie Sato,", "Sato"),
    ],
)
def test_titles_in_any_case_and_families(language: str, text: str, name: str) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        # "oli" twice and "Pia" once, in a chat whose other speaker is a known name
        ("de", "Lars: Mette ist zurück nach Aarhus\nPia: schade\nLars: ja\noli: und Henrik?\n"
               "oli: bleibt er?", {"Pia", "oli"}),
        ("en", "rafa: can you send the mockups\nolu: sure\nrafa: thanks\nolu: np", {"olu"}),
    ],
)  # fmt: skip
def test_a_chat_with_a_known_speaker_makes_its_other_speakers_people(
    language: str, text: str, names: set[str]
) -> None:
    assert names <= _names(language, text)


def test_labels_among_a_chats_speakers_stay_labels() -> None:
    # a named speaker does not turn repeated labels ("Status", "Output") into names
    text = "Marco: run it\nStatus: failed\nMarco: again\nStatus: ok\nOutput: none\nOutput: 3"
    assert not ({"Status", "Output"} & _names("en", text))


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        # a relation after a preposition and its article
        ("it", "Accompagnato dalla figlia Assunta. Vive da solo a Caserta.", "Assunta"),
        ("de", "Er kam mit seiner Tochter Lena in die Praxis.", "Lena"),
        # a field's value after a sentence on the same line
        ("it", "Serve VPN e lettura del repo fatturazione-api. Approva: Ornella.", "Ornella"),
        ("es", "Necesita VPN y lectura del repo. Aprueba: Itziar.", "Itziar"),
    ],
)  # fmt: skip
def test_relatives_after_a_preposition_and_fields_after_a_sentence(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        # a task or a question handed to someone, a partner in a chat answer
        ("it", "Vendo passeggino. Chiedere di Manu al 0422 58 31 77.", "Manu"),
        ("de", "Uwe: wer macht heute Spätschicht?\nMarija: ich und Dragan", "Dragan"),
    ],
)  # fmt: skip
def test_names_handed_a_task_and_before_a_code(language: str, text: str, name: str) -> None:
    assert name in _names(language, text)


def test_a_task_handed_to_a_team_names_no_one() -> None:
    assert not (
        {"Support Team", "Details"} & _names("en", "Assigned to Support Team. Ask for Details.")
    )


def test_the_letters_of_an_iban_after_a_labelled_name_are_not_its_last_word() -> None:
    # "Matías Rojas, PT" would overlap the IBAN, and the engine keeps the IBAN only
    names = _names("es", "Beneficiario: Matías Rojas, PT23 3031 0182 1126 7548 7502 9")
    assert "Matías Rojas" in names
    assert not any(name.endswith("PT") for name in names)


def test_first_names_in_lower_case_in_a_chat_between_people() -> None:
    text = (
        "nacho: alguien sabe si lucía viene hoy?\nbea: está en valencia, vuelve el jueves\n"
        "nacho: vale, entonces le pregunto a dani"
    )
    assert {"lucía", "dani"} <= _names("es", text)


def test_months_days_and_chat_words_in_a_chat_are_no_names() -> None:
    text = "kwame: see you in june?\nlukas: sure, ping me\nkwame: domingo then\nlukas: ok guy"
    assert not ({"june", "ping", "domingo", "guy"} & _names("en", text))
    # outside a chat, a lower-case first name stays a word
    assert "dani" not in _names("es", "El informe de dani es largo. Lo revisamos mañana.")


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "«ragazzi sole è arrivata a berlino 🎉 franco le porta gli scatoloni»", "sole"),
        ("it", "«ragazzi sole è arrivata a berlino 🎉 franco le porta gli scatoloni»", "franco"),
        ("es", "«chicos, blanca ya está en lisboa, fidel le lleva las cajas»", "blanca"),
        ("en", "lol ok so update: sol is moving to lisbon in june", "sol"),
        ("fr", "« coucou, franck m'a dit que tu déménages »", "franck"),
        ("de", "„sonja ist nach hamburg gezogen“", "sonja"),
        ("es", "nerea tiene número nuevo: +34 600 000 000", "nerea"),
    ],
)  # fmt: skip
def test_a_lower_case_name_that_is_a_word_before_what_only_a_person_does(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text", "word"),
    [
        ("it", "il sole è arrivato tardi quest'anno", "sole"),  # an article: the sun
        ("fr", "quelqu'un a des nouvelles ? elle a laissé un message", "elle"),
        ("de", "hast du die Adresse? sie ist umgezogen nach Bern", "sie"),
        ("fr", "il vit seul depuis que maman est partie en Espagne", "maman"),
        ("en", "the rose said nothing about it", "rose"),
    ],
)  # fmt: skip
def test_articles_pronouns_and_kin_before_a_person_verb_are_no_names(
    language: str, text: str, word: str
) -> None:
    assert word not in _names(language, text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Katjas Auto steht immer noch in der Einfahrt.", "Katjas"),
        ("hast du katjas neue nummer? die alte geht nicht mehr", "katjas"),
        ("Wir fliegen mit Lans Familie nach Hanoi.", "Lans"),
    ],
)
def test_a_german_genitive_of_a_first_name(text: str, name: str) -> None:
    assert name in _names("de", text)


def test_german_genitives_of_words_and_names_ending_in_s_are_no_new_names() -> None:
    found = _names("de", "Des Hauses Ordnung und Gottes Segen, das Mittels Wirkung.")
    assert not {"Hauses", "Gottes", "Mittels"} & found


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        # the writer's own lines as "moi": the other speaker is a person, nickname or not
        ("fr", "juju: t'as vu que benoît part ?\nmoi: non ??\njuju: sa copine est là-bas\n"
               "moi: ah ok", "juju"),
        # a nickname in lower case that is also a word, speaking twice beside a known name
        ("it", "vale: hai saputo che nico si trasferisce?\nrobi: davvero??\n"
               "vale: con la ragazza\nrobi: allora giovedì aperitivo", "vale"),
    ],
)  # fmt: skip
def test_a_chat_with_its_writer_or_a_known_name_makes_its_nicknames_people(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


def test_indented_keys_of_a_yaml_record_are_no_speakers() -> None:
    text = (
        "usuarios:\n  - login: mgarcia\n    nombre: Milagros García\n    correo: m@x.es\n"
        "  - login: yzhang\n    nombre: Yifan Zhang\n    correo: y@x.es"
    )
    assert "correo" not in _names("es", text)
    text = (
        'team:\n    - name: "Mark Oyelowo"\n      slack: "@mark.o"\n'
        '    - name: "Hope Castillo"\n      slack: "@hope.c"\n      sede: Oviedo'
    )
    assert not {"slack", "sede"} & _names("en", text)


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Der Fahrer, den alle nur „Bolle“ nennen, fuhr davon.", "Bolle"),
        ("es", "El conductor, al que llaman Rubio, se fue hacia el norte.", "Rubio"),
        ("it", "Luigi, che tutti chiamano Gigi, cambia sede.", "Gigi"),
        ("en", "Put this CV into Markdown:\n\nSOLE AGARWAL\nNairobi-born", "SOLE AGARWAL"),
        ("it", "Metti in ordine:\n\nMARIA ROSSI\nVia Roma 4, Bari", "MARIA ROSSI"),
    ],
)  # fmt: skip
def test_nicknames_after_a_verb_of_calling_and_names_in_capitals(
    language: str, text: str, name: str
) -> None:
    assert name in _names(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Parteien, nachfolgend „Käufer“ genannt, und der „Verkäufer“ nennen es so."),
        ("en", "Summarise:\n\nANNUAL REPORT 2024\nSales grew by 4%."),
        ("en", "Summarise:\n\nGRACE PERIOD\nThe grace period is 30 days."),
    ],
)
def test_a_contracts_roles_and_headings_in_capitals_are_no_names(language: str, text: str) -> None:
    assert not {"Käufer", "Verkäufer", "ANNUAL REPORT", "GRACE PERIOD"} & _names(language, text)


def test_time_stamped_speakers_that_are_logins_are_people() -> None:
    text = (
        "riassumi la chat:\n\n[09:12] giuli.r: qualcuno sa se Sole oggi c'è?\n"
        "[09:13] ste_m: no è in smart\n[09:14] giuli.r: ok grazie\n[09:15] ste_m: figurati"
    )
    assert {"giuli.r", "ste_m"} <= _names("it", text)


def test_a_single_time_stamped_login_is_no_chat() -> None:
    text = "[09:12] build.log: 3 warnings\n[09:13] build.log: done\nsee the notes: nothing to do"
    assert "build.log" not in _names("en", text)

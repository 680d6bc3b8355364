"""Issue 9: personal data in the columns of a pasted table (CSV, semicolon export, tab
separated, Markdown), found from the header whatever the cells look like; tables of
business data (stores, products) pass. Fictitious rows of our own."""

from __future__ import annotations

import pytest

from proxy.detection.tables import TableColumnRecognizer


def _found(text: str) -> list[tuple[str, str]]:
    results = TableColumnRecognizer("en").analyze(text, [])
    return sorted((r.entity_type, text[r.start : r.end]) for r in results)


def test_a_csv_export_of_people() -> None:
    text = (
        "employee_id,Full Name,DOB,home_town,start_date\n"
        "E-1,Aarav Mehta,1987-06-21,Leicester,2021-09-01\n"
        '"E-2","Zeynep Arslan","1994-01-08","Croydon","2022-02-14"\n'
        "\nTotal: 2 employees, 1 site"
    )
    assert _found(text) == [
        ("DATE_OF_BIRTH", "1987-06-21"),
        ("DATE_OF_BIRTH", "1994-01-08"),
        ("LOCATION", "Croydon"),
        ("LOCATION", "Leicester"),
        ("PERSON", "Aarav Mehta"),
        ("PERSON", "Zeynep Arslan"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nom;prénom;date_naissance;ville\nMartin;Chloé;1999-06-03;Toulouse",
         [("DATE_OF_BIRTH", "1999-06-03"), ("LOCATION", "Toulouse"), ("PERSON", "Chloé"),
          ("PERSON", "Martin")]),
        ("Nachname\tVorname\tGeburtsdatum\nKrause\tJonas\t03.04.1990",
         [("DATE_OF_BIRTH", "03.04.1990"), ("PERSON", "Jonas"), ("PERSON", "Krause")]),
        ("| Nombre | Fecha de nacimiento | Teléfono |\n|---|---|---|\n"
         "| Lucía Gil | 12/05/1984 | 612 345 678 |",
         [("DATE_OF_BIRTH", "12/05/1984"), ("PERSON", "Lucía Gil"),
          ("PHONE_NUMBER", "612 345 678")]),
        ("cognome;nome;data_nascita;comune_residenza\nGreco;Simona;1969-09-05;Lecce\n"
         "Okeke;Chinonso;;Brescia",
         [("DATE_OF_BIRTH", "1969-09-05"), ("LOCATION", "Brescia"), ("LOCATION", "Lecce"),
          ("PERSON", "Chinonso"), ("PERSON", "Greco"), ("PERSON", "Okeke"),
          ("PERSON", "Simona")]),
        # a "Name" or role column whose cells are names makes the rows people
        ("| Name | Wohnort | Notiz |\n|---|---|---|\n| Ilias Papadakis | Kassel | ab März |\n"
         "| Amara Conteh | Jena | |",
         [("LOCATION", "Jena"), ("LOCATION", "Kassel"), ("PERSON", "Amara Conteh"),
          ("PERSON", "Ilias Papadakis")]),
        ("Candidate;Location;Notes\nPriya Raman;Pune;visa needed\nTomasz Nowak;Gdańsk;remote",
         [("LOCATION", "Gdańsk"), ("LOCATION", "Pune"), ("PERSON", "Priya Raman"),
          ("PERSON", "Tomasz Nowak")]),
        # a nationality column in a table of people
        ("| Name | Schicht | Staatsangehörigkeit |\n|---|---|---|\n"
         "| Ilinca Radu | Früh | rumänisch |\n| Tomás Cruz | Spät | chilenisch |",
         [("NRP", "chilenisch"), ("NRP", "rumänisch"), ("PERSON", "Ilinca Radu"),
          ("PERSON", "Tomás Cruz")]),
        # a login's column in a table of people; visitors and their hosts
        ("usuario | nombre | último acceso\nrquinterob | Rosa Quintero Blas | 04/02 10:11\n"
         "omartin | Óscar Martín | 04/02 11:40",
         [("PERSON", "Rosa Quintero Blas"), ("PERSON", "omartin"), ("PERSON", "rquinterob"),
          ("PERSON", "Óscar Martín")]),
        ("Hora | Visitante | Empresa | Visita a\n08:50 | Itziar Etxaniz | Talleres Sur | "
         "Unai Berasategi\n12:10 | Pablo Roldán | particular | Unai Berasategi\n"
         "13:05 | Ane Urrutia | particular | recepción",
         [("PERSON", "Ane Urrutia"), ("PERSON", "Itziar Etxaniz"), ("PERSON", "Pablo Roldán"),
          ("PERSON", "Unai Berasategi"), ("PERSON", "Unai Berasategi")]),
    ],
)  # fmt: skip
def test_headers_in_every_language(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_the_values_of_an_sql_insert_and_its_where_clause() -> None:
    text = (
        "-- error: duplicate key\n"
        "INSERT INTO kunden (nachname, vorname, email, geburtsdatum) VALUES\n"
        " ('Brandt', 'Lea-Marie', 'lea@example.de', '1991-02-03'),\n"
        " ('O''Hara', 'Finn', NULL, '1988-07-09');\n"
        "UPDATE kunden SET email = 'neu@example.de' WHERE vorname = 'Jonas' AND nachname = 'Ebert';"
    )
    assert _found(text) == [
        ("DATE_OF_BIRTH", "1988-07-09"),
        ("DATE_OF_BIRTH", "1991-02-03"),
        ("PERSON", "Brandt"),
        ("PERSON", "Ebert"),
        ("PERSON", "Finn"),
        ("PERSON", "Jonas"),
        ("PERSON", "Lea-Marie"),
        ("PERSON", "O''Hara"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "INSERT INTO products (sku, name, price) VALUES ('A-1', 'Anna chair', 12.5);",
        "SELECT * FROM orders WHERE status = 'open' AND name = 'Widget';",
        "INSERT INTO t (nachname, vorname) VALUES ('unterminated",
        "INSERT INTO t (nachname, vorname) VALUES " + "('x', " * 3000,
    ],
)
def test_sql_of_things_or_broken_sql_adds_nothing(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # business tables: rows that are no people, even with a town or a name column
        "| Store | City | Q2 sales |\n|---|---|---|\n| Briggate | Leeds | £412k |",
        "sku;name;price\nVR-2210;Anna chair;219.50",
        "| Name | City | Revenue |\n|---|---|---|\n| Store Alpha | Lyon | 12 |\n"
        "| Outlet Nord | Paris | 9 |",
        # a table of service accounts is no table of people
        "user;service;last_login\nsvc-backup;nightly backup;2024-03-01\nci-bot;builds;2024-03-02",
        # prose with commas is no table
        "Hello, my name is on the form, as agreed.\nThanks, see you, bye",
        # a line of another shape ends the table
        "first_name,last_name\n\nAnna, the new intern, starts Monday.",
    ],
)
def test_other_tables_and_prose_pass(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Hoja de transferencias (beneficiario | IBAN | importe | concepto):\n"
        "Aitziber Zubizarreta Goikoetxea | ES90 5404 4246 8832 6438 4873 | 1.180,00 | Nómina\n"
        "Ionuț Popescu | RO45 BTRL 3753 2969 6017 7803 | 940,50 | Nómina marzo\n"
        "Xosé Manuel Outeiro Lamas | ES67 2993 9953 9796 5476 2432 | 1.620,25 | Nómina",
        "Distinta bonifici da autorizzare (beneficiario;IBAN;importo;causale)\n"
        "Aitziber Zubizarreta Goikoetxea;ES90 5404 4246 8832 6438 4873;1.180,00;Stipendio\n"
        "Ionuț Popescu;RO45 BTRL 3753 2969 6017 7803;940,50;Consulenza\n"
        "Xosé Manuel Outeiro Lamas;ES67 2993 9953 9796 5476 2432;1.620,25;Rimborso",
    ],
)
def test_a_header_in_parentheses_before_a_headerless_table_of_payees(text: str) -> None:
    people = [value for entity, value in _found(text) if entity == "PERSON"]
    assert people == [
        "Aitziber Zubizarreta Goikoetxea",
        "Ionuț Popescu",
        "Xosé Manuel Outeiro Lamas",
    ]


def test_a_payee_column_of_firms_names_no_one() -> None:
    text = (
        "Empfänger|IBAN|Betrag\n"
        "Stadtwerke München GmbH|DE12 7626 8657 7544 5064 05|438,17\n"
        "Allianz Versicherung|DE12 5392 7459 5444 0509 27|2.100,00"
    )
    assert _found(text) == []


def test_where_each_person_of_a_table_works_is_theirs() -> None:
    text = (
        "| Name | Start | Standort | Pate |\n|---|---|---|---|\n"
        "| Tran Thi Mai | 01.06. | Nürnberg | Felix |\n"
        "| Krzysztof Nowak | 15.06. | Homeoffice (Kassel) | Glück |"
    )
    found = _found(text)
    assert ("LOCATION", "Nürnberg") in found
    assert ("LOCATION", "Homeoffice (Kassel)") in found


def test_a_table_of_sites_without_people_names_no_one() -> None:
    text = (
        "| Site | Office | Headcount |\n|---|---|---|\n"
        "| Lyon | Part-Dieu | 120 |\n| Lille | Euralille | 80 |"
    )
    assert _found(text) == []

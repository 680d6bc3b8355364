"""Personal data in the columns of a pasted table: a CSV or semicolon export, a tab-separated
sheet, a Markdown table. Its header names what each column holds ("full_name", "dob",
"fecha_nac", "comune_residenza"); the cells under a person's, a birth date's, a town's or an
address's header are that data, whatever they look like.

Exports are how HR, support and sales paste records into a prompt, and their cells carry no
cue a sentence would: "Aarav Mehta,1987-06-21,Leicester" is a name, a birth date and a
home town only because of the line above it. The header is matched whole (after case,
accents, spaces and separators are folded), in EN/FR/DE/ES/IT; a table is the header and
the lines after it with as many cells, up to a blank line or a line of another shape. A
sentence may give the header of the lines after it in parentheses ("Distinta bonifici
(beneficiario;IBAN;importo;causale)").
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.name_index import (
    is_first_name,
    is_unambiguous_first_name,
    without_accents,
)

SCORE = 0.85


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Headers, folded (`_fold`), by the type of their cells. "name" alone may head products, so
# it counts only in a table whose rows are people (`_column_types`).
_HEADERS: dict[str, frozenset[str]] = {
    "PERSON": _words(
        """full_name fullname first_name firstname last_name lastname surname given_name
        family_name forename employee_name customer_name client_name patient_name
        contact_name person prenom nom_complet nom_prenom prenom_nom vorname
        nachname familienname vollstandiger_name apellido apellidos
        nombre_completo primer_apellido segundo_apellido cognome nome_completo
        nominativo"""
    ),
    "DATE_OF_BIRTH": _words(
        """dob d_o_b date_of_birth birth_date birthdate birthday born date_naissance
        date_de_naissance naissance ddn geburtsdatum geb_datum geburtstag geboren
        fecha_nac fecha_nacimiento fecha_de_nacimiento f_nac nacimiento data_nascita
        data_di_nascita nascita"""
    ),
    "LOCATION": _words(
        """home_town hometown city town city_of_residence place_of_birth birthplace birth_place
        ville commune ville_residence lieu_naissance lieu_de_naissance wohnort stadt
        geburtsort wohnsitz localidad ciudad municipio lugar_nacimiento
        lugar_de_nacimiento comune comune_residenza comune_di_residenza citta
        luogo_nascita luogo_di_nascita residenza ort location home residence
        domicile lieu lieu_de_residence herkunft origen provenienza
        standort arbeitsort einsatzort dienstort sede site office bureau buro ufficio oficina
        work_location workplace place_of_work lieu_de_travail luogo_di_lavoro
        centro_de_trabajo centro_trabajo
        lives_in living_in based_in wohnt_in wohnt_jetzt_in lebt_in wohnhaft_in
        travelling_from traveling_from coming_from comes_from arriving_from anreise_aus
        anreise_von kommt_aus vient_de venant_de arrive_de viene_de procedencia
        procedente_de viene_da arriva_da proviene_da procedenza provenance sale_a
        destination destino destinazione reiseziel"""
    ),
    "ADDRESS": _words(
        """address home_address street_address street adresse adresse_postale rue anschrift strasse
        adresse_privee direccion domicilio calle indirizzo via residenza_indirizzo"""
    ),
    "NRP": _words(
        """nationality citizenship nationalite citoyennete nationalitat staatsangehorigkeit
        staatsburgerschaft nacionalidad ciudadania nazionalita cittadinanza religion
        religione religion_confession konfession religionszugehorigkeit confession"""
    ),
    "LICENSE_PLATE": _words(
        """plate plates license_plate licence_plate number_plate numberplate registration
        vehicle_registration reg reg_no vrm kennzeichen kfz_kennzeichen nummernschild
        immatriculation plaque plaque_d_immatriculation matricula targa car_reg car_registration
        car_reg_no vehicle_reg reg_number registration_number car_plate vehicle_plate
        fahrzeug_kennzeichen auto_kennzeichen amtliches_kennzeichen plaque_vehicule
        immatriculation_vehicule matricula_vehiculo matricula_coche targa_veicolo targa_auto"""
    ),
    "PHONE_NUMBER": _words(
        """phone telephone tel mobile cell phone_number mobile_number telephone_portable portable
        telefon handy telefonnummer mobilnummer telefono movil celular cellulare
        numero_di_telefono"""
    ),
}
# Where a person works is theirs too ("| Name | Start | Standort |", "| Nombre | Sede |"): a
# workplace column counts, as a town's does, only in a table whose rows are people.
# "name", "nom", "nombre", "nome": a person's only in a table whose rows are people.
_BARE_NAME = frozenset({"name", "nom", "nombre", "nome", "names", "nominativo"})
# Headers of a column of people by their role ("Candidate", "Bewerber", "Mieter"), and bare
# "Name" headers: a person's column when most of its cells are names (`_names_column`), which
# also makes the table's rows people ("| Name | Wohnort |", "| Candidate | Location |").
_ROLE_HEADERS = (
    _words(
        """candidate candidates applicant employee employees staff member members participant
    participants guest guests tenant tenants customer client patient resident
    candidat candidate_e salarie salariee employe collaborateur locataire invite
    bewerber bewerberin kandidat kandidatin mitarbeiter mitarbeiterin teilnehmer
    teilnehmerin mieter mieterin gast kunde kundin patientin
    candidato candidata empleado empleada trabajador participante inquilino invitado
    paciente dipendente collaboratore partecipante ospite cliente paziente
    visitor visitors host visiteur visiteuse hote besucher besucherin gastgeber visitante
    visita_a anfitrion visitatore visitatrice contact contacto contatto ansprechpartner
    interlocuteur referente kontakt
    payee beneficiary beneficiaire beneficiario empfanger zahlungsempfanger begunstigter
    destinatario account_holder kontoinhaber titulaire titular intestatario
    student students trainee intern apprentice etudiant etudiante stagiaire apprenti
    schuler schulerin praktikant praktikantin azubi estudiante alumno alumna becario
    becaria studente studentessa tirocinante stagista family famille familie familia
    famiglia driver fahrer fahrerin conducteur conductrice chauffeur conductor conductora
    conducente autista"""
    )
    | _BARE_NAME
)
# Role headers whose column may hold a place or a desk instead of a person, written in
# lower case ("Visita a: recepción", "Contact: accueil"); a "Name" or a login's column's
# lower-case cells are names still ("martin", "jlsoto").
_ROLE_ONLY = _ROLE_HEADERS - _BARE_NAME
# A login's column ("usuario", "username", "Benutzer"): a person's, in a table whose rows
# are people, as a "Name" column is.
_LOGIN_HEADERS = _words(
    """user username user_name login userid user_id usuario nombre_de_usuario utilisateur
    identifiant login_name benutzer benutzername benutzerkennung utente nome_utente"""
)
_SEPARATORS = (";", "\t", "|", ",")
# A sentence that announces a headerless table gives its header in parentheses at its end:
# "Hoja de transferencias (beneficiario | IBAN | importe | concepto):".
_HEADER_IN_PARENTHESES = re.compile(r"\((?P<header>[^()\n]*[;|\t][^()\n]*)\)[ \t]*:?[ \t]*$")
_DIVIDER = re.compile(r"^[ \t|:\-+]+$")  # a Markdown table's line under its header


# SQL: an INSERT's column list, a statement that compares or sets columns, one such pair.
_SQL_INSERT = re.compile(
    r"(?i:insert[ \t]+into)[ \t]+[\w.`\"\[\]]+[ \t]*\((?P<columns>[\w ,`\"\[\]]{1,400})\)"
    r"\s*(?i:values)\s*"
)
_SQL_STATEMENT = re.compile(r"(?i:\b(?:update|select|delete)\b)[^;]{1,2000}")
_SQL_PAIR = re.compile(r"(?P<column>\w+)[ \t]*=[ \t]*'(?P<value>(?:[^'\n]|'')*)'")
_SQL_MAX_ROWS = 1000


# One value of a tuple and what ends it: a quoted string ('' escapes a quote) or a bare token.
_SQL_VALUE = re.compile(r"\s*(?:'(?P<quoted>(?:[^']|'')*)'|(?P<bare>[^,)\n']*?))\s*(?P<end>[,)])")
_SQL_ROW_START = re.compile(r"[\s,]*\(")


def _sql_tuples(text: str, position: int) -> list[list[tuple[int, int]]]:
    """The value spans of each `(…)` tuple of an INSERT's VALUES from `position`: inside
    the quotes of a quoted value, the token itself otherwise. A malformed tuple ends it."""
    rows: list[list[tuple[int, int]]] = []
    timeout = regex_limits.seconds()
    while len(rows) < _SQL_MAX_ROWS:
        opening = _SQL_ROW_START.match(text, position, timeout=timeout)
        if opening is None:
            return rows
        position = opening.end()
        row: list[tuple[int, int]] = []
        while True:
            value = _SQL_VALUE.match(text, position, timeout=timeout)
            if value is None:
                return rows
            group = "quoted" if value.group("quoted") is not None else "bare"
            row.append(value.span(group))
            position = value.end()
            if value.group("end") == ")":
                rows.append(row)
                break
    return rows


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int


def _fold(header: str) -> str:
    """A header as `_HEADERS` lists it: case, accents, separators and a qualifier in
    parentheses folded away ("Name (damals)" is "name", "Wohnt jetzt in" "wohnt_jetzt_in")."""
    header = _NOTE.sub(" ", header)
    folded = without_accents(header.strip().strip("\"'*").casefold())
    return "_".join(re.split(r"[\s.,&+\-/_]+", folded)).strip("_")


def _split(line: str, separator: str) -> list[str]:
    """`line` split at `separator`, not inside a CSV field's double quotes ('LK10 XRT,
    "NAKAMURA, Kenji",09:05'); each piece as long as it is written, quotes included."""
    if separator not in ",;" or '"' not in line:
        return line.split(separator)
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _cells(line: str, offset: int, separator: str) -> list[_Cell]:
    """The cells of `line` (at `offset` in the text), trimmed of spaces and quotes; a
    Markdown table's outer pipes are no cells."""
    cells = []
    start = 0
    pieces = _split(line, separator)
    if separator == "|" and line.strip().startswith("|"):
        start = line.index("|") + 1
        pieces = line[start:].rstrip().removesuffix("|").split("|")
    for piece in pieces:
        left = len(piece) - len(piece.lstrip(" \t\"'"))
        right = len(piece.rstrip(" \t\"'"))
        cells.append(_Cell(offset + start + left, offset + start + max(left, right)))
        start += len(piece) + 1
    return cells


# The words a header joining a name's parts is made of ("Cognome Nome", "Apellidos, nombre",
# "Nom et prénom", "Last name / First name", "Name, Vorname"): with one of them a family or
# a first name's word (not "name" alone, a product's too), the column is a person's.
_NAME_PART_CUES = _words(
    """cognome cognomi apellido apellidos prenom prenoms vorname vornamen nachname
    familienname surname surnames forename first last given family firstname lastname"""
)
_NAME_PART_WORDS = _NAME_PART_CUES | _BARE_NAME | _words("nomi nombres noms e y et und and")
# The words of a birth date's header with an abbreviation ("F. nacimiento", "Data nasc.",
# "Geb.-Datum", "Date of birth"): one names the birth, the others are dates' words.
_BIRTH_WORDS = _words("nacimiento nac nascita nasc naissance birth geburt geb geboren")
# A column of birth dates may be headed "born on" ("Nata/o il", "Geboren am", "Né(e) le",
# "Nacido/a el", "Born on"): a participle and the word of a date ("il", "am"), not of a
# place ("Nato a", "born in" head birthplaces).
_BORN_WORDS = _words("nato nata nati ne nee nacido nacida born geboren")
_ON_WORDS = _words("il am le el on")
_BIRTH_HEADER_WORDS = (
    _BIRTH_WORDS
    | _BORN_WORDS
    | _ON_WORDS
    | _words("f fecha fec data date d dt datum de di of du der ddn dob a o e")
)


def _header_type(header: str) -> str | None:
    """The type of a column from its folded header: a listed header, or one made of a
    name's parts or of a birth date's words (`_NAME_PART_WORDS`, `_BIRTH_HEADER_WORDS`)."""
    for entity, names in _HEADERS.items():
        if header in names:
            return entity
    parts = set(header.split("_"))
    if len(parts) >= 2 and parts <= _NAME_PART_WORDS and parts & _NAME_PART_CUES:
        return "PERSON"
    if (
        len(parts) >= 2
        and parts <= _BIRTH_HEADER_WORDS
        and (parts & _BIRTH_WORDS or (parts & _BORN_WORDS and parts & _ON_WORDS))
    ):
        return "DATE_OF_BIRTH"
    return None


def _column_types(headers: list[str], rows: list[list[str]]) -> dict[int, str]:
    """The type of each personal column. A table's rows are people only if a column says
    so (a person's name or birth date), or if a "Name" or role column holds names (`rows`
    are the cells' texts): a list of stores with a "City" or "Name" column is business
    data."""
    types = {}
    for index, header in enumerate(headers):
        entity = _header_type(header)
        if entity is not None:
            types[index] = entity
    named = [
        index
        for index, header in enumerate(headers)
        if header in _ROLE_HEADERS and _names_column([row[index] for row in rows])
    ]
    if not {"PERSON", "DATE_OF_BIRTH"} & set(types.values()) and not named:
        return {}
    for index, header in enumerate(headers):
        if header in _BARE_NAME or header in _LOGIN_HEADERS or index in named:
            types[index] = "PERSON"
    return types


def _names_column(cells: list[str]) -> bool:
    """Most cells are a name of two to four words: capitalised, one a listed first name that
    is no common English word ("Nguyen Thi Mai", "Amara Conteh"), or typed in lower case, one
    a first name that is a common word of no language ("joão pereira"); a product's or a
    store's column is not ("Store Alpha", "Outlet Mercure", "rosa antico")."""
    if not cells:
        return False
    names = 0
    for cell in cells:
        words = cell.split()
        if any(char.isdigit() for char in cell):
            continue
        if (
            2 <= len(words) <= 4
            and all(word[:1].isupper() or word in _PARTICLES for word in words[1:-1])
            and words[0][:1].isupper()
            and words[-1][:1].isupper()
        ):
            names += any(is_first_name(word, "en") for word in words)
        elif 2 <= len(words) <= 4 and _a_typed_name(cell):
            names += 1  # a CRM export's hand-typed cells ("joão pereira", "claire dubois-martin")
        elif len(words) == 1 and is_unambiguous_first_name(words[0]):
            names += 1  # a first name alone, as a family's or a team's list writes it ("Josiane")
        else:
            names += _a_guest_list_name(cell)
    return names * 3 >= len(cells) * 2


# Particles inside a name ("Joost van Dijk", "Maarten de Boer", "Ana dos Santos").
_PARTICLES = frozenset(
    {"van", "de", "der", "den", "von", "zu", "da", "di", "del", "della", "dos", "das", "du",
     "la", "le", "ten", "ter", "al", "el", "bin", "ben", "y"}
)  # fmt: skip
# A guest list's or a register's cell around its name: a note in parentheses, a relation or
# a title in lower case before it, a second person after a conjunction ("Abdou Ndiaye
# (compañero de trabajo)", "tía Reme", "suor Benedetta", "padrinos Jesús y Mari Paz",
# "Crescenzo Leone e moglie Addolorata").
_NOTE = re.compile(r"\([^()\n]*\)")
_LOWER_LEAD = re.compile(r"^(?:\p{Ll}[\p{L}.]*[ \t]+){1,2}(?=\p{Lu})")
_AND = re.compile(r"[ \t]+(?:e|y|und|et|and|&)[ \t]+")


def _a_guest_list_name(cell: str) -> bool:
    """The cell's first person, once its note, its lower-case relation or title and what
    follows a conjunction are set aside, is two to four capitalised words (one after a
    relation or a title), one of them a first name that is no common English word."""
    bare = _NOTE.sub("", cell).strip()
    unled = _LOWER_LEAD.sub("", bare)
    words = _AND.split(unled, maxsplit=1)[0].split()
    fewest = 1 if unled != bare else 2  # "tía Reme": the relation vouches for a lone name
    return (
        fewest <= len(words) <= 4
        and all(word[:1].isupper() and _LETTERS.fullmatch(word) for word in words)
        and any(is_first_name(word, "en") for word in words)
    )


def _a_typed_name(cell: str) -> bool:
    """Two to four words of letters, one a first name that is a common word of no language:
    a name typed without capitals ("juan camilo restrepo"), not a desk ("recepción")."""
    words = cell.split()
    return (
        cell.islower()  # all of it: "Anna chair" is a product
        and 2 <= len(words) <= 4
        and all(_LETTERS.fullmatch(word) for word in words)
        and any(is_unambiguous_first_name(word) for word in words)
    )


_LETTERS = re.compile(r"\p{L}+(?:['\u2019\-]\p{L}+)*")


class TableColumnRecognizer(EntityRecognizer):
    """PERSON, DATE_OF_BIRTH, LOCATION, ADDRESS, NRP, PHONE_NUMBER: the cells under a header that
    names such a column (module docstring), score `SCORE`."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=list(_HEADERS),
            name="TableColumnRecognizer",
            supported_language=language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each non-empty cell of a personal column, in every table of `text`."""
        lines = [
            (match.start(), match.group())
            for match in re.finditer(r"[^\n]*", text, timeout=regex_limits.seconds())
            if match.group() or match.start() == 0
        ]
        results: list[RecognizerResult] = []
        index = 0
        while index < len(lines):
            index = self._table_at(text, lines, index, results)
        if "'" in text:
            self._sql(text, results)
        return results

    def _sql(self, text: str, results: list[RecognizerResult]) -> None:
        """The values of an SQL statement, typed by their columns as a table's cells are
        by its header: `INSERT INTO t (nombre, apellidos, …) VALUES ('…', '…'), (…)` and
        `SET email = '…' WHERE nombre = '…' AND apellidos = '…'`."""
        timeout = regex_limits.seconds()
        for insert in _SQL_INSERT.finditer(text, timeout=timeout):
            headers = [_fold(column) for column in insert.group("columns").split(",")]
            rows = [row for row in _sql_tuples(text, insert.end()) if len(row) == len(headers)]
            types = _column_types(headers, [[text[a:b] for a, b in row] for row in rows])
            for row in rows:
                for column, entity in types.items():
                    start, end = row[column]
                    if end > start and text[start:end].upper() != "NULL":
                        results.append(RecognizerResult(entity, start, end, SCORE))
        for statement in _SQL_STATEMENT.finditer(text, timeout=timeout):
            pairs = [
                (_fold(pair.group("column")), pair.span("value"))
                for pair in _SQL_PAIR.finditer(text, *statement.span(), timeout=timeout)
            ]
            types = _column_types(
                [column for column, _ in pairs], [[text[a:b] for _, (a, b) in pairs]]
            )
            for index, entity in types.items():
                start, end = pairs[index][1]
                if end > start:
                    results.append(RecognizerResult(entity, start, end, SCORE))

    def _table_at(
        self,
        text: str,
        lines: list[tuple[int, str]],
        index: int,
        results: list[RecognizerResult],
    ) -> int:
        """If a table's header is at `lines[index]`, add its personal cells to `results`;
        the index of the next line to look at."""
        offset, line = lines[index]
        announced = _HEADER_IN_PARENTHESES.search(line, timeout=regex_limits.seconds())
        if announced is not None:  # "Distinta bonifici (beneficiario;IBAN;importo):"
            offset, line = offset + announced.start("header"), announced.group("header")
        separator = next((sep for sep in _SEPARATORS if line.count(sep) >= 1), None)
        if separator is None:
            return index + 1
        header_cells = _cells(line, offset, separator)
        if len(header_cells) < 2:
            return index + 1
        row = index + 1
        if row < len(lines) and _DIVIDER.match(lines[row][1]):
            row += 1
        body: list[list[_Cell]] = []
        while row < len(lines) and lines[row][1].strip():
            cells = _cells(lines[row][1], lines[row][0], separator)
            if len(cells) != len(header_cells):
                break
            body.append(cells)
            row += 1
        headers = [_fold(text[c.start : c.end]) for c in header_cells]
        types = _column_types(headers, [[text[c.start : c.end] for c in cells] for cells in body])
        if not types:
            return index + 1
        for cells in body:
            for column, entity in types.items():
                cell = cells[column]
                value = text[cell.start : cell.end]
                if not value or not any(char.isalnum() for char in value):
                    continue
                if headers[column] in _ROLE_ONLY and value.islower() and not _a_typed_name(value):
                    continue  # "Visita a: recepción": a desk, not a host
                results.append(RecognizerResult(entity, cell.start, cell.end, SCORE))
        return row

"""Issue 9: birth dates in the forms records and dictation write them. After a birth phrase
the date pattern knew day-month-year with one separator, ISO dates, document months and
month names; it missed a German dictated date with spaces ("3. 8. 1988"), a year first
with dots ("1994.10.03"), a Roman month ("14.VII.1952") and an English ordinal with "of"
("3rd of June 1991"). A table column headed "born on" ("Nata/o il", "Geboren am", "Né(e)
le") held birth dates no header rule knew. The positive rows failed before this change;
the negative rows (the same forms without a birth phrase, a column of birthplaces headed
"Nato a") passed before and still do.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("de", "Pat. Vesna Kralj, 41 J., Geburtsdatum 7. 9. 1983, Krankenkasse TK", "7. 9. 1983"),
        (
            "it",
            "Nome e cognome: Karim Jaziri\nData nascita: 1991.04.27\nCittadinanza: tunisina",
            "1991.04.27",
        ),
        ("es", "Paciente: Remedios Calvo Ibarra · F. nac. 23.XI.1948 · Alergias: no", "23.XI.1948"),
        (
            "en",
            "Candidate: Obinna Eze\nDate of birth: 14th of October 1987\nReferences: on file",
            "14th of October 1987",
        ),
    ],
)
def test_a_birth_date_in_another_written_form_is_masked(
    presidio: PresidioDetector, language: str, text: str, date: str
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == [date]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Version 7. 9. 1983 des Handbuchs liegt im Archiv."),
        ("en", "Release 2024.10.03 shipped on the 14th of October 2024."),
        ("es", "El acta del 23.XI.1948 está en el archivo municipal."),
    ],
)
def test_the_same_forms_without_a_birth_phrase_pass(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == []


def test_a_column_headed_born_on_holds_birth_dates(presidio: PresidioDetector) -> None:
    text = (
        "Graduatoria supplenze:\n"
        "| Docente | Nata/o il | Punteggio |\n"
        "|---|---|---|\n"
        "| Deiana, Rita | 12/05/1984 | 44,0 |\n"
        "| Murru, Efisio | 30/10/1979 | 51,5 |\n"
    )
    assert masked(presidio, text, "it", "DATE_OF_BIRTH") == ["12/05/1984", "30/10/1979"]


def test_a_column_headed_born_in_holds_no_birth_dates(presidio: PresidioDetector) -> None:
    text = (
        "Elenco soci:\n"
        "| Socio | Nato a | Quota |\n"
        "|---|---|---|\n"
        "| Deiana, Rita | Nuoro | 2024 |\n"
        "| Murru, Efisio | Oristano | 2023 |\n"
    )
    assert masked(presidio, text, "it", "DATE_OF_BIRTH") == []

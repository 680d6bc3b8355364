"""Issue 9: a record's birth date under a key ('"birth_date": "1994-05-17"', 'date_naissance',
'fecha_nacimiento: …', 'data_nascita') or after Spanish "nac." is a date of birth; a query's
bound on a birth column ("WHERE date_naissance BETWEEN '2010-01-01' AND …") is no one's.
Fictitious records; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("en", '{"name": "Ilse Varga", "birth_date": "1994-05-17", "city": "Graz"}', "1994-05-17"),
        ("fr", '{"nom": "Varga", "date_naissance": "1991-03-02", "ville": "Metz"}', "1991-03-02"),
        ("es", "nombre: Lucía\nfecha_nacimiento: 1979-11-30\ndni: pendiente", "1979-11-30"),
        ("it", '  "nome": "Ilse Varga",\n  "data_nascita": "1987-02-19",', "1987-02-19"),
        ("es", "Pasajera 1: VARGA, Ilse · DNI pendiente · nac. 14/09/1972", "14/09/1972"),
    ],
)
def test_a_records_birth_date_is_one(
    presidio: PresidioDetector, language: str, text: str, date: str
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == [date]


def test_a_querys_bound_on_a_birth_column_is_no_ones(presidio: PresidioDetector) -> None:
    text = (
        "Corrige cette requête :\nSELECT nom FROM adherents\n"
        "WHERE date_naissance BETWEEN '2008-01-01' AND '2007-12-31';"
    )
    assert masked(presidio, text, "fr", "DATE_OF_BIRTH") == []

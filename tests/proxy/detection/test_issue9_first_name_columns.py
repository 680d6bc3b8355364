"""Issue 9: a table whose contact column holds first names alone ("| Contact | Vient de |
… | Ghislaine | Rodez |").

A role column ("Contact", "Guest", "Kunde") makes a table's rows people only when most of
its cells are names, and a cell of one word counted as none: a family's list, which names
people by their first name, left its towns and phones at their weaker scores (the place
went out; the positive row failed before this change). A first name that is a word of no
language now counts. A role column of products or plans ("| Contact | Plan |" with
"Starter", "Business") makes no one a person (that row passed before and still does).

Names, towns and numbers are fictitious and our own.
"""

from __future__ import annotations

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_a_column_of_first_names_makes_the_rows_people(presidio: PresidioDetector) -> None:
    text = (
        "Fête de famille \u2013 qui vient ?\n\n"
        "| Contact | Vient de | Adultes | Portable |\n"
        "|---|---|---|---|\n"
        "| Ghislaine | Rodez | 2 | 06 21 48 73 90 |\n"
        "| Aurélien | Figeac | 1 | 07 52 18 64 03 |\n"
        "| Maëlys | Cahors | 3 | 06 74 90 12 35 |"
    )
    assert masked(presidio, text, "fr", "LOCATION") == ["Cahors", "Figeac", "Rodez"]


def test_a_column_of_plans_makes_no_one_a_person(presidio: PresidioDetector) -> None:
    text = (
        "| Contact | Plan | Price |\n|---|---|---|\n"
        "| Starter | Basic | £9 |\n| Business | Pro | £29 |\n| Enterprise | Plus | £99 |"
    )
    assert masked(presidio, text, "en", "PERSON", "LOCATION") == []

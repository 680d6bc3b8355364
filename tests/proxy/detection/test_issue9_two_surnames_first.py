"""Issue 9: a register's entry with two surnames before the first name, as Spanish and
Portuguese registers write it ("PEÑALVER ROCA, Inmaculada").

Surname-first entries of a list were found with one surname only, so a Spanish owner's
whole name went out (the positive rows failed before this change). A pair of names that
starts with a first name is a figure's name and another one, not a register's entry
("Peter Pan, Wendy"): that row passed before and still does.

Names are fictitious and our own.
"""

from __future__ import annotations

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_two_surnames_then_a_first_name_in_a_list_are_masked(presidio: PresidioDetector) -> None:
    text = (
        "Trasteros del edificio:\n"
        "Trastero 4 \u2013 PEÑALVER ROCA, Inmaculada (2.º B)\n"
        "Trastero 9 \u2013 ARREGUI SALAZAR, Fermín (5.º A)\n"
        "Trastero 11 \u2013 libre"
    )
    assert masked(presidio, text, "es", "PERSON") == [
        "ARREGUI SALAZAR, Fermín",
        "PEÑALVER ROCA, Inmaculada",
    ]


def test_a_figure_and_a_first_name_are_no_entry(presidio: PresidioDetector) -> None:
    text = "Shortlist for the meeting rooms: Peter Pan, Wendy, Atlas and Pandora."
    assert "Peter Pan, Wendy" not in masked(presidio, text, "en", "PERSON")

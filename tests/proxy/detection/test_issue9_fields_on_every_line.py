"""Issue 9: the rule for a name as any form field's value ("Revisore: Chidi Okonkwo") reads
every line of a form, not only its last.

Its pattern ended a field's value at `$` outside multi-line mode, that is only at the end of
the text: a field followed by another line ("Revisore: …\\nScadenza: venerdì") never matched,
and the name was left to rules of weaker evidence (0.65) or to none. The rows below failed
before this change; a field whose value is no name stays unmatched (the last test).

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.people import NameCueRecognizer


def _field_names(language: str, text: str) -> list[tuple[str, float]]:
    """What the field rule alone finds (the other rules of the recognizer aside)."""
    recognizer = NameCueRecognizer(language)
    return [
        (text[r.start : r.end], r.score)
        for r in recognizer._after_a_phrase(text, language)  # the rule itself
    ]


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Revisore: Chidi Okonkwo\nScadenza: venerdì", "Chidi Okonkwo"),
        ("de", "Vertretung: Wojciech Szczęsny\nFrist: Freitag", "Wojciech Szczęsny"),
        ("en", "Reviewer: Kwabena Asante\nDue: Friday", "Kwabena Asante"),
    ],
)
def test_a_field_followed_by_another_line_is_read(language: str, text: str, name: str) -> None:
    assert (name, 0.7) in _field_names(language, text)


def test_a_field_that_holds_no_name_stays_unmatched() -> None:
    assert _field_names("en", "Status: Open Issue\nDue: Friday") == []

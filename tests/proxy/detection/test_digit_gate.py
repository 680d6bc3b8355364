"""The digit gate (issue 13): the run of digits a pattern needs, read from its regex, is a
run every match has; a gated pattern finds what the regex finds, and skips texts without
such a run."""

from __future__ import annotations

import random

import pytest
import regex as re

from proxy.detection import digit_gate
from proxy.detection.digit_gate import DigitGated, longest_digit_run, min_digit_run
from proxy.detection.national_ids import NATIONAL, PAN_LOW_REGEX, _patterns_of

FLAGS = re.DOTALL | re.MULTILINE | re.IGNORECASE


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\b[0-9]{9}\b", 9),
        (r"\b([0-9]{3})-([0-9]{2})-([0-9]{4})\b", 4),  # separators break the run
        (r"\b([0-9]{3})[- ]?([0-9]{3})[- ]?([0-9]{4})\b", 4),  # ... even when optional
        (r"\b[12]\d{9}\b", 10),  # classes of digits and \d join one run
        (r"(?<!\d)\d{2}(0[1-9]|1[0-2])(-?)[1-4]\d{6}(?!\d)", 7),  # lookarounds add none
        (r"\b\d{8}[A-Z]\b|\b\d{9}[A-Z]\b|\b[TSR]\d{2}[A-Z]{2}\d{4}[A-Z]\b", 4),  # fewest
        (r"\d{2,3}/\d{3,4}/\d{4,5}", 4),  # a range counts its minimum
        (r"(?:12)+x", 2),
        (r"(?:12)*x", 0),
        (r"\b(?i)[A-Z]{2}\d{7}\b", 7),  # a global flag after the start
        (r"(\d)\1\d", 1),  # a back-reference is something unknown
        (PAN_LOW_REGEX, 4),  # a lookahead the text must match: four digits after the value
        (r"[A-Z]{3}", 0),
        (r"(?P<x", 0),  # unreadable: no gate
    ],
)
def test_min_digit_run_reads_the_run_from_the_regex(pattern: str, needs: int) -> None:
    assert min_digit_run(pattern) == needs


def test_longest_digit_run_counts_unicode_digits() -> None:
    assert longest_digit_run("tel 06 12, ref 123456-78") == 6
    assert longest_digit_run("\u0661\u0662\u0663\u0664 and 12") == 4  # Arabic-Indic digits
    assert longest_digit_run("no digits") == 0


def _national_patterns() -> list[str]:
    return sorted({p.regex for spec in NATIONAL.values() for p in _patterns_of(spec.recognizer())})


@pytest.mark.parametrize("seed", range(3))
def test_every_match_of_every_national_pattern_has_the_run_it_needs(seed: int) -> None:
    """Random texts made of the pieces identifiers are made of: whenever a pattern matches,
    the text has a run at least as long as the gate asks for."""
    rng = random.Random(seed)
    pieces = ["1", "23", "456", "7890", "12345", " ", "-", "/", "A", "T", "ab", "U1", "9", "+"]
    checked = 0
    for regex in _national_patterns():
        compiled = re.compile(regex, FLAGS)
        needs = min_digit_run(regex)
        for _ in range(300):
            text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
            if compiled.search(text):
                checked += 1
                assert longest_digit_run(text) >= needs, (regex, text)
    assert checked > 200


def test_a_gated_regex_skips_short_runs_and_finds_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    regex = r"\b[0-9]{9}\b"
    gated = DigitGated(re.compile(regex, FLAGS), min_digit_run(regex))
    calls: list[str] = []

    class Spy:
        def finditer(self, text: str, timeout: float | None = None) -> object:
            calls.append(text)
            return re.compile(regex, FLAGS).finditer(text, timeout=timeout)

    monkeypatch.setattr(gated, "compiled", Spy())
    assert list(gated.finditer("call 06 12 34 56 78 or 12345678")) == []
    assert calls == []  # not scanned
    assert [m.span() for m in gated.finditer("SSN 123456789.")] == [(4, 13)]


def test_national_recognizers_are_gated() -> None:
    from proxy.detection.national_ids import calibrated  # noqa: PLC0415

    recognizer = calibrated("AU_ABN", "en")
    assert all(isinstance(p.compiled_regex, DigitGated) for p in recognizer.patterns)
    assert recognizer.analyze("ABN 51 824 753 556 and 51824753556", ["AU_ABN"])
    assert digit_gate.longest_digit_run("ABN 51 824 753 556") == 3

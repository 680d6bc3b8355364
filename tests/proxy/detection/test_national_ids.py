"""National identifiers cost what they must (issue 13): India's "PAN (Low)" regex in linear
time with exactly Presidio's matches, context phrases compiled once per recognizer."""

from __future__ import annotations

import random

import pytest
import regex as re
from presidio_analyzer.predefined_recognizers import InPanRecognizer

from proxy.detection import national_ids
from proxy.detection.digit_gate import DigitGated
from proxy.detection.national_ids import PAN_LOW_REGEX, FastPanLow, calibrated

FLAGS = re.DOTALL | re.MULTILINE | re.IGNORECASE
ALPHABET = "aZk0123456789 \n-@#_.,\u017f\u212a\u00e9"


def test_presidios_pan_low_regex_is_the_one_replaced() -> None:
    assert PAN_LOW_REGEX in [p.regex for p in InPanRecognizer.PATTERNS]


@pytest.mark.parametrize("seed", range(20))
def test_fast_pan_low_matches_what_presidios_regex_matches(seed: int) -> None:
    rng = random.Random(seed)
    original = re.compile(PAN_LOW_REGEX, FLAGS)
    fast = FastPanLow(FLAGS)
    for _ in range(200):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 80)))
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in original.finditer(text)
        ], text


def test_the_calibrated_pan_recognizer_uses_it_with_the_same_results() -> None:
    recognizer = calibrated("IN_PAN", "en")
    compiled = [p.compiled_regex for p in recognizer.patterns if p.regex == PAN_LOW_REGEX]
    assert len(compiled) == 1
    assert isinstance(compiled[0], DigitGated)  # digit_gate.py: it needs four digits
    assert isinstance(compiled[0].compiled, FastPanLow)
    text = "PAN card ABCDE1234F, ref a1b2c31234z, old pan 1234567890 and ab12345678"
    fast = recognizer.analyze(text, ["IN_PAN"])
    for pattern in recognizer.patterns:
        pattern.compiled_regex = None  # Presidio compiles its own regex again
    assert [(r.start, r.end, r.score) for r in fast] == [
        (r.start, r.end, r.score) for r in recognizer.analyze(text, ["IN_PAN"])
    ]
    assert any(r.score < national_ids.WEAK for r in fast)  # the weak pattern matched


def test_the_self_check_refuses_a_disagreeing_equivalent(monkeypatch: pytest.MonkeyPatch) -> None:
    class Wrong(FastPanLow):
        def finditer(self, text: str, timeout: float | None = None):  # type: ignore[no-untyped-def]
            yield from list(super().finditer(text, timeout))[1:]

    monkeypatch.setattr(national_ids, "FastPanLow", Wrong)
    with pytest.raises(RuntimeError, match="disagrees"):
        national_ids.check_fast_patterns.__wrapped__(FLAGS)


def test_context_phrases_are_compiled_once_per_recognizer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recognizer = calibrated("US_BANK_NUMBER", "en")

    def compile_again(phrases: object) -> None:
        raise AssertionError("context phrases compiled on a call")

    monkeypatch.setattr(national_ids, "phrase_pattern", compile_again)
    found = recognizer.analyze("Account number: 12345678901, and 98765432109", ["x"])
    assert [(r.start, r.end) for r in found] == [(16, 27)]

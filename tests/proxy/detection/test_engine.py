"""Engine-level guarantees that need no model: regex timeouts fail instead of skipping,
and what the engine says it can detect is what policies can name."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator

import pytest
from presidio_analyzer import Pattern, PatternRecognizer

from proxy.detection import engine
from proxy.detection.engine import (
    PRESIDIO_LOGGER,
    RegexTimeoutError,
    install_regex_timeout_trap,
)
from proxy.detection.entities import SUPPORTED_ENTITIES
from proxy.detection.pool import PresidioDetector

# Catastrophic backtracking: exponential on a run of "a" that does not end the text.
EVIL = Pattern("evil", r"(a|aa)+$", 0.5)
EVIL_TEXT = "a" * 40 + "b"
_TIMEOUT_MODULES = (
    "presidio_analyzer.pattern_recognizer",
    "presidio_analyzer.predefined_recognizers.generic.iban_recognizer",
    "presidio_analyzer.analyzer_engine",
)
# Every module whose limit the trap sets, Voile's own included: restored after each test.
_RESTORED_MODULES = (*_TIMEOUT_MODULES, "proxy.detection.regex_limits")


@pytest.fixture
def presidio_state() -> Iterator[None]:
    """Restore what `install_regex_timeout_trap` changes in this (test) process."""
    logger = logging.getLogger(PRESIDIO_LOGGER)
    saved_logger = (list(logger.handlers), logger.level, logger.propagate)
    modules = [importlib.import_module(name) for name in _RESTORED_MODULES]
    saved_limits = [module.__dict__["REGEX_TIMEOUT_SECONDS"] for module in modules]
    yield
    logger.handlers[:], logger.level, logger.propagate = saved_logger
    for module, limit in zip(modules, saved_limits, strict=True):
        module.__dict__["REGEX_TIMEOUT_SECONDS"] = limit


@pytest.mark.usefixtures("presidio_state")
def test_presidio_alone_silently_skips_a_regex_that_times_out() -> None:
    """Why the trap exists: Presidio logs the timeout and returns a partial (empty) result."""
    importlib.import_module(_TIMEOUT_MODULES[0]).__dict__["REGEX_TIMEOUT_SECONDS"] = 0.05
    logging.getLogger(PRESIDIO_LOGGER).handlers[:] = [logging.NullHandler()]
    recognizer = PatternRecognizer("EVIL", patterns=[EVIL])
    assert recognizer.analyze(EVIL_TEXT, ["EVIL"]) == []


@pytest.mark.usefixtures("presidio_state")
def test_trap_turns_a_regex_timeout_into_an_error() -> None:
    install_regex_timeout_trap(0.05)
    recognizer = PatternRecognizer("EVIL", patterns=[EVIL])
    with pytest.raises(RegexTimeoutError, match="timed out"):
        recognizer.analyze(EVIL_TEXT, ["EVIL"])


@pytest.mark.usefixtures("presidio_state")
def test_trap_bounds_every_presidio_regex_limit() -> None:
    install_regex_timeout_trap(2.5)
    for name in _TIMEOUT_MODULES:
        assert importlib.import_module(name).__dict__["REGEX_TIMEOUT_SECONDS"] == 2.5


@pytest.mark.usefixtures("presidio_state")
def test_trap_swallows_other_presidio_records_which_may_quote_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    install_regex_timeout_trap(1.0)
    logging.getLogger(PRESIDIO_LOGGER).error("Failed to validate text %s", "FR76 3000 6000")
    assert "FR76" not in capsys.readouterr().err


def test_analyze_batch_refuses_before_init() -> None:
    with pytest.raises(RuntimeError, match="before init_worker"):
        engine.analyze_batch(["hello"], ["en"])


def test_supported_entities_is_what_the_running_engine_reports(
    presidio: PresidioDetector,
) -> None:
    reported = presidio.supported_entities
    assert set(reported) == set(presidio.languages)
    assert set().union(*reported.values()) == SUPPORTED_ENTITIES
    # The French model has no NORP or DATE labels; dates still come from patterns and
    # nationalities from labels ("Nationalité : …"), in every language.
    assert reported["fr"] == SUPPORTED_ENTITIES
    assert reported["en"] == SUPPORTED_ENTITIES

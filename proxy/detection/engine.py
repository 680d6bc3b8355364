"""The detection engine as it runs inside a worker process.

`init_worker` (the pool's initializer) builds one Presidio `AnalyzerEngine` per process
(`analyzer.build_analyzer`) and checks it; `analyze_batch` is the only task the pool runs.
This module imports neither Presidio nor spaCy at module level: the proxy's main process
imports it (to name these functions to the pool, and for `SUPPORTED_ENTITIES`) and should
not pay for them (about 1.3 s and 100 MB); only workers need them.

Two Presidio behaviours are changed here, both to fail closed:
- a regex that times out is logged and *skipped* by Presidio, which would return a partial
  result; here its log record raises `RegexTimeoutError` instead, aborting the batch;
- the per-regex time limit (60 s by default) is lowered to the request timeout (at least
  1 s), so a pathological text cannot keep a worker busy for minutes after its request
  was refused.
Presidio's other log records are dropped in workers: some carry the matched text.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from proxy.detection.language import pick_language
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis, DetectionError, Finding

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

# Every entity type the engine can produce, for policies to name. `test_engine` checks that
# it equals what the built engine reports for the configured languages.
SUPPORTED_ENTITIES: frozenset[str] = frozenset(
    {
        "PERSON",  # spaCy NER (en, fr)
        "LOCATION",  # spaCy NER (en: GPE, LOC, FAC; fr: LOC)
        "ORGANIZATION",  # spaCy NER (en, fr)
        "NRP",  # nationality, religious or political group: spaCy NER (en only)
        "DATE_TIME",  # numeric date patterns (en, fr) and spaCy NER (en only)
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "IBAN_CODE",
        "CREDIT_CARD",
        "IP_ADDRESS",
        "URL",  # with a scheme only
        "FR_NIR",
        "FR_SIREN",
        "FR_SIRET",
    }
)

PRESIDIO_LOGGER = "presidio-analyzer"
MIN_REGEX_TIMEOUT_SECONDS = 1.0
# Presidio modules that read REGEX_TIMEOUT_SECONDS from the environment once, at import.
_REGEX_TIMEOUT_MODULES = (
    "presidio_analyzer.pattern_recognizer",
    "presidio_analyzer.predefined_recognizers.generic.iban_recognizer",
    "presidio_analyzer.analyzer_engine",
)
# Fixed, fictitious text that every worker must analyse correctly before it takes requests:
# it proves the models answer and the offline email validation works.
SELF_CHECK_TEXT = "Contact: voile.selfcheck@example.com"


class RegexTimeoutError(DetectionError):
    """A Presidio regex ran out of time: the analysis would have been partial."""


class _RegexTimeoutTrap(logging.Handler):
    """Raises where Presidio logs "regex timed out, skipping"; swallows every other record.

    Presidio catches the regex `TimeoutError` itself and only logs it (with `exc_info`), so
    its log call is the one place we can still interrupt. Raising from `emit` propagates
    through `logger.warning` (logging does not catch handler errors in `handle`).
    """

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is not None and isinstance(record.exc_info[1], TimeoutError):
            raise RegexTimeoutError("a detection pattern timed out; analysis would be partial")


def install_regex_timeout_trap(regex_timeout_seconds: float) -> None:
    """Make regex timeouts fatal and bounded in this process (see the module docstring)."""
    logger = logging.getLogger(PRESIDIO_LOGGER)
    logger.handlers[:] = [_RegexTimeoutTrap()]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    for name in _REGEX_TIMEOUT_MODULES:
        module = importlib.import_module(name)
        if not hasattr(module, "REGEX_TIMEOUT_SECONDS"):
            raise RuntimeError(f"{name}.REGEX_TIMEOUT_SECONDS is gone: review engine.py")
        module.__dict__["REGEX_TIMEOUT_SECONDS"] = regex_timeout_seconds


@dataclass(frozen=True, slots=True)
class _Worker:
    analyzer: AnalyzerEngine
    languages: tuple[str, ...]


_worker: _Worker | None = None  # one per process, built by init_worker


def init_worker(settings_dict: dict[str, Any]) -> None:
    """Pool initializer: build this process's engine, then check it on a known text."""
    global _worker  # noqa: PLW0603 - the per-process engine is what a pool initializer sets
    from proxy.detection.analyzer import build_analyzer  # noqa: PLC0415 - workers only

    settings = DetectionSettings.model_validate(settings_dict)
    install_regex_timeout_trap(max(MIN_REGEX_TIMEOUT_SECONDS, settings.timeout_seconds))
    _worker = _Worker(build_analyzer(settings), settings.languages)
    for language in settings.languages:
        found = analyze_batch([SELF_CHECK_TEXT], [language])[0].findings
        if not any(f.entity_type == "EMAIL_ADDRESS" for f in found):
            raise RuntimeError(f"detection self-check failed for language {language!r}")


def worker_entities() -> dict[str, frozenset[str]]:
    """Per language, the entity types this worker's engine can produce."""
    if _worker is None:
        raise RuntimeError("detection worker used before init_worker")
    return {
        language: frozenset(_worker.analyzer.get_supported_entities(language=language))
        for language in _worker.languages
    }


def analyze_batch(texts: Sequence[str], languages: Sequence[str]) -> list[Analysis]:
    """Analyse each text in the candidate language it most looks like (see language.py)."""
    if _worker is None:
        raise RuntimeError("detection worker used before init_worker")
    unsupported = [language for language in languages if language not in _worker.languages]
    if not languages or unsupported:
        raise ValueError(f"no detection model for language(s) {unsupported or 'none given'}")
    analyses = []
    for text in texts:
        language = pick_language(text, languages)
        results = _worker.analyzer.analyze(text=text, language=language)
        findings = sorted(
            (Finding(r.start, r.end, r.entity_type, float(r.score)) for r in results),
            key=lambda f: (f.start, f.end, f.entity_type),
        )
        analyses.append(Analysis(language=language, findings=tuple(findings)))
    return analyses

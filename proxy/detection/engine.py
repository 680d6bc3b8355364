"""The detection engine as it runs inside a worker process.

`init_worker` (run once by each worker, `worker.py`) builds one Presidio `AnalyzerEngine`
per process (`analyzer.build_analyzer`) and a language identifier, and checks them;
`analyze_batch` is the task workers run (on pieces of at most `chunk_chars`, see
`chunking.py`), and `propagate_batch` the one that follows for texts cut in several pieces.
For each text `analyze_batch`:
1. normalises it (`normalise.py`: NFKC, invisible characters, look-alike letters, spaced
   digits, written-out e-mails), keeping the map back to the original offsets;
2. cuts it into segments of one language each, among the policy's candidates (`language.py`);
3. analyses each segment with that language's recognizers (and model, if it has one), plus
   the policy's own recognizers (`custom.py`), then marks other occurrences of found names;
4. maps every finding back to the original text and drops those inside allow-listed values.
This module imports neither Presidio nor spaCy at module level, so importing it costs the
main process nothing (about 1.3 s and 100 MB otherwise); only workers load them. The entity
types it produces are listed in `entities.py`.

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

import regex as re

from proxy.detection import regex_limits
from proxy.detection.custom import AllowList, PolicyDetection
from proxy.detection.entities import MODEL_TYPES
from proxy.detection.normalise import normalise
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis, DetectionError, Finding

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts

    from proxy.detection.language import LanguageIdentifier

# Only findings at least this sure have their words marked elsewhere in the text.
PROPAGATION_MIN_SCORE = 0.6
# A plate at least this sure (the default policy's threshold) vouches for the same text's
# candidates of its shape (`identifiers.plates_of_the_same_shape`).
PLATE_MIN_SCORE = 0.5
_POLICY_CACHE_SIZE = 32

PRESIDIO_LOGGER = "presidio-analyzer"
MIN_REGEX_TIMEOUT_SECONDS = 1.0
# Presidio modules that read REGEX_TIMEOUT_SECONDS from the environment once, at import.
_REGEX_TIMEOUT_MODULES = (
    "presidio_analyzer.pattern_recognizer",
    "presidio_analyzer.predefined_recognizers.generic.iban_recognizer",
    "presidio_analyzer.analyzer_engine",
    "proxy.detection.regex_limits",
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


@dataclass(slots=True)
class _Worker:
    analyzer: AnalyzerEngine
    languages: tuple[str, ...]
    modelled: frozenset[str]
    identifier: LanguageIdentifier
    empty_artifacts: dict[str, NlpArtifacts]
    policies: dict[str, _PolicyRecognizers]


@dataclass(frozen=True, slots=True)
class _PolicyRecognizers:
    by_language: dict[str, list[EntityRecognizer]]
    allow_list: AllowList


_worker: _Worker | None = None  # one per process, built by init_worker


def init_worker(settings_dict: dict[str, Any]) -> None:
    """Pool initializer: build this process's engine, then check it on a known text."""
    global _worker  # noqa: PLW0603 - the per-process engine is what a pool initializer sets
    from proxy.detection.analyzer import build_analyzer, empty_artifacts  # noqa: PLC0415
    from proxy.detection.gazetteer import places  # noqa: PLC0415
    from proxy.detection.language import LanguageIdentifier  # noqa: PLC0415
    from proxy.detection.name_index import index  # noqa: PLC0415

    settings = DetectionSettings.model_validate(settings_dict)
    install_regex_timeout_trap(max(MIN_REGEX_TIMEOUT_SECONDS, settings.timeout_seconds))
    analyzer = build_analyzer(settings)
    # Load the name index and the gazetteer now (about 50 MB, 1 s): counted in the worker's
    # start-up memory, and never paid by the first request that meets a name.
    index()
    places()
    modelled = frozenset(settings.spacy_models)
    _worker = _Worker(
        analyzer=analyzer,
        languages=settings.languages,
        modelled=modelled,
        identifier=LanguageIdentifier(settings.language_accuracy),
        empty_artifacts={
            language: empty_artifacts(analyzer, language)
            for language in settings.languages
            if language not in modelled
        },
        policies={},
    )
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


def analyze_batch(
    texts: Sequence[str], languages: Sequence[str], options: PolicyDetection | None = None
) -> list[Analysis]:
    """Analyse each text (see the module docstring) among the candidate `languages`."""
    if _worker is None:
        raise RuntimeError("detection worker used before init_worker")
    unsupported = [language for language in languages if language not in _worker.languages]
    if not languages or unsupported:
        raise ValueError(f"no detection model for language(s) {unsupported or 'none given'}")
    policy = _policy_recognizers(_worker, options)
    return [_analyze_text(_worker, text, languages, policy) for text in texts]


def _policy_recognizers(
    worker: _Worker, options: PolicyDetection | None
) -> _PolicyRecognizers | None:
    """The policy's recognizers, built once per policy content and kept (a few policies)."""
    if options is None or options.empty:
        return None
    built = worker.policies.get(options.key)
    if built is None:
        from proxy.detection.recognizers import policy_recognizers  # noqa: PLC0415

        if len(worker.policies) >= _POLICY_CACHE_SIZE:
            worker.policies.pop(next(iter(worker.policies)))
        built = worker.policies[options.key] = _PolicyRecognizers(
            by_language={
                language: policy_recognizers(options, language) for language in worker.languages
            },
            allow_list=AllowList(options.allow_list),
        )
    return built


def _without_shadowed(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Drop model entities that overlap a pattern-found value (spaCy often tags an e-mail
    address as a person or "IBAN DE89" as an organisation; the value is already found), and
    "phone numbers" too short to be one (phonenumbers accepts "1648" in German text)."""
    results = [r for r in results if r.entity_type != "PHONE_NUMBER" or r.end - r.start >= 7]
    solid = [r for r in results if r.entity_type not in MODEL_TYPES and r.score >= 0.5]
    if not solid:
        return results
    return [
        r
        for r in results
        if r.entity_type not in MODEL_TYPES
        or not any(r.start < s.end and s.start < r.end for s in solid)
    ]


def _historical_figures_lowered(
    text: str, results: list[RecognizerResult]
) -> list[RecognizerResult]:
    """People the text names who are historical figures (`historical.py`; two different
    listed figures are each other's company) drop to `HISTORICAL_SCORE`, before propagation:
    their other mentions are not masked either; nor is their surname alone in the same text
    ("Marie Curie's prizes … the Curie point")."""
    from proxy.detection.historical import (  # noqa: PLC0415 - workers only
        HISTORICAL_SCORE,
        discussed,
        listed_figure,
        lower_names_listed_beside_figures,
        surname_of,
    )

    people = [r for r in results if r.entity_type == "PERSON" and r.score > HISTORICAL_SCORE]
    figures = [listed_figure(text, r.start, r.end) for r in people]
    named = {figure[0] for figure in figures if figure is not None}
    in_company = len(named) >= 2 or (len(named) == 1 and _another_figure(text, named))
    surnames = set()
    for result, figure in zip(people, figures, strict=True):
        if discussed(text, figure, in_company=in_company):
            result.score = HISTORICAL_SCORE
            surnames.add(surname_of(text[result.start : result.end]))
    for result in people:
        if result.score > HISTORICAL_SCORE and text[result.start : result.end] in surnames:
            result.score = HISTORICAL_SCORE
    if in_company:
        lower_names_listed_beside_figures(text, people)
    return results


_CAPITALISED_WORD = re.compile(r"(?<![\w'\u2019\-])\p{Lu}[\p{L}'\u2019\-]+")


def _another_figure(text: str, named: set[str]) -> bool:
    """Whether the text names a listed figure other than `named`, found as a person or not:
    "«Don Quijote» (Sancho Panza, Dulcinea, Rocinante)" keeps Sancho Panza in company when
    no rule took Dulcinea or Rocinante for a person. Only run when one figure is found."""
    from proxy.detection.historical import listed_figure  # noqa: PLC0415 - workers only

    for word in _CAPITALISED_WORD.finditer(text):
        figure = listed_figure(text, word.start(), word.end())
        if figure is not None and figure[0] not in named:
            return True
    return False


def _analyze_text(
    worker: _Worker, text: str, candidates: Sequence[str], policy: _PolicyRecognizers | None
) -> Analysis:
    from proxy.detection.identifiers import (  # noqa: PLC0415 - workers only
        plates_of_the_same_shape,
    )
    from proxy.detection.name_lists import names_in_lists  # noqa: PLC0415 - workers only
    from proxy.detection.people import propagate_names  # noqa: PLC0415 - workers only
    from proxy.detection.places import (  # noqa: PLC0415 - workers only
        places_near_people,
        propagate_places,
    )
    from proxy.detection.profiles import sites_of_people  # noqa: PLC0415 - workers only

    normal = normalise(text)
    segments = worker.identifier.segments(normal.text, candidates)
    findings: set[Finding] = set()
    for segment in segments:
        piece = normal.text[segment.start : segment.end]
        if not piece.strip():
            continue
        results = worker.analyzer.analyze(
            text=piece,
            language=segment.language,
            ad_hoc_recognizers=policy.by_language[segment.language] if policy else None,
            nlp_artifacts=worker.empty_artifacts.get(segment.language),
        )
        results = _historical_figures_lowered(piece, results)
        results = names_in_lists(piece, results, PROPAGATION_MIN_SCORE, segment.language)
        results = places_near_people(piece, results, PROPAGATION_MIN_SCORE, segment.language)
        results = propagate_places(piece, results, PROPAGATION_MIN_SCORE)
        results = _without_shadowed(propagate_names(piece, results, PROPAGATION_MIN_SCORE))
        results = sites_of_people(piece, results, PROPAGATION_MIN_SCORE)
        results = plates_of_the_same_shape(piece, results, PLATE_MIN_SCORE)
        for result in results:
            start, end = normal.span(segment.start + result.start, segment.start + result.end)
            if end > start:
                findings.add(Finding(start, end, result.entity_type, float(result.score)))
    if policy is not None:
        allowed = [
            normal.span(*span)
            for span in policy.allow_list.spans(normal.text, regex_limits.seconds())
        ]
        findings = {f for f in findings if not any(a <= f.start and f.end <= b for a, b in allowed)}
    longest = max(segments, key=lambda segment: segment.end - segment.start)
    return Analysis(
        language=longest.language,
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.end, f.entity_type, f.score))),
        modelled=all(segment.language in worker.modelled for segment in segments),
    )


def propagate_batch(
    texts: Sequence[str],
    names: Sequence[Sequence[tuple[int, int, float]]],
    options: PolicyDetection | None = None,
) -> list[Analysis]:
    """For texts analysed in pieces (`chunking`): the other occurrences, anywhere in each
    whole text, of the words of the names (PERSON spans and scores) its pieces found; so a
    surname found on page one is still masked alone on page ten, as in a text analysed
    whole. On the text as written (pieces were normalised one by one); allow-listed values
    stay out. One `Analysis` per text, holding only the new findings."""
    from presidio_analyzer import RecognizerResult  # noqa: PLC0415 - workers only

    from proxy.detection.people import propagate_names  # noqa: PLC0415 - workers only

    if _worker is None:
        raise RuntimeError("detection worker used before init_worker")
    policy = _policy_recognizers(_worker, options)
    analyses = []
    for text, spans in zip(texts, names, strict=True):
        found = [RecognizerResult("PERSON", start, end, score) for start, end, score in spans]
        extra = propagate_names(text, found, PROPAGATION_MIN_SCORE)[len(found) :]
        if policy is not None and extra:
            allowed = policy.allow_list.spans(text, regex_limits.seconds())
            extra = [r for r in extra if not any(a <= r.start and r.end <= b for a, b in allowed)]
        findings = sorted(
            {Finding(r.start, r.end, "PERSON", float(r.score)) for r in extra},
            key=lambda f: (f.start, f.end),
        )
        analyses.append(Analysis(language="", findings=tuple(findings)))
    return analyses

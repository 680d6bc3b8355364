"""What the security team's commands compute: a text tried against a policy for an app and a
destination (`voile policy test`), the policy's `tests:` (`voile policy check`), and the
rules that apply to a target with where each comes from (`voile policy explain`).

A trial runs the stages the relay runs, in the same order and with the same code: the
destination check, detection (the policy's languages, recognizers and allow-list), masking by
the policy's rules for the target. Only the placeholder key differs: a fixed one, so that a
trial's output is the same on every machine (the provider of a deployment sees other ids).

Plain functions over a `Detector`: the CLI gives them `InlineDetector` (the detection engine
in this process, which also says which recognizer found what), the test suite its shared
worker pool.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from proxy.detection.types import Analysis, Detector, Finding, analyze_for_policy
from proxy.masking import mask_texts
from proxy.placeholders import TOKEN_PATTERN, Vault
from proxy.policy import (
    ANY_ENTITY,
    Action,
    Decision,
    Part,
    Policy,
    PolicyRule,
    PolicyTest,
    Target,
)

if TYPE_CHECKING:
    from proxy.detection.custom import PolicyDetection
    from proxy.detection.settings import DetectionSettings

# The placeholder key of trials: fixed, so that the masked text a trial shows is stable.
TRIAL_SECRET = b"voile/policy-trial/not-a-deployment-key"
DESTINATION_NOT_ALLOWED = "destination_not_allowed"
_HASH_LABEL = re.compile(r"\[([A-Z][A-Z0-9_]*):[0-9a-f]{8}\]")


@dataclass(frozen=True)
class Detection:
    """One finding, what the policy decided for it, and whether masking acted on it."""

    finding: Finding
    value: str
    language: str
    decision: Decision
    recognizer: str | None = None

    @property
    def acted(self) -> bool:
        return self.decision.action is not Action.ALLOW and self.finding.score >= (
            self.decision.min_score
        )

    def rule(self, policy: Policy) -> str:
        """The rule that decided, and where it is written (`voile policy test`, the console)."""
        decision = self.decision
        if decision.rule is not None:
            return f"{decision.rule.origin} ({decision.rule.rule.condition})"
        return f"default_action ({policy.origin_of('default_action') or 'built-in default'})"

    @property
    def outcome(self) -> str:
        """What masking does with it: the action, or why it does nothing."""
        if self.acted or self.decision.action is Action.ALLOW:
            return self.decision.action.value
        return f"ignored (score under {self.decision.min_score:g})"


@dataclass(frozen=True)
class Trial:
    """A text sent by `target.app` to `target.provider`, under `policy`."""

    policy: Policy
    target: Target
    text: str
    refused: str | None = None  # DESTINATION_NOT_ALLOWED
    detections: tuple[Detection, ...] = ()
    blocked: tuple[str, ...] = ()  # entity types (or LANGUAGE_WITHOUT_MODEL) that block it
    masked_text: str | None = None  # what the provider would see; None if not forwarded
    masked_types: frozenset[str] = frozenset()  # types replaced (mask, fake, redact or hash)
    scanned: bool = True  # False: the policy's scope leaves user text out
    surrogates: Mapping[str, str] = field(default_factory=dict)  # surrogate -> its type

    @property
    def forwarded(self) -> bool:
        return self.masked_text is not None


def target_for(
    app: str, provider: str, region: str | None, regions: Mapping[str, str | None]
) -> Target:
    """The target of `app` sending to `provider`: its region as given, else the config's."""
    return Target(app, provider, region if region is not None else regions.get(provider))


async def run_trial(
    policy: Policy,
    target: Target,
    text: str,
    detector: Detector,
    recognizers: Callable[[int, Finding], str | None] | None = None,
) -> Trial:
    """`text` as the user text of a request (see the module docstring). `recognizers`, if
    given, names the recognizer of a finding of the n-th analysed text."""
    if not policy.allows_destination(target.provider, target.region):
        return Trial(policy, target, text, refused=DESTINATION_NOT_ALLOWED)
    scanned = policy.scans(Part.USER)
    if scanned:
        [analysis] = await analyze_for_policy(
            detector, [text], policy.spec.languages, policy.detection_options
        )
    else:
        analysis = Analysis(policy.spec.languages[0], ())
    rules = policy.rulebook(target)
    detections = tuple(
        Detection(
            finding,
            text[finding.start : finding.end],
            analysis.language,
            rules.decision_for(finding.entity_type),
            recognizers(0, finding) if recognizers else None,
        )
        for finding in analysis.findings
    )
    vault = Vault(TRIAL_SECRET)
    result = mask_texts([text], [analysis], policy, vault, target)
    if result.blocked:
        return Trial(policy, target, text, None, detections, result.blocked, scanned=scanned)
    [masked] = result.texts
    return Trial(
        policy,
        target,
        text,
        None,
        detections,
        (),
        masked,
        frozenset(result.entity_counts),
        scanned,
        {s: kind for s in vault.surrogates() if (kind := vault.type_of(s)) is not None},
    )


def comparable(masked: str, surrogates: Mapping[str, str] | None = None) -> str:
    """A masked text with its ids removed, as policy tests write it: `<PERSON>` for any
    placeholder of a person, `[PERSON:hash]` for any hash label, `{PERSON}` for any
    surrogate of a person (`surrogates`: surrogate -> type; a surrogate never occurs in the
    text it was minted for, so every occurrence is one that masking wrote)."""
    text = TOKEN_PATTERN.sub(lambda m: f"<{m.group(1)}>", masked)
    for surrogate in sorted(surrogates or {}, key=len, reverse=True):
        text = text.replace(surrogate, f"{{{(surrogates or {})[surrogate]}}}")
    return _HASH_LABEL.sub(lambda m: f"[{m.group(1)}:hash]", text)


@dataclass(frozen=True)
class TestOutcome:
    """One policy test: passed, or the differences between what it expects and the trial."""

    policy: Policy
    test: PolicyTest
    index: int
    trial: Trial
    failures: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        origin = self.policy.test_origins[self.index] if self.policy.test_origins else None
        return str(origin) if origin else str(self.policy.path)


def judge(test: PolicyTest, trial: Trial) -> tuple[str, ...]:
    """What `trial` does that `test` does not expect (entity types named, never values)."""
    expect = test.expect
    if expect.refused is not None:
        ok = trial.refused == expect.refused
        return () if ok else (f"expected refused: {expect.refused}, got {_outcome(trial)}",)
    if trial.refused is not None:
        return (f"expected the destination to be allowed, got {_outcome(trial)}",)
    if expect.blocked:
        return _judge_blocked(expect.blocked, trial)
    if trial.blocked:
        return (f"expected forwarded, got {_outcome(trial)}",)
    failures = []
    if expect.masked is not None and set(expect.masked) != trial.masked_types:
        missing = set(expect.masked) - trial.masked_types
        extra = trial.masked_types - set(expect.masked)
        detail = "; ".join(
            part
            for part in (
                f"not masked: {_types(missing)}" if missing else "",
                f"masked too: {_types(extra)}" if extra else "",
            )
            if part
        )
        failures.append(
            f"expected masked {_types(expect.masked)}, got {_types(trial.masked_types)} ({detail})"
        )
    if expect.text is not None and trial.masked_text is not None:
        got = comparable(trial.masked_text, trial.surrogates)
        if got != expect.text:
            failures.append(f"expected text {expect.text!r}, got {got!r}")
    return tuple(failures)


def _judge_blocked(expected: bool | tuple[str, ...], trial: Trial) -> tuple[str, ...]:
    if not trial.blocked:
        return (f"expected blocked, got {_outcome(trial)}",)
    if isinstance(expected, tuple) and set(expected) != set(trial.blocked):
        return (
            f"expected blocked for {_types(expected)}, got blocked for {_types(trial.blocked)}",
        )
    return ()


def _types(types: Sequence[str] | set[str] | frozenset[str]) -> str:
    return "[" + ", ".join(sorted(types)) + "]"


def _outcome(trial: Trial) -> str:
    if trial.refused:
        return f"refused ({trial.refused})"
    if trial.blocked:
        return f"blocked for {_types(trial.blocked)}"
    return f"forwarded with {_types(trial.masked_types)} masked"


async def run_policy_tests(
    policies: Mapping[str, Policy],
    detector: Detector,
    regions: Mapping[str, str | None],
    recognizers: Callable[[int, Finding], str | None] | None = None,
) -> list[TestOutcome]:
    """Every policy's own tests, in name order (`regions`: the config's, per provider)."""
    outcomes = []
    for _, policy in sorted(policies.items()):
        for index, test in enumerate(policy.spec.tests):
            target = target_for(test.app, test.provider, test.region, regions)
            trial = await run_trial(policy, target, test.text, detector, recognizers)
            outcomes.append(TestOutcome(policy, test, index, trial, judge(test, trial)))
    return outcomes


# --- explain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Explained:
    """A type's decision for a target, and the matching rules it overrides."""

    entity: str
    winner: PolicyRule
    overridden: tuple[PolicyRule, ...]


def explain(policy: Policy, target: Target) -> tuple[list[Explained], list[PolicyRule]]:
    """The rules that apply to `target`, per type they name (`*` last), each with the rules
    it overrides; and the rules that do not apply (other apps or destinations). Rules in
    shadow mode are in neither: they decide nothing (`Policy.rulebook`)."""
    rules = policy.rulebook(target)
    named = sorted({e for r in rules.rules for e in r.rule.entity if e != ANY_ENTITY})
    if any(ANY_ENTITY in r.rule.entity for r in rules.rules):
        named.append(ANY_ENTITY)
    explained = []
    for entity in named:
        decision = rules.decision_for(entity)
        if decision.rule is not None:
            explained.append(Explained(entity, decision.rule, tuple(rules.overridden(entity))))
    others = [rule for rule in policy.rules if rule.active and rule not in rules.rules]
    return explained, others


# --- detection in this process, with recognizer names -------------------------------------


# Presidio's raw results of the last `InlineDetector.analyze` in this process: (piece
# analysed, results). A CLI diagnostic's state: there is one engine per process, as in a worker.
_RECORDED: list[tuple[str, Any]] = []
_ENGINE_SETTINGS: dict[str, Any] = {}  # what this process's engine was built with
# The detection settings an engine's results depend on (not the pool's: workers, batches…).
_ENGINE_KEYS = {"models", "phone_regions", "language_accuracy", "timeout_seconds"}


def _record_results(analyzer: Any) -> None:
    """Make `analyzer` remember its raw results in `_RECORDED` (once per process)."""
    original = analyzer.analyze
    if getattr(original, "voile_recording", False):
        return

    def recording(*args: Any, **kwargs: Any) -> Any:
        results = original(*args, **kwargs)
        _RECORDED.append((kwargs.get("text", args[0] if args else ""), list(results)))
        return results

    recording.voile_recording = True  # type: ignore[attr-defined]
    analyzer.analyze = recording


class InlineDetector:
    """The detection engine run in this process (`proxy.detection.engine`, as a worker runs
    it, cut in pieces as the pool cuts them), remembering which recognizer produced each raw
    result so that `voile policy test` can name it.

    A `Finding` does not carry its recognizer, so the name is matched back from Presidio's
    raw results of the same type and value (after normalisation); a name found by name
    propagation or another cue without a raw result of its own is shown as such.
    """

    def __init__(self, settings: DetectionSettings) -> None:
        from proxy.detection import engine  # noqa: PLC0415 - loads the models: only when used

        self._settings = settings
        built = settings.model_dump(mode="json", include=_ENGINE_KEYS)
        if engine._worker is None or _ENGINE_SETTINGS.get("settings") != built:
            engine.init_worker(settings.model_dump(mode="json"))
            _ENGINE_SETTINGS["settings"] = built
        assert engine._worker is not None
        _record_results(engine._worker.analyzer)
        self._texts: list[str] = []

    @property
    def ready(self) -> bool:
        return True

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        from proxy.detection import chunking, engine  # noqa: PLC0415

        _RECORDED.clear()
        self._texts = list(texts)
        settings = self._settings
        pieces = chunking.plan(texts, settings.chunk_chars, settings.overlap_chars)
        found = [
            engine.analyze_batch([texts[p.text][p.start : p.end]], languages, options)[0]
            for p in pieces
        ]
        analyses = chunking.merge(texts, pieces, found, languages[0])
        for index, spans in chunking.names_to_propagate(texts, pieces, analyses).items():
            [extra] = engine.propagate_batch([texts[index]], [spans], options)
            analyses[index] = chunking.with_findings(analyses[index], extra.findings)
        return analyses

    def recognizer(self, index: int, finding: Finding) -> str | None:
        """The recognizer that found `finding` in the `index`-th text of the last call."""
        from proxy.detection.normalise import normalise  # noqa: PLC0415

        value = self._texts[index][finding.start : finding.end]
        wanted = {value, normalise(value).text}
        best: tuple[float, str] | None = None
        for piece, results in _RECORDED:
            for result in results:
                if result.entity_type != finding.entity_type:
                    continue
                if piece[result.start : result.end] not in wanted:
                    continue
                name = (result.recognition_metadata or {}).get("recognizer_name") or "?"
                if best is None or result.score > best[0]:
                    best = (float(result.score), str(name))
        if best is not None:
            return best[1]
        return "name propagation" if finding.entity_type == "PERSON" else "a cue (no raw result)"

    async def close(self) -> None:
        return None

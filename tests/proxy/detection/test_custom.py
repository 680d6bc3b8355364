# ruff: noqa: RUF001 - full-width and look-alike characters are what these tests feed
"""Policy-level recognizers: validated when the policy loads (errors with file and line), and
applied by the workers: patterns with validators and context, deny-lists, allow-lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.detection.custom import AllowList, DenyList, PolicyDetection
from proxy.detection.entities import SUPPORTED_ENTITIES
from proxy.detection.pool import PresidioDetector
from proxy.detection.types import Analysis, Finding, analyze_for_policy
from proxy.masking import WITHOUT_MODEL, mask_texts
from proxy.placeholders import Vault
from proxy.policy import Policy, load_policy
from proxy.yamlfile import ConfigError

LANGUAGES = ("en", "fr", "de", "es", "it")

POLICY = """\
description: with its own recognizers
languages: [fr, en]
recognizers:
  - entity: CUSTOMER_ID
    patterns: [{regex: 'CUST-\\d{6}', score: 0.4}]
    context: [client, customer]
  - entity: CARD_REF
    patterns: [{regex: '\\b\\d{8}\\b', score: 0.6}]
    validator: luhn
  - entity: PROJECT_CODENAME
    deny_list: [Falcon, Blue Heron]
allow_list: ["Voile SAS", "12 rue de la Paix, 75002 Paris"]
rules:
  - {entity: CUSTOMER_ID, action: mask}
  - {entity: PROJECT_CODENAME, action: redact}
"""


def write(tmp_path: Path, text: str, name: str = "custom") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path) -> Policy:
    return load_policy(path, known_entities=SUPPORTED_ENTITIES, languages=LANGUAGES)


def test_a_policy_declares_recognizers_and_its_rules_may_name_them(tmp_path: Path) -> None:
    policy = load(write(tmp_path, POLICY))
    options = policy.detection_options
    assert options is not None
    assert options.entities == {"CUSTOMER_ID", "CARD_REF", "PROJECT_CODENAME"}
    assert policy.decision_for("PROJECT_CODENAME").action.value == "redact"


def test_a_policy_without_any_has_no_options(tmp_path: Path) -> None:
    assert load(write(tmp_path, "languages: [en]\n")).detection_options is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "recognizers:\n  - entity: X_ID\n    patterns: [{regex: '(unclosed'}]\n",
            ":3 recognizers[0].patterns[0].regex: invalid regular expression: missing ) at "
            "position 9",
        ),
        (
            "recognizers:\n  - entity: X_ID\n    patterns: [{regex: 'a*'}]\n",
            ":3 recognizers[0].patterns[0].regex: the regular expression matches the empty string",
        ),
        (
            "recognizers:\n  - entity: lower\n    deny_list: [a]\n",
            ":2 recognizers[0].entity: String should match pattern",
        ),
        (
            "recognizers:\n  - entity: X_ID\n",
            ":2 recognizers[0]: recognizer for X_ID needs 'patterns' or 'deny_list'",
        ),
        (
            "recognizers:\n  - entity: X_ID\n    deny_list: [a]\n    validator: luhn\n",
            ":2 recognizers[0]: 'validator' applies to 'patterns', and there are none",
        ),
        (
            "recognizers:\n  - entity: X_ID\n    patterns: [{regex: 'x'}]\n    validator: crc\n",
            ":4 recognizers[0].validator: 'crc' is not one of none, luhn, mod97, iban",
        ),
        ("allow_list: ['ok', ' ']\n", ":1 allow_list: entries must not be blank"),
        (
            "rules:\n  - {entity: NOT_DECLARED, action: mask}\n",
            ":2 rules[0].entity: 'NOT_DECLARED' is not a supported entity type",
        ),
        (
            "language_without_model: skip\n",
            ":1 language_without_model: 'skip' is not one of patterns, refuse",
        ),
    ],
)
def test_errors_name_the_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert f"{path}{message}" in str(caught.value)


def test_deny_list_finds_whole_words_whatever_separates_them() -> None:
    deny = DenyList(["Blue Heron", "CUST-0042", "Falcon"], case_sensitive=False)
    text = "blue  heron, Falconry, cust 0042 and FALCON."
    assert [text[s:e] for s, e in deny.spans(text)] == ["blue  heron", "cust 0042", "FALCON"]


def test_allow_list_spans() -> None:
    allow = AllowList(["Voile SAS", "12 rue de la Paix, 75002 Paris"])
    text = "Voile  SAS, 12 rue de la Paix, 75002 Paris; voile sasu"
    assert [text[s:e] for s, e in allow.spans(text, 1.0)] == [
        "Voile  SAS",
        "12 rue de la Paix, 75002 Paris",
    ]


def test_options_key_is_stable_and_content_addressed() -> None:
    one = PolicyDetection(allow_list=("a",))
    assert one.key == PolicyDetection(allow_list=("a",)).key != PolicyDetection().key


async def test_workers_apply_the_policy_recognizers(
    presidio: PresidioDetector, tmp_path: Path
) -> None:
    policy = load(write(tmp_path, POLICY))
    text = (
        "Le client CUST-004211 (projet Falcon) écrit à Voile SAS, 12 rue de la Paix, 75002 "
        "Paris. Réf. 79927398 mais pas 79927399. Ref CUST-999999 sans contexte."
    )
    [analysis] = await analyze_for_policy(
        presidio, [text], policy.spec.languages, policy.detection_options
    )
    found = {(f.entity_type, text[f.start : f.end], f.score) for f in analysis.findings}
    assert ("CUSTOMER_ID", "CUST-004211", 0.75) in found  # 0.4 + context
    assert ("CUSTOMER_ID", "CUST-999999", 0.4) in found  # no context: under the threshold
    assert ("PROJECT_CODENAME", "Falcon", 1.0) in found
    assert ("CARD_REF", "79927398", 1.0) in found
    assert not any(value == "79927399" for _, value, _ in found)
    # Nothing inside the allow-listed name and address is reported.
    allowed_end = text.index("Paris.") + len("Paris")
    allowed_start = text.index("Voile SAS")
    assert not [f for f in analysis.findings if allowed_start <= f.start and f.end <= allowed_end]


async def test_policy_recognizers_see_the_normalised_text(
    presidio: PresidioDetector, tmp_path: Path
) -> None:
    policy = load(write(tmp_path, POLICY))
    text = "client ＣＵＳＴ-００４２１１"
    [analysis] = await analyze_for_policy(
        presidio, [text], policy.spec.languages, policy.detection_options
    )
    assert ("CUSTOMER_ID", text[7:]) in {
        (f.entity_type, text[f.start : f.end]) for f in analysis.findings
    }


def _unmodelled(text: str) -> Analysis:
    return Analysis("de", (Finding(0, 4, "PERSON", 0.9),), modelled=False)


@pytest.mark.parametrize(("choice", "blocked"), [("patterns", ()), ("refuse", (WITHOUT_MODEL,))])
def test_the_policy_decides_about_languages_without_a_model(
    tmp_path: Path, choice: str, blocked: tuple[str, ...]
) -> None:
    policy = load(write(tmp_path, f"languages: [en, de]\nlanguage_without_model: {choice}\n"))
    text = "Jens wohnt hier."
    result = mask_texts([text], [_unmodelled(text)], policy, Vault(b"k" * 32))
    assert result.blocked == blocked
    assert result.without_model == 1  # counted either way, apart from the entity types
    assert WITHOUT_MODEL not in result.entity_counts
    assert WITHOUT_MODEL not in result.entity_actions

"""Policies are validated once, with errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.config import BUNDLED_POLICIES
from proxy.policy import Action, load_policies, load_policy
from proxy.yamlfile import ConfigError

KNOWN = {"PERSON", "EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER", "DATE_TIME"}
LANGUAGES = {"en", "fr"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path):  # type: ignore[no-untyped-def]
    return load_policy(path, known_entities=KNOWN, languages=LANGUAGES)


def test_bundled_policies_load_with_the_real_entity_list() -> None:
    from proxy.detection.settings import DetectionSettings  # noqa: PLC0415
    from proxy.reload import supported_entities  # noqa: PLC0415

    policies = load_policies(
        BUNDLED_POLICIES,
        known_entities=supported_entities(),
        languages=DetectionSettings().languages,
    )
    default = policies["default"]
    assert default.spec.languages == ("en", "fr", "de", "es", "it")
    assert default.decision_for("EMAIL_ADDRESS").action is Action.MASK
    assert default.decision_for("FR_NIR").action is Action.MASK
    assert len(default.sha256) == 64


def test_wrong_action_names_file_line_field_and_valid_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hr",
        (
            "description: HR\n"
            "rules:\n"
            "  - entity: PERSON\n"
            "    action: mask\n"
            "  - entity: EMAIL_ADDRESS\n"
            "    action: mask2\n"
        ),
    )
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}:6 rules[1].action: 'mask2' is not one of mask, fake, redact, hash, block, allow"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules:\n  - {entity: PERSN, action: mask}\n",
            ":2 rules[0].entity: 'PERSN' is not a supported entity type: DATE_TIME, EMAIL_ADDRESS",
        ),
        ("languages: [en, de]\n", ":1 languages: no detection model configured for de"),
        ("min_score: 2\n", ":1 min_score: Input should be less than or equal to 1"),
        ("colour: red\n", ":1 colour: unknown key"),
        ("rules:\n  - {entity: PERSON}\n", ":2 rules[0].action: required key is missing"),
        (
            "rules:\n  - {entity: PERSON, action: mask}\n  - {entity: PERSON, action: allow}\n",
            ":1 rules: entity PERSON has more than one rule",
        ),
        ("rules: [\n", ":2 invalid YAML"),
        ("a: 1\na: 2\n", ":2 duplicate key 'a'"),
        ("allow_unscannable: [video]\n", "allow_unscannable[0]: 'video' is not one of image"),
    ],
)
def test_policy_errors_point_at_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "p", text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_all_invalid_files_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path, "a", "min_score: -1\n")
    write(tmp_path, "b", "default_action: nope\n")
    write(tmp_path, "c", "description: fine\n")
    with pytest.raises(ConfigError) as caught:
        load_policies(tmp_path, known_entities=KNOWN, languages=LANGUAGES)
    message = str(caught.value)
    assert "a.yaml:1 min_score" in message
    assert "b.yaml:1 default_action" in message


def test_decisions_use_rule_threshold_then_policy_default(tmp_path: Path) -> None:
    policy = load(
        write(
            tmp_path,
            "p",
            (
                "min_score: 0.6\ndefault_action: redact\n"
                "rules:\n  - {entity: PHONE_NUMBER, action: mask, min_score: 0.0}\n"
            ),
        )
    )
    assert policy.decision_for("PHONE_NUMBER").min_score == 0.0
    assert policy.decision_for("PERSON").action is Action.REDACT
    assert policy.decision_for("PERSON").min_score == 0.6

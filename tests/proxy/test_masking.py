"""From findings to masked text: overlaps resolved into clean spans, values propagated,
client placeholders neutralised, stable tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.detection.types import Analysis, Finding
from proxy.masking import Span, mask_texts, resolve_overlaps
from proxy.placeholders import LITERAL_TYPE, TOKEN_PATTERN, Vault
from proxy.policy import Action, Policy, load_policy
from proxy.restore import restore_text

SECRET = b"s" * 32


@pytest.fixture
def policy(tmp_path: Path) -> Policy:
    path = tmp_path / "p.yaml"
    path.write_text(
        "min_score: 0.5\nrules:\n"
        "  - {entity: DATE_TIME, action: allow}\n"
        "  - {entity: IBAN_CODE, action: block}\n"
        "  - {entity: PHONE_NUMBER, action: redact, min_score: 0.3}\n"
    )
    return load_policy(
        path,
        known_entities={
            "PERSON",
            "EMAIL_ADDRESS",
            "DATE_TIME",
            "IBAN_CODE",
            "PHONE_NUMBER",
            "LOCATION",
        },
        languages={"en", "fr"},
    )


def finding(text: str, value: str, entity: str, score: float = 0.9, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Finding(start, start + len(value), entity, score)


def test_overlapping_findings_merge_into_one_clean_span(policy: Policy) -> None:
    text = "email jean.dupont@orange.fr please"
    findings = (
        finding(text, "jean.dupont@orange.fr", "EMAIL_ADDRESS", 1.0),
        finding(text, "jean.dupont", "PERSON", 0.85),
        finding(text, "orange.fr please", "LOCATION", 0.6),  # overlaps the tail
    )
    vault = Vault(SECRET)
    result = mask_texts([text], [Analysis("fr", findings)], policy, vault)
    [masked] = result.texts
    assert masked.startswith("email <EMAIL_ADDRESS_")
    assert masked.endswith(">")
    assert len(TOKEN_PATTERN.findall(masked)) == 1
    restored, count, unresolved = restore_text(masked, vault.value_of)
    assert restored == text
    assert (count, unresolved) == (1, 0)


def test_resolve_overlaps_keeps_touching_spans_apart() -> None:
    spans = [
        Span(0, 4, "PERSON", Action.MASK, 0.9),
        Span(4, 8, "PERSON", Action.MASK, 0.9),
        Span(2, 3, "EMAIL_ADDRESS", Action.REDACT, 0.5),
    ]
    merged = resolve_overlaps(spans)
    assert [(s.start, s.end, s.action) for s in merged] == [
        (0, 4, Action.REDACT),
        (4, 8, Action.MASK),
    ]


def test_threshold_and_allow_drop_findings(policy: Policy) -> None:
    text = "Jean on Monday, maybe Paul"
    findings = (
        finding(text, "Jean", "PERSON"),
        finding(text, "Monday", "DATE_TIME"),
        finding(text, "Paul", "PERSON", 0.4),
    )
    result = mask_texts([text], [Analysis("en", findings)], policy, Vault(SECRET))
    assert result.texts[0].endswith("on Monday, maybe Paul")
    assert result.entity_counts == {"PERSON": 1}


def test_a_value_found_once_is_masked_everywhere(policy: Policy) -> None:
    texts = ["Jean Dupont called.", "Tell Jean Dupont and jean dupont.", "Jean Dupontel is fine"]
    analyses = [
        Analysis("en", (finding(texts[0], "Jean Dupont", "PERSON"),)),
        Analysis("en", ()),
        Analysis("en", ()),
    ]
    vault = Vault(SECRET)
    result = mask_texts(texts, analyses, policy, vault)
    token = vault.token_for("PERSON", "Jean Dupont")
    assert result.texts[0] == f"{token} called."
    assert result.texts[1] == f"Tell {token} and jean dupont."  # other spelling: not the value
    assert result.texts[2] == "Jean Dupontel is fine"  # word boundary
    assert result.entity_counts == {"PERSON": 2}


def test_block_reports_types_and_masks_nothing(policy: Policy) -> None:
    text = "IBAN FR7630006000011234567890189 for Jean"
    findings = (
        finding(text, "FR7630006000011234567890189", "IBAN_CODE", 1.0),
        finding(text, "Jean", "PERSON"),
    )
    result = mask_texts([text], [Analysis("fr", findings)], policy, Vault(SECRET))
    assert result.blocked == ("IBAN_CODE",)
    assert result.texts == []
    assert result.entity_counts == {"IBAN_CODE": 1, "PERSON": 1}


def test_client_placeholders_are_masked_as_literals(policy: Policy) -> None:
    vault = Vault(SECRET)
    real = vault.token_for("PERSON", "Jean")
    text = f"{real} is what I typed"
    result = mask_texts([text], [Analysis("en", ())], policy, vault)
    literal = vault.token_for(LITERAL_TYPE, real)
    assert result.texts[0] == f"{literal} is what I typed"
    restored, _, _ = restore_text(result.texts[0], vault.value_of)
    assert restored == text


def test_tokens_are_stable_across_vaults_and_distinct_across_case() -> None:
    first, second = Vault(SECRET), Vault(SECRET)
    assert first.token_for("LOCATION", "Lyon") == second.token_for("LOCATION", "Lyon")
    assert first.token_for("LOCATION", "Lyon") != first.token_for("LOCATION", "lyon")
    assert Vault(b"other" * 8).token_for("LOCATION", "Lyon") != first.token_for("LOCATION", "Lyon")


def test_redact_and_hash_are_not_restorable(policy: Policy, tmp_path: Path) -> None:
    text = "call 06 12 34 56 78"
    result = mask_texts(
        [text],
        [Analysis("fr", (finding(text, "06 12 34 56 78", "PHONE_NUMBER", 0.4),))],
        policy,
        Vault(SECRET),
    )
    assert result.texts == ["call [PHONE_NUMBER]"]
    assert result.actions == {"redact": 1}

"""Rules by app and destination, their precedence, `extends`, and the errors a security team
can make writing them (each naming file:line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.policy import Action, Part, Policy, Target, load_policies, load_policy
from proxy.yamlfile import ConfigError

KNOWN = {"PERSON", "EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER", "DATE_TIME", "FR_NIR"}
LANGUAGES = {"en", "fr"}

HR_TO_EU = Target("hr-assistant", "mistral", "eu")
HR_TO_US = Target("hr-assistant", "openai", "us")
HR_TO_LOCAL = Target("hr-assistant", "ollama", "local")
HR_TO_NOWHERE = Target("hr-assistant", "vllm", None)  # a provider without a region tag
BOT_TO_EU = Target("support-bot", "mistral", "eu")
BOT_TO_US = Target("support-bot", "openai", "us")

BASE = """\
description: shared base
min_score: 0.5
default_action: mask
rules:
  - {entity: DATE_TIME, action: allow}
  - {entity: PHONE_NUMBER, action: mask, min_score: 0.3}
  - {entity: IBAN_CODE, action: block, outside_regions: [eu, local]}
"""

HR = """\
extends: base
rules:
  # names may go in clear to the EU provider, for the HR assistant only
  - {entity: PERSON, action: allow, apps: [hr-assistant], regions: [eu]}
  # nothing personal at all outside the EU, whatever the app
  - {entity: "*", action: block, outside_regions: [eu, local]}
  # the local model may see IBANs
  - {entity: IBAN_CODE, action: allow, providers: [ollama]}
  # an app-wide exception that names no destination
  - {entity: EMAIL_ADDRESS, action: allow, apps: [hr-assistant]}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_dir(directory: Path) -> dict[str, Policy]:
    return dict(load_policies(directory, known_entities=KNOWN, languages=LANGUAGES))


@pytest.fixture
def hr(tmp_path: Path) -> Policy:
    write(tmp_path, "base", BASE)
    write(tmp_path, "hr", HR)
    return load_dir(tmp_path)["hr"]


@pytest.mark.parametrize(
    ("target", "entity", "action", "min_score"),
    [
        # PERSON: allowed for HR to the EU only (app + region rule); elsewhere the US "*"
        # block applies, at local the default mask.
        (HR_TO_EU, "PERSON", Action.ALLOW, 0.5),
        (BOT_TO_EU, "PERSON", Action.MASK, 0.5),
        (HR_TO_US, "PERSON", Action.BLOCK, 0.5),
        (HR_TO_LOCAL, "PERSON", Action.MASK, 0.5),
        (HR_TO_NOWHERE, "PERSON", Action.BLOCK, 0.5),  # no region: outside every region
        # IBAN_CODE: the provider rule beats the region rules; outside the EU the base's
        # block naming the type beats the child's "*" (c before d), both block.
        (HR_TO_LOCAL, "IBAN_CODE", Action.ALLOW, 0.5),
        (HR_TO_EU, "IBAN_CODE", Action.MASK, 0.5),
        (BOT_TO_US, "IBAN_CODE", Action.BLOCK, 0.5),
        # DATE_TIME: allowed everywhere by the base, except where the "*" destination rule
        # applies: a destination rule beats one naming no destination (precedence a).
        (HR_TO_EU, "DATE_TIME", Action.ALLOW, 0.5),
        (BOT_TO_US, "DATE_TIME", Action.BLOCK, 0.5),
        # EMAIL_ADDRESS: the app-wide allow (no destination) loses to the US block...
        (HR_TO_US, "EMAIL_ADDRESS", Action.BLOCK, 0.5),
        # ...and applies where no destination rule does.
        (HR_TO_EU, "EMAIL_ADDRESS", Action.ALLOW, 0.5),
        (BOT_TO_EU, "EMAIL_ADDRESS", Action.MASK, 0.5),
        # A rule's own threshold, inherited.
        (BOT_TO_EU, "PHONE_NUMBER", Action.MASK, 0.3),
        (BOT_TO_US, "PHONE_NUMBER", Action.BLOCK, 0.5),
    ],
)
def test_decision_table_app_by_destination(
    hr: Policy, target: Target, entity: str, action: Action, min_score: float
) -> None:
    decision = hr.decision_for(entity, target)
    assert (decision.action, decision.min_score) == (action, min_score)


def test_a_decision_names_the_rule_and_the_line_it_comes_from(hr: Policy, tmp_path: Path) -> None:
    iban = hr.decision_for("IBAN_CODE", HR_TO_LOCAL).rule
    assert iban is not None
    assert str(iban.origin) == f"{tmp_path / 'hr.yaml'}:8"
    assert iban.level == 0
    phone = hr.decision_for("PHONE_NUMBER", BOT_TO_EU).rule
    assert phone is not None
    assert str(phone.origin) == f"{tmp_path / 'base.yaml'}:6"
    assert phone.level == 1
    assert hr.decision_for("PERSON", BOT_TO_EU).rule is None  # the default action


def test_without_a_target_only_unconditional_rules_apply(hr: Policy) -> None:
    assert hr.decision_for("PERSON").action is Action.MASK
    assert hr.decision_for("IBAN_CODE").action is Action.MASK
    assert hr.decision_for("DATE_TIME").action is Action.ALLOW


@pytest.mark.parametrize(
    ("rules", "target", "expected"),
    [
        # (b) at equal destination, the rule naming the app wins
        (
            "  - {entity: PERSON, action: block, regions: [eu]}\n"
            "  - {entity: PERSON, action: allow, apps: [hr-assistant], regions: [eu]}\n",
            HR_TO_EU,
            Action.ALLOW,
        ),
        # (a) before (b): a provider rule beats an app + region rule
        (
            "  - {entity: PERSON, action: redact, providers: [mistral]}\n"
            "  - {entity: PERSON, action: allow, apps: [hr-assistant], regions: [eu]}\n",
            HR_TO_EU,
            Action.REDACT,
        ),
        # (c) at equal destination and app, the named type beats "*"
        (
            "  - {entity: '*', action: block, regions: [eu]}\n"
            "  - {entity: PERSON, action: hash, regions: [eu]}\n",
            HR_TO_EU,
            Action.HASH,
        ),
        # (e) equal on everything else: the stricter action
        (
            "  - {entity: PERSON, action: allow, apps: [hr-assistant]}\n"
            "  - {entity: PERSON, action: redact, apps: [hr-assistant, support-bot]}\n",
            HR_TO_EU,
            Action.REDACT,
        ),
        # a list of types in one rule
        ("  - {entity: [IBAN_CODE, PERSON], action: redact}\n", BOT_TO_US, Action.REDACT),
    ],
)
def test_precedence(tmp_path: Path, rules: str, target: Target, expected: Action) -> None:
    policy = load_policy(
        write(tmp_path, "p", f"rules:\n{rules}"), known_entities=KNOWN, languages=LANGUAGES
    )
    assert policy.decision_for("PERSON", target).action is expected


def test_a_child_rule_beats_the_inherited_one_under_the_same_conditions(tmp_path: Path) -> None:
    """(d): the point of `extends`: a child may loosen or tighten a base's rule."""
    write(tmp_path, "base", "rules:\n  - {entity: PERSON, action: block, regions: [us]}\n")
    rule = "rules:\n  - {{entity: PERSON, action: {}, regions: [us]}}\n"
    write(tmp_path, "mid", "extends: base\n" + rule.format("redact"))
    write(tmp_path, "leaf", "extends: mid\n" + rule.format("allow"))
    policies = load_dir(tmp_path)
    target = Target("a", "openai", "us")
    assert policies["base"].decision_for("PERSON", target).action is Action.BLOCK
    assert policies["mid"].decision_for("PERSON", target).action is Action.REDACT
    assert policies["leaf"].decision_for("PERSON", target).action is Action.ALLOW
    assert policies["leaf"].bases == ("mid", "base")


def test_extends_replaces_settings_and_adds_rules_and_lists(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base",
        "languages: [en, fr]\nmin_score: 0.6\ndefault_action: redact\nallow_list: [Voile SAS]\n"
        "destinations: {regions: [eu]}\nscope: [user, system]\n"
        "generated: redact\n"
        "recognizers:\n  - {entity: CUSTOMER_ID, patterns: [{regex: 'CUST-\\d{6}'}]}\n"
        "rules:\n  - {entity: CUSTOMER_ID, action: block}\n"
        "tests:\n  - {name: t, provider: p, text: x, expect: {masked: []}}\n",
    )
    write(
        tmp_path,
        "child",
        "extends: base\nlanguages: [fr]\nallow_list: [Voile SAS, ACME]\n"
        "rules:\n  - {entity: CUSTOMER_ID, action: mask, apps: [crm]}\n",
    )
    base, child = load_dir(tmp_path)["base"], load_dir(tmp_path)["child"]
    assert child.spec.languages == ("fr",)
    assert child.spec.min_score == 0.6
    assert child.spec.default_action is Action.REDACT
    assert child.spec.allow_list == ("Voile SAS", "ACME")
    assert child.spec.scope == (Part.USER, Part.SYSTEM)
    assert child.spec.generated.action.value == "redact"
    assert [r.entity for r in child.spec.recognizers] == ["CUSTOMER_ID"]  # rules may name it
    assert child.decision_for("CUSTOMER_ID", Target("crm", "p", "eu")).action is Action.MASK
    assert child.decision_for("CUSTOMER_ID", Target("web", "p", "eu")).action is Action.BLOCK
    assert child.spec.tests == ()  # tests are each file's own
    assert not child.allows_destination("openai", "us")
    assert child.allows_destination("mistral", "eu")
    # The child's hash covers its base: a change in the base is a new version of the child.
    assert child.sha256 != base.sha256
    before = child.sha256
    write(tmp_path, "base", (tmp_path / "base.yaml").read_text() + "# touched\n")
    assert load_dir(tmp_path)["child"].sha256 != before
    assert child.origin_of("min_score") == base.origin_of("min_score")
    assert str(child.origin_of("languages")).endswith("child.yaml:2")


def test_destinations_by_provider_name_or_region(tmp_path: Path) -> None:
    policy = load_policy(
        write(tmp_path, "p", "destinations:\n  providers: [openai-eu]\n  regions: [local]\n"),
        known_entities=KNOWN,
        languages=LANGUAGES,
    )
    assert policy.allows_destination("openai-eu", "us")  # named: whatever its region
    assert policy.allows_destination("ollama", "local")
    assert not policy.allows_destination("openai", "us")
    assert not policy.allows_destination("vllm", None)
    unrestricted = load_policy(
        write(tmp_path, "q", "description: x\n"), known_entities=KNOWN, languages=LANGUAGES
    )
    assert unrestricted.allows_destination("anything", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "rules:\n  - {entity: PERSON, action: block, regions: [eu], providers: [x]}\n",
            ":2 rules[0]: give one of providers, regions, outside_regions, not providers and "
            "regions (write two rules)",
        ),
        (
            "rules:\n  - {entity: [PERSON, '*'], action: block}\n",
            ":2 rules[0].entity: '*' already names every type",
        ),
        (
            "rules:\n  - {entity: [PERSON, PERSN], action: block}\n",
            ":2 rules[0].entity: 'PERSN' is not a supported entity type",
        ),
        (
            "rules:\n  - {entity: PERSON, action: block, regions: [eu]}\n"
            "  - {entity: [IBAN_CODE, PERSON], action: allow, regions: [eu]}\n",
            ":1 rules: entity PERSON has more than one rule (regions: [eu])",
        ),
        ("destinations: {}\n", ":1 destinations: list at least one provider or region"),
        ("destinations: {region: [eu]}\n", ":1 destinations.region: unknown key"),
        ("scope: [user, prompts]\n", ":1 scope[1]: 'prompts' is not one of system, user"),
        ("scope: []\n", ":1 scope: list the parts to scan (system, user, assistant"),
        ("generated: censor\n", ":1 generated.action: 'censor' is not one of allow, redact"),
        ("extends: 12\n", ":1 extends: Input should be a valid string"),
        (
            "tests:\n  - name: t\n    provider: openai\n    text: hi\n    expect: {}\n",
            ":5 tests[0].expect: expect at least one of masked, blocked, text, refused",
        ),
        (
            "tests:\n  - name: t\n    provider: openai\n    text: hi\n"
            "    expect: {blocked: true, text: hi}\n",
            ":5 tests[0].expect: 'blocked' cannot be combined with text",
        ),
        (
            "tests:\n  - {name: t, provider: openai, text: hi, expect: {masked: [PERSN]}}\n",
            ":2 tests[0].expect.masked: 'PERSN' is not a supported entity type",
        ),
        (
            "tests:\n  - {name: t, text: hi, expect: {masked: []}}\n",
            ":2 tests[0].provider: required key is missing",
        ),
    ],
)
def test_rule_errors_name_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "p", text)
    with pytest.raises(ConfigError) as caught:
        load_policy(path, known_entities=KNOWN, languages=LANGUAGES)
    assert str(caught.value).startswith(f"{path}{expected}"), str(caught.value)


def test_extends_errors_name_the_line(tmp_path: Path) -> None:
    write(tmp_path, "a", "description: a\nextends: b\n")
    write(tmp_path, "b", "extends: c\n")
    write(tmp_path, "c", "extends: a\n")
    write(tmp_path, "d", "description: d\n\nextends: nowhere\n")
    write(tmp_path, "e", "extends: broken\n")
    write(tmp_path, "broken", "min_score: 3\n")
    with pytest.raises(ConfigError) as caught:
        load_dir(tmp_path)
    message = str(caught.value).replace(f"{tmp_path}/", "")
    assert "c.yaml:1 extends: policies extend each other in a loop: a → b → c → a" in message
    assert f"d.yaml:3 extends: no policy 'nowhere' in {tmp_path} (available: a, b," in message
    assert "broken.yaml:1 min_score: Input should be less than" in message
    assert "e.yaml:1 extends: policy 'broken' is invalid (see its errors)" in message
    assert message.count("min_score") == 1  # each problem reported once


def test_a_child_validates_its_own_keys_against_the_inherited_recognizers(tmp_path: Path) -> None:
    write(tmp_path, "base", "recognizers:\n  - {entity: BADGE, deny_list: [B-1]}\n")
    write(tmp_path, "child", "extends: base\nrules:\n  - {entity: BADGE, action: block}\n")
    write(tmp_path, "other", "rules:\n  - {entity: BADGE, action: block}\n")
    with pytest.raises(ConfigError) as caught:
        load_dir(tmp_path)
    assert "other.yaml:2 rules[0].entity: 'BADGE' is not a supported" in str(caught.value)
    assert "child.yaml" not in str(caught.value)


def test_existing_policies_keep_their_hash_and_meaning(tmp_path: Path) -> None:
    """Backward compatible: a policy without the new keys decides as before, everywhere,
    and its hash is still the SHA-256 of its bytes (audit records name it)."""
    import hashlib  # noqa: PLC0415

    text = "rules:\n  - {entity: PERSON, action: redact}\n"
    path = write(tmp_path, "old", text)
    policy = load_policy(path, known_entities=KNOWN, languages=LANGUAGES)
    assert policy.sha256 == hashlib.sha256(text.encode()).hexdigest()
    for target in (None, HR_TO_EU, BOT_TO_US, HR_TO_NOWHERE):
        assert policy.decision_for("PERSON", target).action is Action.REDACT
        assert policy.decision_for("EMAIL_ADDRESS", target).action is Action.MASK
        assert policy.allows_destination("openai" if target is None else target.provider, None)
    assert policy.spec.scope == tuple(Part)

"""Shadow mode (`proxy.shadow`): a rule or a whole policy marked `mode: shadow` is computed
and audited as what would have been done, and the request goes on under the enforced rules.
The policy model first, then real requests through Voile to the fake provider."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openai
import pytest

from audit import cli as audit_cli
from proxy.app import RELOADER, SERVICES
from proxy.cli import describe_policy, explain_lines
from proxy.config import Config
from proxy.policy import Action, Mode, Policy, Target, enforced_and_shadow, load_policies
from proxy.reload import Result, Trigger
from proxy.yamlfile import ConfigError
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import VoileFactory, audit_store_of, client_for
from tests.proxy.support import records

KNOWN = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "DATE_TIME"}
BASE = "languages: [en, fr]\ndefault_action: mask\n"
PROMPT = "Please write to John Smith about the invoice."


def load(directory: Path, files: dict[str, str]) -> dict[str, Policy]:
    directory.mkdir(exist_ok=True)
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(text)
    return dict(load_policies(directory, known_entities=KNOWN, languages={"en", "fr"}))


# -- the model -----------------------------------------------------------------------------


def test_a_shadow_rule_takes_no_part_in_decisions_and_wins_in_the_rollout(
    tmp_path: Path,
) -> None:
    policies = load(
        tmp_path,
        {
            "default": BASE + "rules:\n"
            "  - {entity: PERSON, action: mask}\n"
            "  - {entity: PERSON, action: allow, mode: shadow}\n"  # same conditions, shadow
            "  - {entity: EMAIL_ADDRESS, action: block, mode: shadow}\n"
        },
    )
    policy = policies["default"]
    assert policy.decision_for("PERSON").action is Action.MASK
    assert policy.decision_for("EMAIL_ADDRESS").action is Action.MASK  # the default action
    # The rollout: the shadow rule beats the enforced one equal on everything but strictness.
    assert policy.rollout.decision_for("PERSON").action is Action.ALLOW
    assert policy.rollout.decision_for("EMAIL_ADDRESS").action is Action.BLOCK
    assert enforced_and_shadow(policy, policies) == (policy, policy.rollout)


def test_a_policy_without_shadow_has_no_shadow(tmp_path: Path) -> None:
    policies = load(tmp_path, {"default": BASE})
    assert enforced_and_shadow(policies["default"], policies) == (policies["default"], None)


def test_two_shadow_rules_for_one_type_under_the_same_conditions_are_an_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(
        ConfigError,
        match=r"default.yaml:3 rules: entity PERSON has more than one rule in shadow mode",
    ):
        load(
            tmp_path,
            {
                "default": BASE + "rules:\n"
                "  - {entity: PERSON, action: allow, mode: shadow}\n"
                "  - {entity: PERSON, action: block, mode: shadow}\n"
            },
        )


def test_a_shadow_policy_runs_its_apps_under_its_base_and_is_not_inherited(
    tmp_path: Path,
) -> None:
    policies = load(
        tmp_path,
        {
            "default": BASE,
            "strict": "extends: default\nmode: shadow\n"
            "rules:\n  - {entity: PERSON, action: block}\n",
            "stricter": "extends: strict\n",
        },
    )
    enforced, shadow = enforced_and_shadow(policies["strict"], policies)
    assert enforced is policies["default"]
    assert shadow is not None
    assert shadow.name == "strict"
    assert shadow.decision_for("PERSON").action is Action.BLOCK
    # `mode` is each file's own: a policy extending a shadow policy is enforced.
    assert policies["stricter"].spec.mode is Mode.ENFORCE
    assert enforced_and_shadow(policies["stricter"], policies) == (policies["stricter"], None)


def test_a_shadow_policy_needs_a_base(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"default.yaml:1 .*shadow mode needs `extends`"):
        load(tmp_path, {"default": "mode: shadow\n" + BASE})


# -- through the proxy ---------------------------------------------------------------------


@pytest.fixture
def shadow_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "shadowing"
    directory.mkdir()
    return directory


def config_for(
    make_config: Callable[..., Config], directory: Path, files: dict[str, str], policy: str
) -> Config:
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(text)
    return make_config(
        policies_dir=str(directory),
        policy_reload={"watch": False, "check_seconds": 0},
        apps=[{"name": "support", "key": "vk-app-support-4f1c0d2e9b", "policy": policy}],
    )


async def test_a_shadow_rule_is_audited_as_would_have_blocked_and_not_enforced(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    shadow_dir: Path,
    fake_openai: FakeOpenAI,
    log_output: io.StringIO,
) -> None:
    config = config_for(
        make_config,
        shadow_dir,
        {"default": BASE + "rules:\n  - {entity: PERSON, action: block, mode: shadow}\n"},
        "default",
    )
    voile = await start_voile(config)
    async with client_for(voile) as sdk:
        answer = await sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
        )
    # Enforced: masked, forwarded, restored.
    assert answer.choices[0].message.content == PROMPT
    assert "John Smith" not in fake_openai.everything_received()
    [record] = records(config)
    assert (record.decision, record.status) == ("forwarded", 200)
    assert record.entity_actions == {"PERSON": {"mask": 1}}
    policy = voile.app[SERVICES].policies.policies["default"]
    assert record.details["shadow"] == {
        "policy": "default",
        "policy_hash": policy.sha256,
        "would_block": ["PERSON"],
        "entities": {"PERSON": {"block": 1}},
    }
    metrics = voile.app[SERVICES].metrics
    assert metrics.value("voile_shadow_decisions_total", entity="PERSON", action="block") == 1
    assert metrics.value("voile_entities_total", app="support", entity="PERSON", action="mask") == 1
    [line] = [json.loads(x) for x in log_output.getvalue().splitlines() if '"request"' in x]
    assert line["shadow"] == {"PERSON": {"block": 1}}

    # `voile audit report` shows it apart from what was done.
    month = datetime.now(UTC).strftime("%Y-%m")
    store = audit_store_of(config)
    try:
        out = io.StringIO()
        assert audit_cli.report_month(store, month, fmt="json", out=out) == 0
        [group] = json.loads(out.getvalue())["groups"]
        out = io.StringIO()
        assert audit_cli.report_month(store, month, out=out) == 0
        text = out.getvalue()
        out = io.StringIO()
        assert audit_cli.report_month(store, month, fmt="csv", out=out) == 0
        table = out.getvalue()
    finally:
        store.close()
    assert group["entity_types"]["PERSON"]["masked"] == 1
    assert group["entity_types"]["PERSON"]["blocked"] == 0  # what was done: masked
    assert group["shadow"] == {
        "requests": 1,
        "differed": 1,
        "would_refuse": 0,
        "would_block": 1,
        "errors": 0,
        "policies": [f"default@{policy.sha256[:12]}"],
        "would_have": {"PERSON": {"block": 1}},
    }
    assert "shadow mode (computed, NOT enforced): 1 requests" in text
    assert "    PERSON: would have been block 1" in text
    rows = [line.split(",") for line in table.splitlines()]
    assert rows[0][-1] == "mode"
    assert [row[4] for row in rows if row[-1] == "shadow"] == ["PERSON"]


async def test_a_shadow_policy_with_its_own_recognizer_and_destinations(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    shadow_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    """A stricter policy rolled out in shadow mode: it would refuse the US provider; once
    it allows it, it detects what the enforced one does not (its own recognizer: detection
    runs again for it). Requests go on under the base meanwhile. Then the mode is removed,
    the policies reloaded, and the same request is blocked."""
    strict = (
        "extends: default\n"
        "mode: shadow\n"
        "destinations: {regions: [eu]}\n"
        "recognizers:\n"
        "  - {entity: CUSTOMER_ID, patterns: [{regex: 'CUST-\\d{6}', score: 0.9}]}\n"
        "rules:\n"
        "  - {entity: CUSTOMER_ID, action: block}\n"
    )
    config = config_for(make_config, shadow_dir, {"default": BASE, "strict": strict}, "strict")
    us = config.providers["openai"].model_copy(update={"region": "us"})
    config = config.model_copy(update={"providers": {"openai": us}})
    voile = await start_voile(config)
    reloader = voile.app[RELOADER]
    text = "Customer CUST-204518 is John Smith."

    async def send() -> None:
        async with client_for(voile) as sdk:
            answer = await sdk.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
            )
        assert answer.choices[0].message.content == text

    await send()
    # Under the base: the id is no type it knows, so it leaves; the name is masked.
    assert "CUST-204518" in fake_openai.everything_received()
    assert "John Smith" not in fake_openai.everything_received()
    [record] = records(config)
    assert (record.policy_name, record.region) == ("default", "us")  # what it ran under
    shadow = record.details["shadow"]
    assert (shadow["policy"], shadow["would_refuse"]) == ("strict", "destination_not_allowed")

    (shadow_dir / "strict.yaml").write_text(strict.replace("[eu]", "[eu, us]"))
    assert await reloader.reload(Trigger.SIGHUP) is Result.APPLIED
    await send()
    latest = records(config)[-1]
    assert latest.policy_name == "default"
    assert latest.details["shadow"]["would_block"] == ["CUSTOMER_ID"]
    assert latest.details["shadow"]["entities"] == {"CUSTOMER_ID": {"block": 1}}
    assert "would_refuse" not in latest.details["shadow"]

    # Rolled out: the mode removed, reloaded; the same request is blocked now.
    (shadow_dir / "strict.yaml").write_text(
        strict.replace("mode: shadow\n", "").replace("[eu]", "[eu, us]")
    )
    assert await reloader.reload(Trigger.SIGHUP) is Result.APPLIED
    with pytest.raises(openai.BadRequestError):
        await send()
    final = records(config)[-1]
    assert (final.policy_name, final.decision) == ("strict", "blocked")
    assert "shadow" not in final.details


def test_policy_explain_and_check_show_what_is_in_shadow_mode(tmp_path: Path) -> None:
    policies = load(
        tmp_path,
        {
            "default": BASE + "rules:\n  - {entity: PERSON, action: block, mode: shadow}\n",
            "strict": "extends: default\nmode: shadow\n",
        },
    )
    target = Target("support", "openai", "us")
    lines = explain_lines(policies["default"], target)
    assert "rules that apply (per type, the winner first):" not in lines  # PERSON: none
    assert lines[-2:] == [
        "rules in shadow mode (computed and audited, not enforced):",
        f"  PERSON=block at {tmp_path / 'default.yaml'}:4 (everywhere)",
    ]
    assert "rules: PERSON=block(shadow)" in describe_policy(policies["default"], modelled={"en"})
    [mode] = [line for line in explain_lines(policies["strict"], target) if "mode:" in line]
    assert mode.startswith("mode: shadow — computed and audited, NOT enforced")
    assert "(default)" in mode

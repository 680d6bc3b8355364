"""The security team's commands: `voile policy check [DIR]` (validation and the policies' own
`tests:`, with an exit status for CI), `voile policy test` (what a policy does with a text)
and `voile policy explain` (which rules apply, from where). They run the detection engine in
this process, as `voile policy` does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from proxy.cli import main
from proxy.config import BUNDLED_POLICIES

FAILING = """\
extends: default
rules:
  - {entity: EMAIL_ADDRESS, action: block, regions: [us]}
tests:
  - name: e-mails are blocked for the US
    provider: openai
    region: us
    text: "Write to john.smith@example.com"
    expect: {blocked: [EMAIL_ADDRESS]}
  - name: a wrong expectation
    provider: mistral
    region: eu
    text: "Write to John Smith at john.smith@example.com"
    expect:
      text: "Write to John Smith at <EMAIL_ADDRESS>"
"""

CONFIG = """\
policies_dir: policies
providers:
  openai: {base_url: "https://api.openai.com", region: us}
  mistral: {base_url: "https://api.mistral.ai", region: eu}
  ollama: {base_url: "http://127.0.0.1:11434", region: local}
apps:
  - {name: hr-assistant, key: k1, policy: hr}
  - {name: support, key: k2, policy: default}
"""

HR = """\
extends: eu-only-identifiers
description: HR assistant
destinations: {regions: [eu, local]}
rules:
  - {entity: PERSON, action: allow, apps: [hr-assistant], regions: [eu]}
  - {entity: PHONE_NUMBER, action: redact, providers: [mistrall]}
"""


@pytest.fixture
def deployment(tmp_path: Path) -> Path:
    """A config with three providers (us, eu, local) and the bundled policies plus `hr`."""
    shutil.copytree(BUNDLED_POLICIES, tmp_path / "policies", ignore=shutil.ignore_patterns("*.py"))
    (tmp_path / "policies" / "hr.yaml").write_text(HR, encoding="utf-8")
    config = tmp_path / "voile.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def test_policy_check_runs_the_bundled_policies_tests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check", str(BUNDLED_POLICIES)]) == 0
    out = capsys.readouterr().out
    assert "ok  gdpr-strict" in out
    assert "ok  eu-only-identifiers" in out
    assert "PASS  gdpr-strict: an IBAN is redacted for an EU provider" in out
    assert "PASS  eu-only-identifiers: an IBAN is refused for a US provider" in out
    assert "FAIL" not in out
    assert out.rstrip().endswith(" passed, 0 failed")


def test_a_failing_policy_test_fails_the_check_naming_file_line_and_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(BUNDLED_POLICIES / "default.yaml", tmp_path)
    (tmp_path / "mail.yaml").write_text(FAILING, encoding="utf-8")
    assert main(["policy", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"PASS  mail: e-mails are blocked for the US  ({tmp_path / 'mail.yaml'}:5)" in out
    assert f"FAIL  mail: a wrong expectation  ({tmp_path / 'mail.yaml'}:10)" in out
    assert (
        "expected text 'Write to John Smith at <EMAIL_ADDRESS>', "
        "got 'Write to <PERSON> at <EMAIL_ADDRESS>'" in out
    )
    assert "1 passed, 1 failed" in out
    # --no-tests: validation only (no detection), and it passes.
    assert main(["policy", "check", "--no-tests", str(tmp_path)]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_an_invalid_policy_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text(
        "rules:\n  - {entity: PERSON, action: allow, regions: [eu], providers: [x]}\n",
        encoding="utf-8",
    )
    assert main(["policy", "check", str(tmp_path)]) == 2
    assert f"{tmp_path / 'bad.yaml'}:2 rules[0]: give one of providers" in capsys.readouterr().err


def test_policy_check_warns_about_names_the_config_does_not_define(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", "check", "--no-tests", "--config", str(deployment)]) == 0
    out = capsys.readouterr().out
    assert "warning: provider 'mistrall' is not in the config" in out
    assert "extends: eu-only-identifiers → default" in out
    assert "destinations: regions eu, local" in out


def test_policy_test_shows_each_detection_its_rule_and_the_masked_text(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policies = deployment.parent / "policies"
    code = main(
        [
            "policy",
            "test",
            "--config",
            str(deployment),
            "--app",
            "hr-assistant",
            "--provider",
            "mistral",
            "Refund John Smith (john.smith@example.com) on IBAN FR76 3000 6000 0112 3456 7890 189.",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == (
        "app hr-assistant → provider mistral (region eu): policy hr "
        f"({policies / 'hr.yaml'}, extends eu-only-identifiers → default)"
    )
    person = next(i for i, line in enumerate(lines) if "'John Smith'  PERSON" in line)
    assert "score 0.85  language en  recognizer " in lines[person]
    assert lines[person + 1] == (
        f"      rule {policies / 'hr.yaml'}:5 (apps: [hr-assistant], regions: [eu]) → allow"
    )
    email = next(i for i, line in enumerate(lines) if "EMAIL_ADDRESS  score" in line)
    assert re.search(r"recognizer \w*EmailRecognizer$", lines[email])
    assert lines[email + 1].startswith(f"      rule default_action ({policies / 'default.yaml'}:")
    assert lines[email + 1].endswith(") → mask")
    iban = next(i for i, line in enumerate(lines) if "IBAN_CODE  score" in line)
    assert lines[iban + 1].endswith("(everywhere) → mask") or "→ mask" in lines[iban + 1]
    assert lines[-2] == "the provider would see:"
    assert lines[-1].startswith("  Refund John Smith (<EMAIL_ADDRESS_")
    assert "<IBAN_CODE_" in lines[-1]


def test_policy_test_exit_status_says_refused_or_blocked(
    deployment: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["policy", "test", "--config", str(deployment), "--app", "hr-assistant"]
    assert main([*base, "--provider", "openai", "hello"]) == 1
    out = capsys.readouterr().out
    assert "refused: 403 destination_not_allowed — the policy allows regions eu, local" in out
    text = tmp_path / "prompt.txt"
    text.write_text("IBAN FR76 3000 6000 0112 3456 7890 189", encoding="utf-8")
    # The support app's policy (default) sends to the US; --policy tries another one.
    code = main(
        [
            *base[:4],
            "--app",
            "support",
            "--provider",
            "openai",
            "--policy",
            "eu-only-identifiers",
            "--file",
            str(text),
        ]
    )
    assert code == 1
    assert "blocked: 400 pii_blocked (IBAN_CODE); nothing forwarded" in capsys.readouterr().out


def test_policy_test_names_unknown_apps_and_providers(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["policy", "test", "--config", str(deployment), "x"]
    assert main([*base, "--app", "nobody", "--provider", "openai"]) == 2
    assert "no app 'nobody' in the config (apps: hr-assistant, support)" in capsys.readouterr().err
    assert main([*base, "--app", "support", "--provider", "nowhere"]) == 2
    assert "no provider 'nowhere' in the config" in capsys.readouterr().err


def test_policy_explain_lists_the_rules_that_apply_and_where_they_come_from(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policies = deployment.parent / "policies"
    base = ["policy", "explain", "--config", str(deployment)]
    assert main([*base, "--app", "hr-assistant", "--provider", "ollama"]) == 0
    out = capsys.readouterr().out
    assert "destination: allowed — the policy allows regions eu, local" in out
    assert f"default: mask (min_score 0.5)  ({policies / 'default.yaml'}:" in out
    iban = next(line for line in out.splitlines() if line.startswith("  IBAN_CODE "))
    assert "allow " in iban
    assert f"{policies / 'eu-only-identifiers.yaml'}:" in iban
    assert "(regions: [local])" in iban
    # The rules for other destinations and apps are listed apart.
    assert "rules for other apps or destinations: " in out
    assert "(outside_regions: [eu, local])" in out.split("rules for other apps")[1]
    assert "PERSON=allow" in out.split("rules for other apps")[1]

    assert main([*base, "--app", "support", "--provider", "openai", "--policy", "hr"]) == 0
    out = capsys.readouterr().out
    assert "destination: REFUSED (403 destination_not_allowed)" in out
    assert "rules that apply" not in out


def test_policy_explain_shows_what_a_rule_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    shutil.copy(BUNDLED_POLICIES / "default.yaml", policies)
    (policies / "us.yaml").write_text(
        "extends: default\nrules:\n  - {entity: '*', action: block, regions: [us]}\n",
        encoding="utf-8",
    )
    config = tmp_path / "voile.yaml"
    config.write_text(
        "policies_dir: policies\nproviders: {openai: {base_url: 'https://x', region: us}}\n"
        "apps: [{name: a, key: k, policy: us}]\n",
        encoding="utf-8",
    )
    command = ["policy", "explain", "--config", str(config), "--app", "a", "--provider", "openai"]
    assert main(command) == 0
    out = capsys.readouterr().out
    date = out.split("  DATE_TIME ")[1].splitlines()
    assert date[0].split()[0] == "block"  # a destination rule beats one naming none
    assert date[1].startswith(f"      overrides allow at {policies / 'default.yaml'}:")
    assert "  *                    block" in out

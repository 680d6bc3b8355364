"""The worked examples of docs/policies.md are real policies: each YAML block that starts with
`# policies/NAME.yaml` is loaded next to the bundled policies and its tests pass."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from proxy.config import BUNDLED_POLICIES
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Detector
from proxy.policy import load_policies
from proxy.policytools import run_policy_tests
from proxy.reload import supported_entities

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"
BLOCK = re.compile(r"```yaml\n# policies/([a-z0-9-]+)\.yaml\n(.*?)```", re.DOTALL)


def examples() -> dict[str, str]:
    return {name: body for name, body in BLOCK.findall(DOC.read_text(encoding="utf-8"))}


def test_the_page_has_its_worked_examples() -> None:
    assert set(examples()) == {
        "fake-example",
        "gdpr-strict-example",
        "healthcare",
        "identifiers-example",
        "eu-personal",
        "gdpr-rollout",
    }


async def test_every_worked_example_loads_and_passes_its_tests(
    tmp_path: Path, detector: Detector
) -> None:
    shutil.copytree(BUNDLED_POLICIES, tmp_path, dirs_exist_ok=True)
    for name, body in examples().items():
        (tmp_path / f"{name}.yaml").write_text(body, encoding="utf-8")
    policies = load_policies(
        tmp_path,
        known_entities=supported_entities(),
        languages=DetectionSettings().languages,
    )
    outcomes = await run_policy_tests(policies, detector, regions={})
    assert {o.policy.name for o in outcomes} >= set(examples())
    failed = [f"{o.policy.name}: {o.test.name}: {o.failures}" for o in outcomes if not o.passed]
    assert not failed


@pytest.mark.parametrize("name", ["gdpr-strict", "eu-only-identifiers", "pseudonymised"])
async def test_the_bundled_policies_pass_their_own_tests(name: str, detector: Detector) -> None:
    policies = load_policies(
        BUNDLED_POLICIES,
        known_entities=supported_entities(),
        languages=DetectionSettings().languages,
    )
    outcomes = await run_policy_tests({name: policies[name]}, detector, regions={})
    assert len(outcomes) >= 5
    assert [o.failures for o in outcomes if not o.passed] == []

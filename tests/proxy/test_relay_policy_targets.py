"""Policies by app and destination, through the relay: the same request is treated by the
rules of its app and of the provider (and region) it goes to, and a destination the app's
policy does not list is refused (403 `destination_not_allowed`, provider-shaped, audited)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Decision
from proxy.config import Config
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI, last_user_text
from tests.proxy.conftest import APP_KEY, OTHER_APP_KEY, VoileFactory
from tests.proxy.support import assert_not_leaked, both_providers, records, write_policy

PROMPT = "Write to John Smith at john.smith@example.com about the order."

EU_HR = """\
extends: default
destinations: {regions: [eu, local], providers: [anthropic]}
rules:
  - {entity: PERSON, action: allow, apps: [hr], regions: [eu]}
  - {entity: EMAIL_ADDRESS, action: block, outside_regions: [eu, local]}
"""


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def anthropic_upstream(aiohttp_server: Any, fake_anthropic: FakeAnthropic) -> TestServer:
    server: TestServer = await aiohttp_server(fake_anthropic.app())
    return server


@pytest.fixture
def config(
    make_config: Callable[..., Config],
    upstream: TestServer,
    anthropic_upstream: TestServer,
    policies_dir: Path,
) -> Config:
    """`openai` (region us), `mistral` (eu; the same fake) and `anthropic` (us); the app
    `hr` under the policy above, `support` under the default policy."""
    write_policy(policies_dir, "eu-hr", EU_HR)
    providers = both_providers(upstream, anthropic_upstream)
    providers["openai"]["region"] = "us"
    providers["anthropic"]["region"] = "us"
    providers["mistral"] = {**providers["openai"], "region": "eu"}
    return make_config(
        providers=providers,
        apps=[
            {"name": "support", "key": APP_KEY, "policy": "default"},
            {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": "eu-hr"},
        ],
    )


def sdk_for(server: TestServer, provider: str, key: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=str(server.make_url(f"/{provider}/v1")), api_key=key, max_retries=0
    )


async def chat(server: TestServer, provider: str, key: str) -> str:
    async with sdk_for(server, provider, key) as sdk:
        answer = await sdk.chat.completions.create(
            model="m", messages=[{"role": "user", "content": PROMPT}]
        )
    return answer.choices[0].message.content or ""


async def test_a_destination_outside_the_policy_is_refused_403_and_audited(
    start_voile: VoileFactory, config: Config, fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(config)
    async with sdk_for(server, "openai", OTHER_APP_KEY) as sdk:
        with pytest.raises(openai.PermissionDeniedError) as caught:
            await sdk.chat.completions.create(
                model="m", messages=[{"role": "user", "content": PROMPT}]
            )
        with pytest.raises(openai.PermissionDeniedError):
            await sdk.models.list()  # no body, still refused
    assert caught.value.code == "destination_not_allowed"
    assert caught.value.status_code == 403
    assert "eu-hr" in caught.value.message
    assert "John" not in caught.value.message
    assert fake_openai.received == []
    assert fake_openai.calls == []
    first, second = records(config)
    assert (first.decision, first.status, first.error_code) == (
        Decision.BLOCKED.value,
        403,
        "destination_not_allowed",
    )
    assert (first.app, first.provider, first.region) == ("hr", "openai", "us")
    assert first.policy_name == "eu-hr"
    assert second.error_code == "destination_not_allowed"


async def test_the_refusal_is_in_the_anthropic_shape_for_an_anthropic_provider(
    start_voile: VoileFactory,
    config: Config,
    policies_dir: Path,
    make_config: Callable[..., Config],
    fake_anthropic: FakeAnthropic,
) -> None:
    # `anthropic` is listed by name for eu-hr: allowed; a policy listing only regions is not.
    write_policy(policies_dir, "eu-only", "destinations: {regions: [eu]}\n")
    config = config.model_copy(
        update={
            "apps": (
                *config.apps[:1],
                config.apps[1].model_copy(update={"policy": "eu-only"}),
            )
        }
    )
    server = await start_voile(config)
    async with anthropic.AsyncAnthropic(
        base_url=str(server.make_url("/anthropic")), api_key=OTHER_APP_KEY, max_retries=0
    ) as sdk:
        with pytest.raises(anthropic.PermissionDeniedError) as caught:
            await sdk.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=16,
                messages=[{"role": "user", "content": PROMPT}],
            )
    assert caught.value.body["error"]["type"] == "permission_error"  # type: ignore[index]
    assert fake_anthropic.received == []


async def test_the_same_request_follows_the_rules_of_its_app_and_destination(
    start_voile: VoileFactory, config: Config, fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(config)
    # hr → mistral (eu): the name may go in clear, the e-mail is masked (default).
    assert await chat(server, "mistral", OTHER_APP_KEY) == PROMPT
    seen = last_user_text(fake_openai.received[-1])
    assert "John Smith" in seen
    assert "john.smith@example.com" not in seen
    # support → mistral: the default policy masks both.
    assert await chat(server, "mistral", APP_KEY) == PROMPT
    assert "John Smith" not in last_user_text(fake_openai.received[-1])
    # support → openai (us): the default policy has no destinations; masked, forwarded.
    assert await chat(server, "openai", APP_KEY) == PROMPT
    assert "john.smith@example.com" not in fake_openai.everything_received()
    regions = [(r.app, r.provider, r.region, r.decision) for r in records(config)]
    assert ("hr", "mistral", "eu", "forwarded") in regions
    assert ("support", "openai", "us", "forwarded") in regions


async def test_a_rule_for_a_region_blocks_there_and_only_there(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    upstream: TestServer,
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    write_policy(
        policies_dir,
        "no-mail-to-us",
        "extends: default\nrules:\n  - {entity: EMAIL_ADDRESS, action: block, regions: [us]}\n",
    )
    base = str(upstream.make_url("")).rstrip("/")
    config = make_config(
        providers={
            "openai": {"base_url": base, "api_key_env": "VOILE_TEST_PROVIDER_KEY", "region": "us"},
            "mistral": {"base_url": base, "api_key_env": "VOILE_TEST_PROVIDER_KEY", "region": "eu"},
        },
        apps=[{"name": "support", "key": APP_KEY, "policy": "no-mail-to-us"}],
    )
    server = await start_voile(config)
    with pytest.raises(openai.BadRequestError) as caught:
        await chat(server, "openai", APP_KEY)
    assert caught.value.code == "pii_blocked"
    assert "EMAIL_ADDRESS" in caught.value.message
    assert fake_openai.received == []
    assert await chat(server, "mistral", APP_KEY) == PROMPT
    assert_not_leaked(fake_openai, ["John Smith", "john.smith@example.com"])
    blocked, forwarded = records(config)
    assert (blocked.decision, blocked.region) == ("blocked", "us")
    assert blocked.entity_actions["EMAIL_ADDRESS"] == {"block": 1}
    assert (forwarded.decision, forwarded.region) == ("forwarded", "eu")


async def test_the_default_client_is_unchanged(client: openai.AsyncOpenAI) -> None:
    """No region, no destinations: the bundled default behaves as before."""
    answer = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": PROMPT}]
    )
    assert answer.choices[0].message.content == PROMPT

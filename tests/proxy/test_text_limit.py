"""`limits.max_text_chars`: a request carrying more text than that, all fields together, is
refused with 413 naming the limit before any detection starts; up to it, it is served."""

from __future__ import annotations

from collections.abc import Callable

import openai

from audit.events import Decision
from proxy.config import Config
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import VoileFactory, client_for
from tests.proxy.support import FailingDetector, records


async def test_too_much_text_is_413_naming_the_limit_before_detection(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    config = make_config(limits={"max_text_chars": 100})
    # A detector that fails every call: a 413 proves it was never asked.
    server = await start_voile(config, with_detector=FailingDetector())
    messages = [{"role": "system", "content": "s" * 60}, {"role": "user", "content": "u" * 41}]
    async with client_for(server) as sdk:
        try:
            await sdk.chat.completions.create(model="m", messages=messages)
        except openai.APIStatusError as error:
            caught = error
        else:
            raise AssertionError("not refused")
    assert caught.status_code == 413
    assert caught.code == "request_too_large"
    assert "101 characters" in caught.message
    assert "limits.max_text_chars" in caught.message
    assert fake_openai.received == []
    [record] = records(config)
    assert (record.decision, record.status) == (Decision.REJECTED.value, 413)


async def test_text_up_to_the_limit_is_served(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(make_config(limits={"max_text_chars": 100}))
    messages = [{"role": "system", "content": "s" * 60}, {"role": "user", "content": "u" * 40}]
    async with client_for(server) as sdk:
        answer = await sdk.chat.completions.create(model="m", messages=messages)
    assert answer.choices
    assert len(fake_openai.received) == 1

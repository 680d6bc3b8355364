"""Callers without a valid app key cannot grow the audit trail or the logs (issue 8, item 7).

Before an app is identified a refusal writes no chained entry: it is counted in `/metrics`,
logged as counts at most once per interval, and an address that keeps failing gets 429.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import aiohttp
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.gate import UnauthenticatedGate
from proxy.metrics import Metrics
from tests.proxy.conftest import APP_KEY, AdminFactory, VoileFactory
from tests.proxy.support import records

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Bonjour"}]}


async def test_keyless_and_unknown_provider_requests_leave_no_audit_entry(
    start_voile: VoileFactory,
    start_admin: AdminFactory,
    make_config: Callable[..., Config],
    log_output: io.StringIO,
) -> None:
    config = make_config(limits={"unauthenticated_per_minute": 0})
    voile = await start_voile(config)
    admin = await start_admin(voile)
    long_path = "/nowhere/" + "x" * 4000
    async with aiohttp.ClientSession() as http:
        for index in range(60):
            key = {"Authorization": f"Bearer wrong-{index}"} if index % 3 else {}
            url = voile.make_url("/openai/v1/chat/completions" if index % 2 else long_path)
            async with http.post(url, json=CHAT, headers=key) as response:
                assert response.status in (401, 404)
        async with http.get(admin.make_url("/metrics")) as response:
            metrics = await response.text()
        async with http.post(
            voile.make_url("/openai/v1/chat/completions"),
            json=CHAT,
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response:
            assert response.status == 200
    assert [record.app for record in records(config)] == ["support"]  # only the real app
    assert 'voile_unauthenticated_total{reason="invalid_app_key"} 30.0' in metrics
    assert 'voile_unauthenticated_total{reason="unknown_provider"} 30.0' in metrics
    assert "voile_audit_refused_total 0.0" in metrics
    lines = [json.loads(line) for line in log_output.getvalue().splitlines() if line.strip()]
    refused = [line for line in lines if line.get("event") == "unauthenticated_refused"]
    assert len(refused) == 1  # one line per interval, counts only
    assert "x" * 100 not in log_output.getvalue()
    assert not [line for line in lines if line.get("event") == "request" and line.get("app") == "-"]


async def test_an_address_that_keeps_failing_gets_429_and_a_real_app_still_passes_later(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
) -> None:
    config = make_config(limits={"unauthenticated_per_minute": 5})
    voile: TestServer = await start_voile(config)
    statuses = []
    async with aiohttp.ClientSession() as http:
        for _ in range(8):
            async with http.post(
                voile.make_url("/openai/v1/chat/completions"),
                json=CHAT,
                headers={"Authorization": "Bearer guess"},
            ) as response:
                statuses.append(response.status)
                body = await response.json()
        assert statuses == [401] * 5 + [429] * 3
        assert body["error"]["code"] == "too_many_unauthenticated_requests"
    assert records(config) == []


async def test_the_gate_refills_over_time_and_forgets_the_oldest_addresses() -> None:
    metrics = Metrics()
    gate = UnauthenticatedGate(60, metrics, max_addresses=3)
    for _ in range(60):
        await gate.refused("10.0.0.1", "invalid_app_key")
    assert await gate.over_limit("10.0.0.1")
    assert not await gate.over_limit("10.0.0.2")
    for address in ("a", "b", "c"):
        await gate.refused(address, "invalid_app_key")
    assert not await gate.over_limit("10.0.0.1")  # pushed out of the bounded table
    assert metrics.value("voile_unauthenticated_total", reason="invalid_app_key") == 63
    assert not await UnauthenticatedGate(0, metrics).over_limit("x")  # 0 turns the limit off

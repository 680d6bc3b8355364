"""Policy hot reload (`proxy.reload`): a change under `policies_dir` is validated and swapped
in whole, an invalid one keeps the running policies, and the audit trail names the version
each request ran under and every change. Real Voile, real fake provider, the official SDK."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.events import EntryKind
from proxy.app import RELOADER, SERVICES
from proxy.config import Config
from proxy.reload import (
    PolicyReloader,
    Result,
    Trigger,
    error_locations,
    load_policy_set,
    set_version,
)
from proxy.yamlfile import ConfigError
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.proxy.conftest import VoileFactory, audit_store_of, client_for
from tests.proxy.support import records

V1 = "languages: [en, fr]\ndefault_action: mask\n"
V2 = V1 + "rules:\n  - {entity: PERSON, action: block}\n"
# Invalid at line 4 (the action), and it names a person: the logs must not quote either.
INVALID = (
    "languages: [en, fr]\nallow_list: ['John Smith']\nrules:\n  - {entity: PERSON, action: mask2}\n"
)
PROMPT = "Please write to John Smith about the invoice."


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """As deploy tools and most editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def reload_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "reloading"
    directory.mkdir()
    (directory / "default.yaml").write_text(V1, encoding="utf-8")
    return directory


@pytest.fixture
def reload_config(make_config: Callable[..., Config], reload_dir: Path) -> Config:
    return make_config(
        policies_dir=str(reload_dir),
        policy_reload={"watch": True, "debounce_ms": 100, "check_seconds": 0},
    )


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


def request_records(config: Config) -> list[Any]:
    store = audit_store_of(config)
    try:
        return store.list_records(limit=10_000)
    finally:
        store.close()


def changes(config: Config) -> list[Any]:
    store = audit_store_of(config)
    try:
        return list(reversed(store.list_records(limit=100, kind=EntryKind.POLICY_CHANGE)))
    finally:
        store.close()


async def send(sdk: openai.AsyncOpenAI, text: str = PROMPT) -> tuple[str, int, str | None]:
    """(request id, status, answer text) of one chat request."""
    try:
        raw = await sdk.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": text}]
        )
    except openai.APIStatusError as error:
        return error.response.headers["x-voile-request-id"], error.status_code, None
    answer = raw.parse().choices[0].message.content
    return raw.headers["x-voile-request-id"], raw.http_response.status_code, answer


def reloader_of(voile: TestServer) -> PolicyReloader:
    return voile.app[RELOADER]


# -- the version and the error report, without a server ------------------------------------


def test_the_version_is_the_content_so_replicas_agree(tmp_path: Path) -> None:
    """Two directories with the same files (another replica's mount, another path, other
    times) have one version; a changed byte is another version."""
    one, two = tmp_path / "one", tmp_path / "two"
    for directory in (one, two):
        directory.mkdir()
        (directory / "default.yaml").write_text(V1)
        (directory / "hr.yaml").write_text("extends: default\n")
    os.utime(two / "default.yaml", (0, 0))
    files_one = {p.name: sha(p.read_text()) for p in one.glob("*.yaml")}
    files_two = {p.name: sha(p.read_text()) for p in two.glob("*.yaml")}
    assert set_version(files_one) == set_version(files_two)
    (two / "hr.yaml").write_text("extends: default\n\n")
    files_two = {p.name: sha(p.read_text()) for p in two.glob("*.yaml")}
    assert set_version(files_one) != set_version(files_two)


def test_error_locations_name_file_line_and_key_never_the_value(
    make_config: Callable[..., Config], reload_dir: Path
) -> None:
    (reload_dir / "default.yaml").write_text(INVALID)
    with pytest.raises(ConfigError) as caught:
        load_policy_set(make_config(policies_dir=str(reload_dir)))
    assert "mask2" in str(caught.value)  # the message for `voile policy check` says it
    where = error_locations(caught.value)
    assert where == [f"{reload_dir / 'default.yaml'}:4 rules[0].action"]
    assert "mask2" not in json.dumps(where)
    assert "John Smith" not in json.dumps(where)


# -- a running proxy -----------------------------------------------------------------------


async def test_a_file_change_is_swapped_in_and_every_version_is_in_the_trail(
    start_voile: VoileFactory, reload_config: Config, reload_dir: Path, log_output: io.StringIO
) -> None:
    voile = await start_voile(reload_config)
    reloader = reloader_of(voile)
    first = reloader.current.version
    async with client_for(voile) as sdk:
        _, status, answer = await send(sdk)
        assert (status, answer) == (200, PROMPT)  # masked, restored

        write_atomically(reload_dir / "default.yaml", V2)
        await until(lambda: reloader.current.version != first)
        _, status, _ = await send(sdk)
        assert status == 400  # PERSON is blocked now

    [before, after] = records(reload_config)
    assert (before.policy_name, before.policy_hash) == ("default", sha(V1))
    assert (after.policy_name, after.policy_hash, after.decision) == ("default", sha(V2), "blocked")
    [change] = changes(reload_config)
    assert change.details["result"] == "applied"
    assert change.details["trigger"] == "watch"
    assert (change.details["old"], change.details["new"]) == (first, reloader.current.version)
    assert change.details["files"] == {"default.yaml": {"old": sha(V1), "new": sha(V2)}}
    assert change.details["policies"] == {"default": sha(V2)}
    assert change.seq < after.seq  # the change is in the trail before any request under it
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    [reloaded] = [line for line in lines if line["event"] == "policies_reloaded"]
    assert reloaded["files"] == ["default.yaml"]


async def test_an_invalid_change_keeps_the_running_policies(
    start_voile: VoileFactory, reload_config: Config, reload_dir: Path, log_output: io.StringIO
) -> None:
    voile = await start_voile(reload_config)
    reloader = reloader_of(voile)
    running = reloader.current
    write_atomically(reload_dir / "default.yaml", INVALID)
    await until(lambda: any(c.details["result"] == "rejected" for c in changes(reload_config)))
    # Asked again (SIGHUP, another event) for the same content: logged again, audited once.
    assert await reloader.reload(Trigger.SIGHUP) is Result.REJECTED
    assert reloader.current is running

    async with client_for(voile) as sdk:
        _, status, answer = await send(sdk)
    assert (status, answer) == (200, PROMPT)  # still masked under the last good version
    [record] = records(reload_config)
    assert record.policy_hash == sha(V1)

    [rejected] = changes(reload_config)
    assert rejected.details["old"] == running.version
    assert rejected.details["new"] == set_version({"default.yaml": sha(INVALID)})
    assert rejected.details["errors"] == [f"{reload_dir / 'default.yaml'}:4 rules[0].action"]
    assert rejected.details["files"] == {"default.yaml": {"old": sha(V1), "new": sha(INVALID)}}
    text = log_output.getvalue()
    errors = [json.loads(line) for line in text.splitlines() if "policy_reload_rejected" in line]
    assert len(errors) >= 2  # each time asked (the start check may see it too)
    assert all(e["level"] == "error" for e in errors)
    assert errors[0]["errors"] == [f"{reload_dir / 'default.yaml'}:4 rules[0].action"]
    assert "mask2" not in text  # the file's content, never logged (the fixture checks names)

    # Fixed: the next change is applied, and its entry says from which version.
    write_atomically(reload_dir / "default.yaml", V2)
    await until(lambda: reloader.current is not running)
    assert changes(reload_config)[-1].details["old"] == running.version


async def test_an_app_naming_a_policy_that_disappears_is_an_invalid_change(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    reload_dir: Path,
) -> None:
    (reload_dir / "hr.yaml").write_text("extends: default\n")
    config = make_config(
        policies_dir=str(reload_dir),
        policy_reload={"watch": False, "check_seconds": 0},
        apps=[{"name": "support", "key": "vk-app-support-4f1c0d2e9b", "policy": "hr"}],
    )
    voile = await start_voile(config)
    reloader = reloader_of(voile)
    running = reloader.current
    (reload_dir / "hr.yaml").unlink()
    assert await reloader.reload(Trigger.SIGHUP) is Result.REJECTED
    assert reloader.current is running
    [rejected] = changes(config)
    assert rejected.details["errors"] == [
        f"app support: policy 'hr' not found in {reload_dir} (available: default)"
    ]
    assert rejected.details["files"] == {"hr.yaml": {"old": sha("extends: default\n"), "new": None}}


async def test_a_request_keeps_the_policies_it_started_with(
    start_voile: VoileFactory, reload_config: Config, reload_dir: Path, fake_openai: FakeOpenAI
) -> None:
    """A request forwarded under V1 whose answer comes after V2 is swapped in is restored
    with its own placeholders and audited under V1; the next one runs under V2."""
    reload_config = reload_config.model_copy(
        update={"policy_reload": reload_config.policy_reload.model_copy(update={"watch": False})}
    )
    voile = await start_voile(reload_config)
    reloader = reloader_of(voile)
    fake_openai.replies.append(Reply(delay_seconds=1.5))
    async with client_for(voile) as sdk:
        slow = asyncio.create_task(send(sdk))
        await until(lambda: len(fake_openai.received) == 1)  # forwarded, masked, under V1
        (reload_dir / "default.yaml").write_text(V2)
        assert await reloader.reload(Trigger.SIGHUP) is Result.APPLIED
        _, status, _ = await send(sdk)
        assert status == 400
        _, status, answer = await slow
    assert (status, answer) == (200, PROMPT)
    by_status = {r.status: r for r in records(reload_config)}
    assert by_status[200].policy_hash == sha(V1)
    assert by_status[400].policy_hash == sha(V2)


async def test_a_reloaded_policy_misses_the_detection_cache(
    start_voile: VoileFactory, reload_config: Config, reload_dir: Path
) -> None:
    """The cache's key covers the policy's hash: after a reload the same text is analysed
    again under the new policy, and not served the old policy's results."""
    config = reload_config.model_copy(
        update={"policy_reload": reload_config.policy_reload.model_copy(update={"watch": False})}
    )
    voile = await start_voile(config)
    metrics = voile.app[SERVICES].metrics
    async with client_for(voile) as sdk:
        await send(sdk)
        await send(sdk)
        assert metrics.value("voile_detection_cache_hits_total") == 1
        misses = metrics.value("voile_detection_cache_misses_total")
        # Same rules, another file content (a comment): another version, so a miss.
        (reload_dir / "default.yaml").write_text(V1 + "# reviewed\n")
        assert await reloader_of(voile).reload(Trigger.SIGHUP) is Result.APPLIED
        await send(sdk)
    assert metrics.value("voile_detection_cache_hits_total") == 1
    assert metrics.value("voile_detection_cache_misses_total") == misses + 1


async def test_reload_under_traffic_no_request_sees_a_half_loaded_policy(
    start_voile: VoileFactory, reload_config: Config, reload_dir: Path, log_output: io.StringIO
) -> None:
    """Requests run without pause while the policy changes: atomically, written in place in
    two halves (a torn read must be neither applied nor reported), then invalid, then fixed.
    Every request ran under a whole version, V1 or V2, and did what that version says; the
    trail has both versions and each change."""
    voile = await start_voile(reload_config)
    reloader = reloader_of(voile)
    policy = reload_dir / "default.yaml"
    results: list[tuple[str, int, str | None]] = []
    done = asyncio.Event()

    async def traffic() -> None:
        async with client_for(voile) as sdk:
            while not done.is_set():
                results.append(await send(sdk))

    async def settle_on(text: str) -> None:
        expected = set_version({"default.yaml": sha(text)})
        await until(lambda: reloader.current.version == expected)
        await asyncio.sleep(0.3)  # some traffic under it

    senders = [asyncio.create_task(traffic()) for _ in range(3)]
    try:
        await asyncio.sleep(0.3)
        write_atomically(policy, V2)
        await settle_on(V2)
        with policy.open("w", encoding="utf-8") as handle:  # in place, in two halves
            handle.write(V1[:25])
            handle.flush()
            await asyncio.sleep(0.4)  # longer than the debounce: the half is seen
            handle.write(V1[25:])
        await settle_on(V1)
        write_atomically(policy, INVALID)
        await until(lambda: changes(reload_config)[-1].details["result"] == "rejected")
        await asyncio.sleep(0.3)
        write_atomically(policy, V2)
        await settle_on(V2)
    finally:
        done.set()
        await asyncio.gather(*senders)

    trail = {record.request_id: record for record in request_records(reload_config)}
    assert len(trail) == len(results) > 10
    outcomes = {sha(V1): 0, sha(V2): 0}
    for request_id, status, answer in results:
        record = trail[request_id]
        assert record.policy_hash in outcomes, "a request ran under a version never loaded"
        outcomes[record.policy_hash] += 1
        if record.policy_hash == sha(V1):
            assert (status, answer) == (200, PROMPT)
        else:
            assert (status, record.decision) == (400, "blocked")
    assert all(outcomes.values()), outcomes

    entries = [c.details for c in changes(reload_config)]
    applied = [(e["old"], e["new"]) for e in entries if e["result"] == "applied"]
    v1, v2 = (set_version({"default.yaml": sha(t)}) for t in (V1, V2))
    assert applied in ([(v1, v2), (v2, v1), (v1, v2)],)
    rejected = [e for e in entries if e["result"] == "rejected"]
    assert set_version({"default.yaml": sha(INVALID)}) in [e["new"] for e in rejected]
    # The half-written file was never swapped in: a torn read was retried, or, if the half
    # was read alone, rejected like any invalid content; it never reached a request.
    half = set_version({"default.yaml": sha(V1[:25])})
    assert half not in [new for _, new in applied]


async def test_replicas_sharing_a_directory_converge(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    reload_dir: Path,
) -> None:
    """Two proxies on one directory and one trail: one watches, the other only checks
    periodically (as on a network file system whose events do not arrive); both end on the
    same version, and each records its own change."""
    watching = make_config(
        policies_dir=str(reload_dir),
        policy_reload={"watch": True, "debounce_ms": 100, "check_seconds": 0},
    )
    checking = make_config(
        policies_dir=str(reload_dir), policy_reload={"watch": False, "check_seconds": 0.2}
    )
    one, two = await start_voile(watching), await start_voile(checking)
    first = reloader_of(one).current.version
    assert reloader_of(two).current.version == first
    write_atomically(reload_dir / "default.yaml", V2)
    expected = set_version({"default.yaml": sha(V2)})
    await until(lambda: reloader_of(one).current.version == expected)
    await until(lambda: reloader_of(two).current.version == expected)
    entries = changes(watching)
    # The checking replica sees the change at a periodic check, or, on a busy machine, when
    # its reloader starts after the write (it compares the directory with what it serves).
    assert sorted(e.details["trigger"] for e in entries) in (["check", "watch"], ["start", "watch"])
    assert {(e.details["old"], e.details["new"]) for e in entries} == {(first, expected)}
    for voile in (one, two):
        metrics = voile.app[SERVICES].metrics
        assert metrics.value("voile_policy_version_info", version=expected[:12]) == 1
        assert metrics.value("voile_policy_version_info", version=first[:12]) == 0
        assert metrics.value("voile_policy_reloads_total", result="applied") == 1

"""The unauthenticated limit past one replica (`proxy.gate`, `proxy.forwarded`), on real
servers: Voile apps on 127.0.0.1 in front of the fake provider, the real Redis on
127.0.0.1:6379 (tests marked `redis`), and Redis servers of the tests' own that stop
answering. Nothing is mocked.

- Two replicas sharing one Redis allow the budget once between them; without it, each
  allows it.
- The address is the peer, or behind a trusted proxy the right-most untrusted
  X-Forwarded-For entry; a spoofed header from anyone else, or a malformed one, changes
  nothing.
- Redis holds keyed hashes of addresses and numbers, never an address, and forgets them.
- Redis refusing connections, hanging, or dying mid-run: the replica counts alone, says so
  in its metrics and in one log line, answers 401/429 as before and never 500; a valid app
  is still served, and its request still scanned and masked.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest
import redis
from aiohttp.test_utils import TestServer

from proxy import gate as gate_module
from proxy.app import METRICS
from proxy.config import Config
from proxy.gate import KEY_PREFIX, bucket_key, derive_key
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, VoileFactory
from tests.proxy.support import PROMPTS, assert_not_leaked, records

REDIS_URL = os.environ.get("VOILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Bonjour"}]}
ATTEMPTS = "/openai/v1/chat/completions"


async def attempt(
    http: aiohttp.ClientSession, voile: TestServer, *, key: str = "guess", via: str | None = None
) -> int:
    """One request with app key `key`, with `X-Forwarded-For: via` if given: its status."""
    headers = {"Authorization": f"Bearer {key}"}
    if via is not None:
        headers["X-Forwarded-For"] = via
    async with http.post(voile.make_url(ATTEMPTS), json=CHAT, headers=headers) as response:
        await response.read()
        return response.status


def share_placeholder_key(*data_dirs: Path) -> bytes:
    """The same placeholder key in each data directory, as replicas have it (docs/deploy.md):
    the addresses' HMAC key derives from it."""
    secret = os.urandom(32)
    for data_dir in data_dirs:
        keys = data_dir / "keys"
        keys.mkdir(parents=True, mode=0o700, exist_ok=True)
        path = keys / "placeholder.key"
        path.write_text(secret.hex())
        path.chmod(0o600)
    return secret


@pytest.fixture
def real_redis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}); set "
            "VOILE_TEST_REDIS_URL or deselect these tests with -m 'not redis'"
        )
    yield client
    client.close()


def forget(client: redis.Redis, secret: bytes, addresses: list[str]) -> None:
    """Remove this test's buckets (they would expire within a minute anyway)."""
    client.delete(*(bucket_key(derive_key(secret), address) for address in addresses))


def log_events(output: io.StringIO, event: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in output.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line.get("event") == event]


def metric(voile: TestServer, name: str) -> float:
    return voile.app[METRICS].value(name)


@pytest.mark.redis
async def test_two_replicas_sharing_redis_refuse_after_the_shared_budget(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    tmp_path: Path,
    real_redis: redis.Redis,
) -> None:
    secret = share_placeholder_key(tmp_path / "a", tmp_path / "b")
    limits = {"unauthenticated_per_minute": 4, "shared_url": REDIS_URL}
    replica_a = await start_voile(make_config(data_dir=str(tmp_path / "a"), limits=limits))
    replica_b = await start_voile(make_config(data_dir=str(tmp_path / "b"), limits=limits))
    try:
        async with aiohttp.ClientSession() as http:
            statuses = [await attempt(http, replica) for replica in (replica_a, replica_b) * 3]
            # Four wrong keys in all, two on each replica: the fifth and sixth get 429.
            assert statuses == [401, 401, 401, 401, 429, 429]
            # Checked before the key: from this address even the right key now gets 429,
            # so a guesser cannot tell a right key by the answer.
            assert await attempt(http, replica_a, key=APP_KEY) == 429
            assert await attempt(http, replica_b, key=APP_KEY) == 429
        for replica in (replica_a, replica_b):
            assert metric(replica, "voile_unauthenticated_shared_store_up") == 1
            assert metric(replica, "voile_unauthenticated_local_fallback_total") == 0
    finally:
        forget(real_redis, secret, ["127.0.0.1"])


async def test_without_a_shared_store_each_replica_allows_the_budget_alone(
    start_voile: VoileFactory, make_config: Callable[..., Config], tmp_path: Path
) -> None:
    """What the shared store fixes: N replicas allow N times the budget."""
    share_placeholder_key(tmp_path / "a", tmp_path / "b")
    limits = {"unauthenticated_per_minute": 2}
    replica_a = await start_voile(make_config(data_dir=str(tmp_path / "a"), limits=limits))
    replica_b = await start_voile(make_config(data_dir=str(tmp_path / "b"), limits=limits))
    async with aiohttp.ClientSession() as http:
        statuses = [await attempt(http, replica) for replica in (replica_a, replica_b) * 3]
    assert statuses == [401, 401, 401, 401, 429, 429]


@pytest.mark.redis
async def test_redis_holds_keyed_hashes_and_numbers_never_an_address(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    tmp_path: Path,
    real_redis: redis.Redis,
) -> None:
    secret = share_placeholder_key(tmp_path / "data")
    addresses = ["198.51.100.23", "2001:db8::77", "203.0.113.200"]
    config = make_config(
        limits={
            "unauthenticated_per_minute": 3,
            "shared_url": REDIS_URL,
            "trusted_proxies": ["127.0.0.0/8"],
        }
    )
    voile = await start_voile(config)
    try:
        async with aiohttp.ClientSession() as http:
            for address in addresses:
                assert await attempt(http, voile, via=address) == 401
            async with http.get(
                voile.make_url("/nowhere/x"), headers={"X-Forwarded-For": addresses[0]}
            ) as response:
                assert response.status == 404  # an unknown provider is counted too
        written = "".join(
            key.decode()
            + json.dumps({k.decode(): v.decode() for k, v in real_redis.hgetall(key).items()})
            for key in real_redis.scan_iter(match=f"{KEY_PREFIX}*", count=1000)
        )
        everything = b" ".join(real_redis.scan_iter(count=1000)).decode("utf-8", "replace")
        for address in [*addresses, "127.0.0.1", "2001:0db8:0000:0000:0000:0000:0000:0077"]:
            assert address not in written
            assert address not in everything
        hmac_key = derive_key(secret)
        for address, left in zip(addresses, ("1", "2", "2"), strict=True):
            key = bucket_key(hmac_key, address)
            bucket = real_redis.hgetall(key)
            assert set(bucket) == {b"tokens", b"at"}
            assert bucket[b"tokens"].decode().startswith(left)  # 3, less one or two refusals
            float(bucket[b"at"])  # a time, a number
            # Gone once the bucket would be full again: at most a minute and a second.
            assert 0 < real_redis.pttl(key) <= 61_000
        assert not real_redis.exists(bucket_key(hmac_key, "127.0.0.1"))  # the peer: unused
    finally:
        forget(real_redis, secret, [*addresses, "127.0.0.1"])


async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(
    start_voile: VoileFactory, make_config: Callable[..., Config]
) -> None:
    config = make_config(
        limits={"unauthenticated_per_minute": 3, "trusted_proxies": ["10.0.0.0/8"]}
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        # A new made-up address each time: all counted as the peer, 127.0.0.1.
        statuses = [await attempt(http, voile, via=f"203.0.113.{n}") for n in range(5)]
        assert statuses == [401, 401, 401, 429, 429]
        assert await attempt(http, voile) == 429  # the peer without a header: the same bucket


async def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_counted(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    config = make_config(
        limits={"unauthenticated_per_minute": 2, "trusted_proxies": ["127.0.0.0/8", "10.0.0.0/8"]}
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        # The balancer (127.0.0.1, trusted) appends the client it served; a second trusted
        # hop (10.0.0.3) in front of it too. What the client wrote itself on the left is not
        # read: it cannot pick a fresh bucket by prepending addresses.
        seen_as_mallory = [
            "198.51.100.66",
            "198.51.100.66, 10.0.0.3",
            "1.2.3.4, 198.51.100.66",
            "garbage, 5.6.7.8, 198.51.100.66, 10.0.0.3",
        ]
        statuses = [await attempt(http, voile, via=via) for via in seen_as_mallory]
        assert statuses == [401, 401, 429, 429]
        # Everyone else behind the same balancer is unaffected: the whole point.
        assert await attempt(http, voile, via="198.51.100.7") == 401
        assert await attempt(http, voile, via="2001:db8::9, 10.0.0.3") == 401
        assert await attempt(http, voile) == 401  # the balancer itself, no header
        assert await attempt(http, voile, key=APP_KEY, via="198.51.100.7") == 200
    assert len(fake_openai.received) == 1
    # The client's address is the gate's only: it does not travel on to the provider.
    assert not [h for h in fake_openai.headers if "x-forwarded-for" in {k.lower() for k in h}]


async def test_a_malformed_forwarded_for_falls_back_to_the_peer(
    start_voile: VoileFactory, make_config: Callable[..., Config]
) -> None:
    config = make_config(
        limits={"unauthenticated_per_minute": 3, "trusted_proxies": ["127.0.0.0/8"]}
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        malformed = ["not-an-address", "198.51.100.5, oops", "198.51.100.5:443", ""]
        statuses = [await attempt(http, voile, via=via) for via in malformed]
        assert statuses == [401, 401, 401, 429]  # one bucket: the peer's
        assert await attempt(http, voile) == 429  # the peer itself
        assert await attempt(http, voile, via="198.51.100.5") == 401  # a real client: its own


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_redis_refusing_connections_leaves_the_replica_counting_alone_never_a_500(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
    log_output: io.StringIO,
) -> None:
    url = f"redis://:not-logged-secret@127.0.0.1:{free_port()}/0"  # nothing listens there
    config = make_config(
        limits={
            "unauthenticated_per_minute": 3,
            "shared_url": url,
            "trusted_proxies": ["127.0.0.0/8"],
        }
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        statuses = [await attempt(http, voile, via="198.51.100.1") for _ in range(5)]
        assert statuses == [401, 401, 401, 429, 429]
        prompt, values = PROMPTS["en_contact"]
        body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}
        async with http.post(
            voile.make_url(ATTEMPTS),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}", "X-Forwarded-For": "198.51.100.2"},
        ) as response:
            assert response.status == 200
            answer = await response.json()
    # Let through by the local bucket, and scanned and masked as ever.
    assert_not_leaked(fake_openai, values)
    assert "John Smith" in json.dumps(answer)  # restored for the app
    assert [record.app for record in records(config)] == ["support"]
    assert metric(voile, "voile_unauthenticated_shared_store_up") == 0
    assert metric(voile, "voile_unauthenticated_local_fallback_total") >= 6
    down = log_events(log_output, "gate_shared_store_unavailable")
    assert len(down) == 1  # once per change of state, not per request
    assert down[0]["error_type"] == "ConnectionError"
    text = log_output.getvalue()
    for secret in ("not-logged-secret", "198.51.100.1", "198.51.100.2", "127.0.0.1"):
        assert secret not in text


@pytest.fixture
async def silent_redis() -> AsyncIterator[int]:
    """A server that accepts connections and never answers: a Redis that hangs."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        while await reader.read(4096):
            pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hanging_redis_costs_one_timeout_then_is_left_alone(
    start_voile: VoileFactory, make_config: Callable[..., Config], silent_redis: int
) -> None:
    config = make_config(
        limits={
            "unauthenticated_per_minute": 2,
            "shared_url": f"redis://127.0.0.1:{silent_redis}/0",
        }
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        started = time.monotonic()
        assert await attempt(http, voile) == 401
        first = time.monotonic() - started
        started = time.monotonic()
        statuses = [await attempt(http, voile) for _ in range(3)]
        rest = time.monotonic() - started
    assert statuses == [401, 429, 429]
    assert first < 4 * gate_module.SHARED_TIMEOUT + 1.0  # bounded by the timeout, not hung
    assert rest < 1.0  # Redis left alone for RETRY_SECONDS: no more waiting
    assert metric(voile, "voile_unauthenticated_shared_store_up") == 0


class OwnRedis:
    """A Redis server of the test's own, on a free port and without persistence, that the
    test may kill and start again on the same port (real processes, stopped at the end)."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.port = free_port()
        self._command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        self._command += ["--save", "", "--appendonly", "no", "--dir", str(directory)]
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        """A new server, once it answers PING."""
        process = subprocess.Popen(
            self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.started.append(process)
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return process
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    servers = OwnRedis(binary, tmp_path)
    yield servers
    for process in servers.started:
        process.kill()
        process.wait(timeout=10)


async def test_redis_dying_mid_run_falls_back_then_shares_again_when_it_returns(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    own_redis: OwnRedis,
    log_output: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gate_module, "RETRY_SECONDS", 0.2)
    server = own_redis.start()
    port = own_redis.port
    config = make_config(
        limits={"unauthenticated_per_minute": 3, "shared_url": f"redis://127.0.0.1:{port}/0"}
    )
    voile = await start_voile(config)
    async with aiohttp.ClientSession() as http:
        assert [await attempt(http, voile) for _ in range(2)] == [401, 401]
        assert metric(voile, "voile_unauthenticated_shared_store_up") == 1
        server.kill()
        server.wait(timeout=10)
        # The local bucket saw the same two refusals: one more 401, then 429.
        assert [await attempt(http, voile) for _ in range(3)] == [401, 429, 429]
        assert metric(voile, "voile_unauthenticated_shared_store_up") == 0
        own_redis.start()  # back, empty (no persistence): a full shared bucket
        await asyncio.sleep(0.3)
        assert await attempt(http, voile) == 401
        assert metric(voile, "voile_unauthenticated_shared_store_up") == 1
    assert len(log_events(log_output, "gate_shared_store_unavailable")) == 1
    back = log_events(log_output, "gate_shared_store_back")
    assert len(back) == 1
    # Three attempts while it was down, each a check and a refusal decided locally.
    assert back[0]["local_decisions"] == 6


HAPROXY_CFG = Path(__file__).resolve().parents[2] / "deploy" / "compose" / "haproxy.cfg"


def loopback_haproxy_config(port: int, replicas: dict[str, int]) -> str:
    """deploy/compose/haproxy.cfg as it is (`option forwardfor`, health checks on /readyz,
    leastconn), with Docker's DNS taken out, its port and its servers on loopback."""
    lines = []
    skipping = False
    for original in HAPROXY_CFG.read_text().splitlines():
        words = original.split()
        if words[:1] == ["resolvers"]:
            skipping = True
            continue
        if skipping and original.startswith((" ", "\t")):
            continue
        skipping = False
        if words[:1] == ["bind"]:
            lines.append(f"    bind 127.0.0.1:{port}")
        elif words[:1] == ["default-server"]:
            lines.append(original.split(" resolvers ")[0])
        elif words[:1] == ["server"]:
            lines.append(f"    server {words[1]} 127.0.0.1:{replicas[words[1]]}")
        else:
            lines.append(original)
    return "\n".join(lines) + "\n"


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
async def test_behind_the_compose_balancer_one_guesser_is_refused_alone_across_replicas(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    tmp_path: Path,
    real_redis: redis.Redis,
) -> None:
    """deploy/compose's HAProxy config for real, in front of two replicas sharing the real
    Redis with deploy/compose's budget: a client on 127.0.0.2 sending wrong keys (and a
    made-up X-Forwarded-For) is refused with 429 after one budget spent on both replicas,
    while another client, on 127.0.0.3, behind the same balancer, is still served."""
    secret = share_placeholder_key(tmp_path / "a", tmp_path / "b")
    budget = 60  # deploy/compose/voile.yaml's limits.unauthenticated_per_minute
    limits = {
        "unauthenticated_per_minute": budget,
        "shared_url": REDIS_URL,
        "trusted_proxies": ["127.0.0.1/32"],  # the balancer's address, as the edge network
    }
    replicas = {
        "voile-a": await start_voile(make_config(data_dir=str(tmp_path / "a"), limits=limits)),
        "voile-b": await start_voile(make_config(data_dir=str(tmp_path / "b"), limits=limits)),
    }
    port = free_port()
    config_file = tmp_path / "haproxy.cfg"
    ports = {name: server.port for name, server in replicas.items() if server.port is not None}
    config_file.write_text(loopback_haproxy_config(port, ports))
    balancer = await asyncio.create_subprocess_exec(
        "haproxy",
        "-db",
        "-f",
        str(config_file),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{ATTEMPTS}"

    async def send(source: str, key: str, forwarded: str | None = None) -> int:
        connector = aiohttp.TCPConnector(local_addr=(source, 0), force_close=True)
        headers = {"Authorization": f"Bearer {key}"}
        if forwarded is not None:
            headers["X-Forwarded-For"] = forwarded
        async with (
            aiohttp.ClientSession(connector=connector) as http,
            http.post(url, json=CHAT, headers=headers) as response,
        ):
            await response.read()
            return response.status

    try:
        deadline = time.monotonic() + 20
        while True:  # until HAProxy listens and sends to a replica
            try:
                if await send("127.0.0.3", APP_KEY) == 200:
                    break
            except aiohttp.ClientError:
                pass
            assert balancer.returncode is None, "HAProxy stopped: run `haproxy -c` on its config"
            assert time.monotonic() < deadline, "HAProxy did not come up"
            await asyncio.sleep(0.1)
        guesses = [
            await send("127.0.0.2", f"guess-{n}", forwarded=f"198.51.100.{n % 250}")
            for n in range(budget + 3)
        ]
        assert guesses == [401] * budget + [429] * 3
        refused_by = {
            name: server.app[METRICS].value("voile_unauthenticated_total", reason="invalid_app_key")
            for name, server in replicas.items()
        }
        assert all(count > 0 for count in refused_by.values()), refused_by  # both took some
        assert sum(refused_by.values()) == budget  # the 401s; the 429s are `rate_limited`
        assert await send("127.0.0.3", APP_KEY) == 200
        assert await send("127.0.0.3", "wrong") == 401
    finally:
        balancer.terminate()
        await balancer.wait()
        forget(real_redis, secret, ["127.0.0.2", "127.0.0.3", "127.0.0.1"])

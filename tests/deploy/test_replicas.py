"""Two `voile serve` replicas sharing one PostgreSQL (the audit trail) and the conversation
vault (on Redis, as deploy/compose has it, or on PostgreSQL, as deploy/kubernetes has it),
deployed as docs/deploy.md says: keys made once by `voile-keys` and handed to both,
checkpoints in one shared directory, nothing else in common. Traffic goes to both, round
robin, with no affinity; one replica is killed (SIGKILL, its detection workers too) in the
middle of it, the other carries on, then the killed one comes back. Afterwards there is one
gapless chain holding every acknowledged request of both, `voile audit verify` passes with
every checkpoint matching, and a conversation begun on one replica is restored on the other.
(The requests in flight on the killed replica are lost to their clients; one whose intent
was written shows in the trail as an incomplete request, which `verify` reports and does not
count as a fault.)

The round robin lives in the test: it retries a request on the other replica only when the
connection was refused (nothing was sent), as the load balancers of deploy/ are told to.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import openai
import psycopg
import pytest
import redis
from aiohttp.test_utils import TestServer

from audit.keys import Keyring
from audit.store import AuditStore
from proxy.cli import main
from proxy.keyfiles import KEY_FILES
from proxy.keyfiles import main as voile_keys
from proxy.placeholders import TOKEN_PATTERN
from tests.audit.support import POSTGRES_URL, postgres_url
from tests.deploy.test_dockerfile import RUNTIME, only
from tests.fakes.openai_provider import FakeOpenAI, Reply, responses_user_text
from tests.proxy.test_serve import wait_ready

REDIS_URL = os.environ.get("VOILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
APP_KEY = "vk-replicas-test-8c41e2"
EMAIL = "jean.dupont@orange.fr"
NAME = "John Smith"
CLIENTS = 6
BEFORE_KILL = 30  # answers (from both replicas) before one is killed
AFTER_KILL = 20  # answers from the survivor alone afterwards
MAX_REQUESTS = 400

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(180)]


@dataclass
class Replica:
    name: str
    config: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "VOILE_REPLICAS_APP_KEY": APP_KEY}
        env.pop("VOILE_CONFIG", None)
        with self.log.open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "proxy.cli", "serve", "--config", str(self.config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.config.parent,
                start_new_session=True,  # its own process group: a kill takes the workers too
            )

    async def ready(self) -> None:
        assert self.process is not None
        try:
            await wait_ready(f"{self.base}/readyz", self.process, seconds=120)
        except AssertionError:
            raise AssertionError(self.log.read_text(errors="replace")[-3000:]) from None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM, as a container runtime stops it: drains the audit writer, signs a last
        checkpoint, exits 0."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def log_lines(self) -> list[dict[str, Any]]:
        return [
            json.loads(line)
            for line in self.log.read_text(errors="replace").splitlines()
            if line.startswith("{")
        ]


@dataclass
class Traffic:
    """The round robin: which replicas are up, and every answer by replica."""

    replicas: list[Replica]
    up: set[str] = field(default_factory=set)
    acknowledged: dict[str, list[str]] = field(default_factory=dict)  # replica -> request ids
    lost: int = 0  # sent, then the replica died: the client gets an error, nobody retries
    sent: int = 0

    def __post_init__(self) -> None:
        self.up = {r.name for r in self.replicas}
        self.acknowledged = {r.name: [] for r in self.replicas}

    def total(self) -> int:
        return sum(len(ids) for ids in self.acknowledged.values())

    def pick(self) -> Replica | None:
        live = [r for r in self.replicas if r.name in self.up]
        return live[self.sent % len(live)] if live else None

    async def one(self, http: aiohttp.ClientSession, n: int) -> None:
        self.sent += 1
        body = {
            "model": "m",
            "messages": [
                {"role": "user", "content": f"Hello, I am {NAME}, ticket {n}-{self.sent}."}
            ],
        }
        while (replica := self.pick()) is not None:
            try:
                async with http.post(
                    f"{replica.base}/openai/v1/chat/completions",
                    json=body,
                    headers={"Authorization": f"Bearer {APP_KEY}"},
                ) as resp:
                    answer = await resp.json()
                    assert resp.status == 200, answer
                    assert NAME in answer["choices"][0]["message"]["content"]
                    self.acknowledged[replica.name].append(resp.headers["x-voile-request-id"])
                    return
            except aiohttp.ClientConnectorError:
                self.up.discard(replica.name)  # refused: nothing was sent, try the other one
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, TimeoutError):
                self.lost += 1  # it was sent: retrying could send it twice
                return

    async def run(self, stop: asyncio.Event) -> None:
        async def client(http: aiohttp.ClientSession, n: int) -> None:
            while not stop.is_set() and self.sent < MAX_REQUESTS:
                await self.one(http, n)

        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            await asyncio.gather(*(client(http, n) for n in range(CLIENTS)))


async def until(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def write_config(
    directory: Path, port: int, upstream: str, *, app: str, audit_url: str, vault_url: str
) -> Path:
    config = directory / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        "data_dir: data\n"
        "policies_dir: ../policies\n"
        "providers:\n"
        f"  openai: {{base_url: '{upstream}', region: eu}}\n"
        "apps:\n"
        f"  - {{name: {app}, key_env: VOILE_REPLICAS_APP_KEY, policy: default}}\n"
        "detection: {workers: 1, models: {fr: null}}\n"
        f"audit: {{url: '{audit_url}', checkpoint_dir: ../checkpoints,\n"
        "        checkpoint_every_records: 10, checkpoint_every_seconds: 1}\n"
        f"conversations: {{url: '{vault_url}', ttl_seconds: 600}}\n"
    )
    return config


@pytest.fixture
def app_name() -> Iterator[str]:
    """A fresh app name: the Redis vault's keys start with it, and are removed afterwards."""
    name = f"replicas-{os.urandom(4).hex()}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(f"voile:conversation:{name}*"):
            client.delete(key)
    finally:
        client.close()


def healthcheck(replica: Replica) -> int:
    """The Dockerfile's HEALTHCHECK command, pointed at this replica's port."""
    argv = json.loads(only("HEALTHCHECK").arguments.partition("CMD ")[2])
    port = only("EXPOSE").arguments
    argv[-1] = argv[-1].replace(f"127.0.0.1:{port}/", f"127.0.0.1:{replica.port}/")
    argv[0] = sys.executable
    return subprocess.run(argv, capture_output=True, check=False, timeout=30).returncode


@pytest.mark.parametrize("vault", ["redis", "postgresql"])
async def test_two_replicas_one_killed_mid_load_one_chain_and_shared_conversations(
    vault: str,
    tmp_path: Path,
    pg_schema: str,
    app_name: str,
    aiohttp_server: Any,
    unused_tcp_port_factory: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert RUNTIME  # the Dockerfile parses
    fake = FakeOpenAI()
    upstream: TestServer = await aiohttp_server(fake.app())
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("languages: [en]\ndefault_action: mask\n")

    # The keys, made once; each replica gets its own copy, as each pod mounts the Secret.
    assert voile_keys([str(tmp_path / "keys")]) == 0
    audit_url = postgres_url(pg_schema)
    vault_url = REDIS_URL if vault == "redis" else audit_url
    replicas = []
    for name in ("a", "b"):
        directory = tmp_path / f"replica-{name}"
        shutil.copytree(tmp_path / "keys", directory / "data" / "keys")
        port = unused_tcp_port_factory()
        config = write_config(
            directory,
            port,
            str(upstream.make_url("")).rstrip("/"),
            app=app_name,
            audit_url=audit_url,
            vault_url=vault_url,
        )
        replicas.append(Replica(name, config, port, directory / "serve.log"))
    a, b = replicas

    try:
        for replica in replicas:  # together, on an empty database: both create the schema
            replica.start()
        await asyncio.gather(a.ready(), b.ready())

        # A conversation begins on replica A (the provider keeps it: previous_response_id).
        fake.replies.append(Reply(content="Noted.", response_id="resp_replicas_1"))
        async with openai.AsyncOpenAI(
            base_url=f"{a.base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk_a:
            await sdk_a.responses.create(model="gpt-4.1", input=f"My address is {EMAIL}.")
        token_match = TOKEN_PATTERN.search(responses_user_text(fake.received[-1]))
        assert token_match is not None
        token = token_match.group()

        # Load on both; A is killed once both have answered, B carries on alone.
        traffic = Traffic(replicas)
        stop = asyncio.Event()
        load = asyncio.create_task(traffic.run(stop))
        await until(
            lambda: traffic.total() >= BEFORE_KILL and all(traffic.acknowledged.values()),
            60,
            "answers from both replicas",
        )
        a.kill()
        assert healthcheck(a) != 0
        on_b = len(traffic.acknowledged["b"])
        await until(lambda: len(traffic.acknowledged["b"]) >= on_b + AFTER_KILL, 60, "B alone")
        stop.set()
        await asyncio.wait_for(load, 30)
        assert "a" not in traffic.up
        assert healthcheck(b) == 0

        # The conversation goes on on replica B: it restores what A minted.
        fake.replies.append(
            Reply(content=f"Your address is {token}.", response_id="resp_replicas_2")
        )
        async with openai.AsyncOpenAI(
            base_url=f"{b.base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk_b:
            answer = await sdk_b.responses.create(
                model="gpt-4.1", input="What is my address?", previous_response_id="resp_replicas_1"
            )
            assert answer.output_text == f"Your address is {EMAIL}."
            # And B gives the same value the same token: one placeholder key.
            await sdk_b.chat.completions.create(
                model="m", messages=[{"role": "user", "content": f"Write to {EMAIL}."}]
            )
        assert fake.received[-1]["messages"][0]["content"] == f"Write to {token}."
        assert EMAIL not in fake.everything_received()

        # A comes back on the trail B extended: continuity holds, and it serves turn 3.
        a.start()
        await a.ready()
        fake.replies.append(Reply(content=f"Still {token}.", response_id="resp_replicas_3"))
        async with openai.AsyncOpenAI(
            base_url=f"{a.base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk_a:
            again = await sdk_a.responses.create(
                model="gpt-4.1", input="Again?", previous_response_id="resp_replicas_2"
            )
        assert again.output_text == f"Still {EMAIL}."
        assert a.stop() == 0
        assert b.stop() == 0
    finally:
        for replica in replicas:
            replica.kill()

    # One gapless chain: sequence numbers 1..N with no hole, the head row at N.
    with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={pg_schema}") as connection:
        seqs = [row[0] for row in connection.execute("SELECT seq FROM audit_records ORDER BY seq")]
        [(head,)] = connection.execute("SELECT seq FROM audit_chain_head").fetchall()
    assert seqs == list(range(1, len(seqs) + 1))
    assert head == len(seqs)

    # Every answered request of both replicas has its outcome in it.
    keyring = Keyring.load(tmp_path / "keys" / "audit-keys.json")
    with AuditStore(audit_url, keyring) as store:
        outcomes = {r.request_id: r for r in store.list_records(limit=10_000)}
    for name, answered in traffic.acknowledged.items():
        assert answered, name
        missing = [request_id for request_id in answered if request_id not in outcomes]
        assert missing == [], f"replica {name}: {len(missing)} answered requests unrecorded"
        assert {(outcomes[r].decision, outcomes[r].status) for r in answered} == {
            ("forwarded", 200)
        }

    # `voile audit verify`, from either replica's config: intact, and anchored by checkpoints.
    checkpoints = list((tmp_path / "checkpoints").rglob("*.json"))
    assert checkpoints
    for replica in replicas:
        capsys.readouterr()
        code = main(["audit", "verify", "--json", "--config", str(replica.config)])
        report = json.loads(capsys.readouterr().out)
        assert code == 0, report["findings"]
        assert report["ok"] is True
        assert report["entries"] == len(seqs)
        assert report["checkpoints"] == report["checkpoints_matched"] == len(checkpoints)
        assert report["anchored_seq"] == len(seqs)  # the last stop signed the head
        assert report["incomplete_requests"] <= traffic.lost  # only what the kill cut off

    # Neither replica made a key of its own, and neither logged a personal value.
    for replica in replicas:
        events = {line["event"] for line in replica.log_lines()}
        assert not {e for e in events if e.endswith("_created")}, events
        text = replica.log.read_text(errors="replace")
        assert EMAIL not in text
        assert NAME not in text
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == sorted(KEY_FILES)

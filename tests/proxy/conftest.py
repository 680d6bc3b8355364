"""Real servers on 127.0.0.1: a fake OpenAI provider and Voile in front of it, driven by the
official `openai` SDK. One Presidio detector (worker process, real models) serves the session
(each pytest-xdist process has its own).
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.keys import Keyring
from audit.store import AuditStore
from proxy.admin import create_admin_app
from proxy.app import create_app
from proxy.config import BUNDLED_POLICIES, Config
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Detector
from proxy.logging import configure_logging
from tests.fakes.openai_provider import FakeOpenAI

APP_KEY = "vk-app-support-4f1c0d2e9b"
OTHER_APP_KEY = "vk-app-hr-77aa0b1c2d"
PROVIDER_KEY = "sk-provider-canary-b7e2c9a1"

# Every personal value any test sends. None may appear in any log line of any test.
CANARIES = [
    "John Smith",
    "john.smith@example.com",
    "Jean Dupont",
    "jean.dupont@orange.fr",
    "06 12 34 56 78",
    "FR76 3000 6000 0112 3456 7890 189",
    "Marie Curie",
    "marie.curie@sorbonne.fr",
    "+33 6 98 76 54 32",
    "GB82 WEST 1234 5698 7654 32",
    "Zoë Ångström",
    "zoe.angstrom@example.org",
    "4111 1111 1111 1111",
    APP_KEY,
    OTHER_APP_KEY,
    PROVIDER_KEY,
]


@pytest.fixture(scope="session")
def detector() -> Iterator[Detector]:
    from proxy.detection.pool import PresidioDetector  # noqa: PLC0415

    shared = PresidioDetector(DetectionSettings(workers=1))
    asyncio.run(shared.start())
    yield shared
    asyncio.run(shared.close())


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything Voile logs during the test, at DEBUG; checked for canaries afterwards."""
    stream = io.StringIO()
    configure_logging("debug", stream)
    yield stream
    text = stream.getvalue()
    leaked = [c for c in CANARIES if c in text or json.dumps(c)[1:-1] in text]
    assert not leaked, f"personal data or secrets in the logs: {leaked}"


@pytest.fixture
def fake_openai() -> FakeOpenAI:
    return FakeOpenAI()


@pytest.fixture
async def upstream(aiohttp_server: Any, fake_openai: FakeOpenAI) -> TestServer:
    server: TestServer = await aiohttp_server(fake_openai.app())
    return server


@pytest.fixture
def policies_dir(tmp_path: Path) -> Path:
    """A copy of the bundled policies that a test may add to."""
    target = tmp_path / "policies"
    shutil.copytree(BUNDLED_POLICIES, target)
    return target


@pytest.fixture
def make_config(
    tmp_path: Path, upstream: TestServer, policies_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Config]:
    monkeypatch.setenv("VOILE_TEST_PROVIDER_KEY", PROVIDER_KEY)
    monkeypatch.setenv("VOILE_TEST_HR_KEY", OTHER_APP_KEY)

    def make(**overrides: Any) -> Config:
        data: dict[str, Any] = {
            "data_dir": str(tmp_path / "data"),
            "policies_dir": str(policies_dir),
            "providers": {
                "openai": {
                    "base_url": str(upstream.make_url("")).rstrip("/"),
                    "api_key_env": "VOILE_TEST_PROVIDER_KEY",
                },
            },
            "apps": [
                {"name": "support", "key": APP_KEY, "policy": "default"},
                {"name": "hr", "key_env": "VOILE_TEST_HR_KEY", "policy": "default"},
            ],
        }
        data.update(overrides)
        return Config.model_validate(data).resolve(tmp_path)

    return make


VoileFactory = Callable[..., Awaitable[TestServer]]


@pytest.fixture
async def start_voile(
    aiohttp_server: Any,
    make_config: Callable[..., Config],
    detector: Detector,
    log_output: io.StringIO,
) -> VoileFactory:
    async def start(
        config: Config | None = None,
        *,
        with_detector: Detector | None = None,
        audit_store: AuditStore | None = None,
        span_exporter: Any = None,
    ) -> TestServer:
        app = create_app(
            config or make_config(),
            detector=with_detector or detector,
            audit_store=audit_store,
            span_exporter=span_exporter,
        )
        server: TestServer = await aiohttp_server(app)
        return server

    return start


@pytest.fixture
async def voile(start_voile: VoileFactory) -> TestServer:
    return await start_voile()


AdminFactory = Callable[[TestServer], Awaitable[TestServer]]


@pytest.fixture
def start_admin(aiohttp_server: Any) -> AdminFactory:
    """The admin listener of a running Voile (`proxy.admin`), on a port of its own."""

    async def start(voile: TestServer) -> TestServer:
        server: TestServer = await aiohttp_server(create_admin_app(voile.app))
        return server

    return start


def client_for(server: TestServer, key: str = APP_KEY, **kwargs: Any) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=str(server.make_url("/openai/v1")), api_key=key, max_retries=0, **kwargs
    )


@pytest.fixture
async def client(voile: TestServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with client_for(voile) as sdk:
        yield sdk


def audit_store_of(config: Config) -> AuditStore:
    keyring, _ = Keyring.load_or_create(config.audit_key_file)
    return AuditStore(config.audit_url, keyring)

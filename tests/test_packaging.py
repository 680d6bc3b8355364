"""A plain `pip install` can serve (issue 10, item 7): the wheel carries every package, the
bundled policies and the licence, and an install of it serves a governed request from a
directory that has no checkout in it.

The wheel is built from this tree (setuptools from the test extras, no network) and unpacked
into a fresh virtual environment, which is what `pip install --no-deps` does; its third-party
dependencies come from the project's virtualenv through a plain path entry, so the checkout's
editable install stays out of the way and every line of Voile's own code comes from the wheel.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.test_serve import wait_ready

ROOT = Path(__file__).resolve().parent.parent
APP_KEY = "vk-wheel-test-5e1d"
PROMPT = "Écrivez à Jean Dupont, jean.dupont@orange.fr, avant lundi."


def test_pyproject_lists_every_package_of_the_tree() -> None:
    """`packages` is an explicit list (the policies are mapped in): a new subpackage that is
    not listed would be missing from the wheel."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("proxy", "audit")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert listed == found | {"voile_policies"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("voile-*.whl")
    return built


def test_the_wheel_carries_the_policies_and_the_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "voile_policies/default.yaml" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert "proxy/app.py" in names
    assert "audit/store.py" in names
    # the detection data the workers read (a missing one fails only when a text needs it)
    for data in ("names.tsv.gz", "places.tsv.gz", "historical_figures.txt"):
        assert f"proxy/detection/data/{data}" in names
    assert not [name for name in names if name.startswith(("tests/", "bench/"))]


@dataclass(frozen=True)
class Installed:
    python: Path
    site: Path
    elsewhere: Path  # a working directory with no checkout in it
    env: dict[str, str]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    env_dir = root / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = Path(
        sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)})
    )
    zipfile.ZipFile(wheel).extractall(site)
    # Dependencies from the project's virtualenv, after the wheel's own files; a plain path
    # line, so that virtualenv's .pth files (the editable install) are not processed.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value for key, value in os.environ.items() if key not in ("VOILE_CONFIG", "PYTHONPATH")
    }
    return Installed(env_dir / "bin" / "python", site, elsewhere, env)


def test_the_installed_code_and_policies_come_from_the_wheel(installed: Installed) -> None:
    where = subprocess.run(
        [
            str(installed.python),
            "-c",
            "import proxy, voile_policies; print(proxy.__file__); print(voile_policies.__file__)",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=installed.elsewhere,
        env=installed.env,
    ).stdout.split()
    assert len(where) == 2
    assert all(path.startswith(str(installed.site)) for path in where), where
    check = subprocess.run(
        [str(installed.python), "-m", "proxy.cli", "policy", "check"],
        check=False,
        capture_output=True,
        text=True,
        cwd=installed.elsewhere,
        env=installed.env,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout[-1000:] + check.stderr[-1000:]


@pytest.mark.timeout(240)
async def test_an_installed_wheel_serves_from_any_directory(
    installed: Installed,
    aiohttp_server: Any,
    unused_tcp_port: int,
) -> None:
    python, elsewhere, clean_env = installed.python, installed.elsewhere, installed.env
    fake = FakeOpenAI()
    upstream: TestServer = await aiohttp_server(fake.app())
    config = elsewhere / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {unused_tcp_port}}}\n"
        "providers:\n"
        f"  openai: {{base_url: '{str(upstream.make_url('')).rstrip('/')}'}}\n"
        "apps:\n"
        f"  - {{name: wheel, key: {APP_KEY}}}\n"
        "detection: {workers: 1}\n"
    )
    process = subprocess.Popen(  # noqa: ASYNC220 - a child that outlives the await points
        [str(python), "-m", "proxy.cli", "serve", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=elsewhere,
        env=clean_env,
    )
    base = f"http://127.0.0.1:{unused_tcp_port}"
    try:
        await wait_ready(f"{base}/healthz", process)
        async with openai.AsyncOpenAI(
            base_url=f"{base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk:
            answer = await sdk.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
            )
        assert answer.choices[0].message.content == PROMPT
        assert "Jean Dupont" not in fake.everything_received()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    assert (elsewhere / "voile-data" / "audit.db").exists()

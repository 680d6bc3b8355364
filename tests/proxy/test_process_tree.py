"""`voile serve` as a real process: SIGHUP does not stop it (it reloads the policies), and after a
SIGKILL of the proxy alone (not of its process group) none of its children survives: the
detection workers die with their parent and no helper process (such as a multiprocessing
resource tracker) is left behind. Bounded in time; children are found through /proc."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from tests.proxy.test_serve import wait_ready

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def write_config(tmp_path: Path, port: int) -> Path:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("languages: [en]\ndefault_action: mask\n")
    config = tmp_path / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        f"data_dir: data\n"
        f"policies_dir: policies\n"
        f"providers:\n"
        f"  openai: {{base_url: 'http://127.0.0.1:9'}}\n"  # never called here
        f"anonymous_app: {{name: tree, policy: default}}\n"
        f"detection: {{workers: 2, models: {{fr: null}}}}\n"  # en only (others: patterns)
    )
    return config


def stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    return fields[0], int(fields[1])


def descendants(root: int) -> dict[int, str]:
    """pid -> command line of every living descendant of `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := stat(int(entry.name))) is not None:
            children.setdefault(info[1], []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError):
            found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        todo.extend(children.get(pid, []))
    return found


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie (dead, waiting for init to reap it) counts as gone."""
    info = stat(pid)
    return info is not None and info[0] not in ("Z", "X")


@pytest.mark.timeout(180)
async def test_sighup_is_ignored_and_no_child_outlives_a_kill_9(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    config = write_config(tmp_path, unused_tcp_port)
    env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: ASYNC220 - a child that outlives the await points
            [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
    base = f"http://127.0.0.1:{unused_tcp_port}"
    children: dict[int, str] = {}
    try:
        await wait_ready(f"{base}/healthz", process)
        children = descendants(process.pid)
        workers = [pid for pid, cmd in children.items() if "proxy.detection.worker" in cmd]
        assert len(workers) == 2, children
        assert set(children) == set(workers), f"unexpected helper processes: {children}"

        process.send_signal(signal.SIGHUP)
        await asyncio.sleep(1.0)
        assert process.poll() is None, "SIGHUP stopped the proxy"
        async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
            assert response.status == 200
        assert all(alive(pid) for pid in workers), "SIGHUP stopped a detection worker"

        process.kill()  # SIGKILL to the proxy alone: nothing of it runs any more
        process.wait(timeout=10)
        killed = time.monotonic()
        for _ in range(100):  # up to 5 s
            if not any(alive(pid) for pid in children):
                break
            await asyncio.sleep(0.05)
        print(f"children gone {time.monotonic() - killed:.2f} s after the kill")
        survivors = {pid: cmd for pid, cmd in children.items() if alive(pid)}
        assert not survivors, f"outlived the proxy: {survivors}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for pid in children:  # never leave anything behind, even when the test fails
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
    events = [
        json.loads(line)["event"]
        for line in log_path.read_text(errors="replace").splitlines()
        if line.startswith("{")
    ]
    assert "sighup_received" in events  # it reloads the policies (tests/proxy/test_serve_reload.py)

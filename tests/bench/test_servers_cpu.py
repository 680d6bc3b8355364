"""The benchmark's helpers: which code a served `voile` runs, and who used the CPU."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench import cpu, servers


def test_voile_command_runs_the_given_source_not_the_editable_install(tmp_path: Path) -> None:
    """A benchmark run from a worktree sharing the virtualenv must serve its own code: the
    command imports `proxy` from `source` (here a stand-in whose `main` names its file)."""
    package = tmp_path / "proxy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("def main():\n    print(__file__)\n    return 0\n")
    env = dict(os.environ)
    command = servers.voile_command(env, tmp_path)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert Path(done.stdout.strip()) == package / "cli.py"


def test_voile_command_defaults_to_this_checkout() -> None:
    env: dict[str, str] = {}
    servers.voile_command(env)
    assert env["PYTHONPATH"] == str(servers.ROOT)


BURNER = """
import sys, time
sys.stdin.readline()
end = time.process_time() + 0.4
while time.process_time() < end:
    pass
print("burnt", flush=True)
sys.stdin.read()
"""


def test_meter_charges_a_process_cpu_to_its_role_and_not_to_others() -> None:
    """A child burning 0.4 s of CPU inside the metered phase is counted in its role, and,
    being one of the benchmark's processes, is not counted again in "others"."""
    child = subprocess.Popen(
        [sys.executable, "-c", BURNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        usage = cpu.Usage()
        with cpu.Meter({"burner": [child.pid]}, [os.getpid(), child.pid]) as meter:
            child.stdin.write("go\n")
            child.stdin.flush()
            assert child.stdout.readline() == "burnt\n"
        meter.into(usage, requests=4, seconds=1.0)
    finally:
        child.stdin.close()
        child.wait(30)
        child.stdout.close()
    assert usage.cpu["burner"] >= 0.35
    assert usage.ms_per_request("burner") >= 350 / 4
    # The machine was busy at least the burner's time, but none of it is "others"'.
    assert usage.machine >= 0.35
    assert usage.cpu["others"] <= usage.machine - 0.35
    assert usage.ran["burner"] >= 0.35

"""The audit package's boundary: it never imports the proxy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_audit_module_loads_nothing_from_proxy() -> None:
    modules = sorted(f"audit.{p.stem}" for p in (ROOT / "audit").glob("*.py"))
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = [m for m in sys.modules if m == 'proxy' or m.startswith('proxy.')]\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "audit.store" in modules

"""docs/deploy.md points at files, tests and commands that exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deploy.md").read_text()


def test_every_file_the_guide_names_exists() -> None:
    named = set(re.findall(r"`((?:deploy|tests|docs|bench)/[\w./-]+)`", GUIDE))
    assert "tests/deploy/test_replicas.py" in named
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


def test_the_commands_it_uses_are_installed_by_the_package() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["voile-keys"] == "proxy.keyfiles:main"
    assert "voile-keys DIR" in GUIDE

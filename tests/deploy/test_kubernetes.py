"""deploy/kubernetes, without a cluster: every manifest is valid against Kubernetes' own
OpenAPI schemas (strict: no unknown field), oldest and newest supported versions, from the
kubernetes-validate wheel (nothing downloaded); kustomize renders the whole set once the
operator's secrets exist (kubectl's kustomize, where kubectl is installed); and the pieces agree
with each other, with the image and with the config the replicas run: probes, ports, the keys
Secret where `voile serve` reads its keys, the shared checkpoint volume, no affinity."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from proxy.config import Config, load_config
from proxy.keyfiles import KEY_FILES
from proxy.keyfiles import main as voile_keys
from proxy.reload import load_runtime_policies
from tests.deploy.test_dockerfile import only

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "kubernetes"
VERSIONS = ("1.29.0", "1.37.0")  # the oldest this is written for, the newest schemas known
RESOURCES = ("deployment.yaml", "service.yaml", "pdb.yaml", "checkpoints-pvc.yaml")


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((BASE / name).read_text())
    return loaded


def kustomization() -> dict[str, Any]:
    return load("kustomization.yaml")


def deployment() -> dict[str, Any]:
    return load("deployment.yaml")


def pod() -> dict[str, Any]:
    spec: dict[str, Any] = deployment()["spec"]["template"]["spec"]
    return spec


def container() -> dict[str, Any]:
    [found] = pod()["containers"]
    return dict(found)


def mounts() -> dict[str, dict[str, Any]]:
    """Mount path -> the volume mounted there (with `readOnly` from the mount)."""
    volumes = {volume["name"]: volume for volume in pod()["volumes"]}
    return {
        mount["mountPath"]: {**volumes[mount["name"]], "readOnly": mount.get("readOnly", False)}
        for mount in container()["volumeMounts"]
    }


def replica_config() -> Config:
    return load_config(BASE / "config" / "voile.yaml")


def generator(kind: str, name: str) -> dict[str, Any]:
    [found] = [g for g in kustomization()[kind] if g["name"] == name]
    return dict(found)


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def validate(path: Path, version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("kubernetes-validate"), "--strict", "--no-warn", "-k", version, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", RESOURCES)
def test_each_manifest_is_valid_against_the_kubernetes_schema(name: str, version: str) -> None:
    result = validate(BASE / name, version)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout


def test_the_schema_check_does_reject_a_misspelt_field(tmp_path: Path) -> None:
    text = (BASE / "deployment.yaml").read_text().replace("readinessProbe:", "readynessProbe:")
    bad = tmp_path / "deployment.yaml"
    bad.write_text(text)
    result = validate(bad, VERSIONS[0])
    assert result.returncode != 0
    assert "readynessProbe" in result.stdout + result.stderr


def test_the_kustomization_lists_every_manifest_and_generates_what_the_pod_mounts() -> None:
    assert sorted(kustomization()["resources"]) == sorted(RESOURCES)
    volumes = {volume["name"]: volume for volume in pod()["volumes"]}
    generated = {g["name"] for g in kustomization()["configMapGenerator"]}
    generated |= {g["name"] for g in kustomization()["secretGenerator"]}
    referenced = {v["configMap"]["name"] for v in volumes.values() if "configMap" in v}
    referenced |= {v["secret"]["secretName"] for v in volumes.values() if "secret" in v}
    referenced |= {e["secretRef"]["name"] for e in container()["envFrom"]}
    assert referenced == generated
    claims = {
        v["persistentVolumeClaim"]["claimName"]
        for v in volumes.values()
        if "persistentVolumeClaim" in v
    }
    assert claims == {load("checkpoints-pvc.yaml")["metadata"]["name"]}
    for group in ("configMapGenerator", "secretGenerator"):
        for entry in kustomization()[group]:
            for file in entry.get("files", []):
                if not file.startswith("secrets/"):
                    assert (BASE / file).is_file(), file
    # The operator's secrets are never in the repository; their example is.
    assert (BASE / "secrets" / ".gitignore").read_text().split() == ["keys/", "voile.env"]
    assert (BASE / "secrets" / "voile.env.example").is_file()


def test_the_replicas_run_the_config_with_the_images_user() -> None:
    config = replica_config()
    args = container()["args"]
    assert args[:2] == ["serve", "--config"]
    config_dir, config_name = args[2].rsplit("/", 1)
    assert mounts()[config_dir]["configMap"]["name"] == "voile-config"
    assert mounts()[config_dir]["readOnly"]
    assert generator("configMapGenerator", "voile-config")["files"] == [f"config/{config_name}"]
    policies = mounts()[str(config.policies_dir)]
    assert policies["configMap"]["name"] == "voile-policies"
    # The image's uid, numeric, so that runAsNonRoot can check it.
    uid, _, gid = only("USER").arguments.partition(":")
    security = pod()["securityContext"]
    assert security["runAsNonRoot"] is True
    assert (security["runAsUser"], security["runAsGroup"], security["fsGroup"]) == (
        int(uid),
        int(gid),
        int(gid),
    )
    assert container()["securityContext"]["readOnlyRootFilesystem"] is True
    assert container()["securityContext"]["allowPrivilegeEscalation"] is False
    # With a read-only root, what the process writes is a volume: data_dir (emptyDir), /tmp.
    assert "emptyDir" in mounts()[str(config.data_dir)]
    assert "emptyDir" in mounts()["/tmp"]


def test_every_replica_reads_the_same_keys_from_the_secret() -> None:
    config = replica_config()
    keys_dir = config.data_dir / "keys"
    assert config.audit_key_file.parent == keys_dir
    assert config.audit_signing_key_file.parent == keys_dir
    keys = mounts()[str(keys_dir)]
    assert keys["readOnly"]
    assert keys["secret"]["secretName"] == "voile-keys"
    # Readable by the group the pod runs in (fsGroup), by nobody else, written by no one.
    assert keys["secret"]["defaultMode"] == 0o440
    files = generator("secretGenerator", "voile-keys")["files"]
    assert sorted(Path(f).name for f in files) == sorted(KEY_FILES)
    assert {str(Path(f).parent) for f in files} == {"secrets/keys"}


def test_checkpoints_are_one_volume_every_replica_writes() -> None:
    config = replica_config()
    checkpoints = mounts()[str(config.audit_checkpoint_dir)]
    assert not checkpoints["readOnly"]
    claim = load("checkpoints-pvc.yaml")
    assert checkpoints["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]


def test_the_config_names_no_secret_and_shares_postgresql() -> None:
    config = replica_config()
    assert all(app.key is None for app in config.apps)
    for url in (config.audit_url, config.conversations_url):
        assert url.startswith("postgresql://")
        assert urlsplit(url).password is None  # PGPASSWORD, from the Secret
    wanted = {p.api_key_env for p in config.providers.values() if p.api_key_env}
    wanted |= {app.key_env for app in config.apps if app.key_env}
    wanted.add("PGPASSWORD")
    example = (BASE / "secrets" / "voile.env.example").read_text().splitlines()
    listed = {line.split("=", 1)[0] for line in example if line and not line.startswith("#")}
    assert listed == wanted
    assert generator("secretGenerator", "voile-env")["envs"] == ["secrets/voile.env"]


def test_the_policies_in_the_configmap_load() -> None:
    """As `voile serve` loads them, with the replicas' config (its languages and models)."""
    config = replica_config().model_copy(update={"policies_dir": BASE / "policies"})
    policies = load_runtime_policies(config)
    assert sorted(policies) == ["default"]
    listed = generator("configMapGenerator", "voile-policies")["files"]
    assert sorted(listed) == sorted(
        f"policies/{p.name}" for p in (BASE / "policies").glob("*.yaml")
    )
    for app in replica_config().apps:
        assert app.policy in policies


def test_probes_readiness_gating_and_disruption_budget() -> None:
    config = replica_config()
    port, admin = container()["ports"]
    assert port["containerPort"] == config.listen.port
    # The operators' listener (metrics) is declared for scraping, never behind the Service.
    assert config.admin.listen is not None
    assert admin == {"name": "admin", "containerPort": config.admin.listen.port}
    probes = {
        name: container()[name]["httpGet"]
        for name in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert probes["readinessProbe"] == {"path": "/readyz", "port": port["name"]}
    assert probes["livenessProbe"] == {"path": "/livez", "port": port["name"]}
    assert probes["startupProbe"] == {"path": "/livez", "port": port["name"]}
    startup = container()["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60  # models load first
    spec = deployment()["spec"]
    assert spec["replicas"] >= 2
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    service = load("service.yaml")["spec"]
    assert service["selector"].items() <= labels.items()
    assert [p["targetPort"] for p in service["ports"]] == [port["name"]]
    assert service.get("sessionAffinity", "None") == "None"  # no sticky sessions
    budget = load("pdb.yaml")["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget["maxUnavailable"] == 1
    assert budget["maxUnavailable"] < spec["replicas"]
    # SIGTERM comes after the endpoints are updated, and leaves time for the audit writer's
    # drain (30 s) and open streams.
    assert container()["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
    assert pod()["terminationGracePeriodSeconds"] >= 45


def rendered(directory: Path) -> Iterator[dict[str, Any]]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for document in yaml.safe_load_all(result.stdout):
        if document:
            yield document


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with kustomize) is absent")
def test_kustomize_renders_a_valid_set_once_the_secrets_exist(tmp_path: Path) -> None:
    """What an operator does: make the keys, fill in voile.env, render."""
    base = tmp_path / "kubernetes"
    shutil.copytree(BASE, base, ignore=shutil.ignore_patterns("keys", "voile.env"))
    assert voile_keys([str(base / "secrets" / "keys")]) == 0
    shutil.copy(base / "secrets" / "voile.env.example", base / "secrets" / "voile.env")
    documents = list(rendered(base))
    names = {d["metadata"]["name"] for d in documents}
    assert {d["kind"] for d in documents} == {
        "ConfigMap",
        "Secret",
        "Service",
        "PersistentVolumeClaim",
        "Deployment",
        "PodDisruptionBudget",
    }
    # The generated names carry a hash of their content, and the Deployment uses them: a
    # changed key or policy rolls the replicas over.
    [deployed] = [d for d in documents if d["kind"] == "Deployment"]
    used = {
        v.get("configMap", {}).get("name") or v.get("secret", {}).get("secretName")
        for v in deployed["spec"]["template"]["spec"]["volumes"]
    } - {None}
    assert used <= names
    assert sorted(name.rsplit("-", 1)[0] for name in used) == [
        "voile-config",
        "voile-keys",
        "voile-policies",
    ]
    [keys] = [d for d in documents if d["kind"] == "Secret" and d["metadata"]["name"] in used]
    assert sorted(keys["data"]) == sorted(KEY_FILES)
    out = tmp_path / "rendered.yaml"
    out.write_text(yaml.safe_dump_all(documents))
    for version in VERSIONS:
        result = validate(out, version)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.count("passed") == len(documents)

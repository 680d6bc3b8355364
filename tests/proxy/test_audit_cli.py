"""`voile audit ...` as an operator types it: the configuration resolved, the keys and the
checkpoint directory found, each command's exit code and output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audit.checkpoints import SigningKeys
from audit.errors import AuditKeyError
from audit.keys import Keyring
from proxy.app import open_audit_store
from proxy.cli import main
from proxy.config import load_config
from tests.audit.support import make_event

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "voile.yaml"
    path.write_text(
        "data_dir: data\nproviders: {openai: {base_url: 'http://127.0.0.1:9', "
        "region: eu}}\nanonymous_app: {name: default}\n"
    )
    with open_audit_store(load_config(path), create=True) as store:
        for n in range(3):
            store.write(
                make_event(
                    request_id=f"r{n}",
                    occurred_at=T0 + timedelta(days=n),
                    end_user="u-1" if n else None,
                    region="eu",
                )
            )
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["audit", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_filters_and_end_user(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = ["--config", str(config_file)]
    code, out, _ = run(capsys, "list", *cfg, "--since", "2025-03-15", "--until", "2025-03-16")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["2"]
    code, out, _ = run(capsys, "list", *cfg, "--app", "hr-assistant", "--end-user", "u-1")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["3", "2"]
    with pytest.raises(SystemExit):
        main(["audit", "list", *cfg, "--since", "yesterday"])
    assert "invalid date 'yesterday'" in capsys.readouterr().err


def test_rotate_rewrap_retire_then_everything_still_reads_and_verifies(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = ["--config", str(config_file)]
    key_file = config_file.parent / "data" / "keys" / "audit-keys.json"
    old = Keyring.load(key_file).active_kid
    code, out, _ = run(capsys, "rotate-key", *cfg)
    assert code == 0
    new = Keyring.load(key_file).active_kid
    assert new != old
    assert f"new key-encryption key {new} is active" in out
    code, _, err = run(capsys, "rotate-key", *cfg, "--retire", old)
    assert code == 1
    assert "run --rewrap first" in err
    code, out, _ = run(capsys, "rotate-key", *cfg, "--rewrap-only")
    assert "no payload was re-encrypted" in out
    code, out, _ = run(capsys, "rotate-key", *cfg, "--retire", old)
    assert (code, out) == (0, f"retired key {old}\n")
    assert Keyring.load(key_file).kids == (new,)
    code, out, _ = run(capsys, "show", "1", *cfg, "--reason", "after rotation")
    assert code == 0
    assert json.loads(out)["payload_status"] == "available"
    code, out, _ = run(capsys, "verify", *cfg)
    assert code == 0, out
    assert "key_rotation 2" in out


def test_verify_with_a_third_partys_public_key(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = ["--config", str(config_file)]
    code, out, _ = run(capsys, "checkpoint", *cfg)
    assert out.startswith("signed checkpoint: entry #3 of trail ")
    code, out, _ = run(capsys, "public-key", *cfg)
    [public] = out.split()
    code, out, _ = run(capsys, "verify", *cfg, "--public-key", public, "--json")
    assert code == 0
    assert json.loads(out)["checkpoints_matched"] == 1
    stranger = SigningKeys.generate().public_text()[0]
    code, out, _ = run(capsys, "verify", *cfg, "--public-key", stranger)
    assert code == 1
    assert "checkpoint_invalid" in out.splitlines()[0]
    code, out, _ = run(capsys, "rotate-key", *cfg, "--signing")
    assert code == 0
    assert run(capsys, "verify", *cfg)[0] == 0, "old checkpoints still verify"


def test_export_report_purge_erase(
    config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = ["--config", str(config_file)]
    target = tmp_path / "siem.jsonl"
    assert run(capsys, "export", *cfg, "--output", str(target))[0] == 0
    assert [json.loads(line)["seq"] for line in target.read_text().splitlines()] == [1, 2, 3]
    code, out, _ = run(capsys, "export", *cfg, "--format", "csv", "--kind", "outcome")
    assert out.splitlines()[0].startswith("seq,kind,request_id,")
    code, _, err = run(capsys, "export", *cfg, "--payloads")
    assert (code, err) == (
        2,
        "voile: configuration error:\n--payloads needs --reason: every decryption is recorded\n",
    )
    code, out, _ = run(capsys, "report", *cfg, "--month", "2025-03", "--format", "json")
    assert json.loads(out)["groups"][0]["requests"]["total"] == 3
    code, out, _ = run(capsys, "purge", *cfg, "--before", "2025-03-15", "--dry-run")
    assert out.startswith("dry run: up to 1 entries")
    code, out, _ = run(capsys, "purge", *cfg, "--before", "2025-03-15")
    assert out.startswith("purged 1 payloads")
    code, out, _ = run(capsys, "erase", *cfg, "--end-user", "u-1", "--reason", "DSAR-3")
    assert "destroyed 1 data keys protecting 2 entries" in out
    code, out, _ = run(capsys, "verify", *cfg)
    assert code == 0, out
    assert "purged payloads: 1; data keys destroyed by erasure or purge: 1" in out
    assert "checkpoints: 2 of 2 match" in out


def test_the_wrong_kek_stops_the_proxy_but_not_a_metadata_listing(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Keyring.generate().save(config_file.parent / "data" / "keys" / "audit-keys.json")
    with pytest.raises(AuditKeyError, match=r"wrong audit\.key_file or audit\.key_env"):
        open_audit_store(load_config(config_file))
    code, out, _ = run(capsys, "list", "--config", str(config_file))
    assert code == 0
    assert len(out.splitlines()) == 4
    code, _, err = run(capsys, "show", "1", "--config", str(config_file), "--reason", "x")
    assert code == 1
    assert "nothing was decrypted" in err
    assert run(capsys, "verify", "--config", str(config_file), "--no-macs")[0] == 0


def test_rotation_with_keys_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = Keyring.generate()
    monkeypatch.setenv("VOILE_TEST_AUDIT_KEYS", ring._to_json().decode())
    path = tmp_path / "voile.yaml"
    path.write_text(
        "data_dir: data\nproviders: {openai: {base_url: 'http://127.0.0.1:9'}}\n"
        "anonymous_app: {name: default}\naudit: {key_env: VOILE_TEST_AUDIT_KEYS}\n"
    )
    with open_audit_store(load_config(path), create=True) as store:
        store.write(make_event())
    cfg = ["--config", str(path)]
    assert run(capsys, "rotate-key", *cfg)[0] == 2, "the variable is not ours to write"
    ring.rotate()
    monkeypatch.setenv("VOILE_TEST_AUDIT_KEYS", ring._to_json().decode())
    code, out, _ = run(capsys, "rotate-key", *cfg, "--rewrap-only")
    assert (code, out.startswith("rewrapped 3 data keys")) == (0, True)
    assert run(capsys, "show", "1", *cfg, "--reason", "after rotation")[0] == 0
    assert run(capsys, "verify", *cfg)[0] == 0

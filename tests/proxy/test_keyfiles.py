"""`voile-keys DIR`: the key files replicas share, in the names and formats `voile serve`
reads from DATA_DIR/keys, made once and never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.checkpoints import PublicKeys, SigningKeys
from audit.keys import Keyring
from proxy.app import load_secret
from proxy.config import AnonymousApp, Config, ProviderSettings
from proxy.keyfiles import AUDIT_KEYS, AUDIT_SIGNING, KEY_FILES, PLACEHOLDER_KEY, main


def config_with(data_dir: Path) -> Config:
    return Config(
        data_dir=data_dir,
        providers={"openai": ProviderSettings(base_url="https://api.openai.com")},
        anonymous_app=AnonymousApp(),
    )


def test_the_files_are_where_and_what_serve_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "data" / "keys"
    assert main([str(keys)]) == 0
    config = config_with(tmp_path / "data")
    assert config.audit_key_file == keys / AUDIT_KEYS
    assert config.audit_signing_key_file == keys / AUDIT_SIGNING
    assert len(load_secret(keys / PLACEHOLDER_KEY)) == 32  # read, not created again
    Keyring.load(keys / AUDIT_KEYS)
    signing = SigningKeys.load(keys / AUDIT_SIGNING)
    for name in KEY_FILES:
        assert (keys / name).stat().st_mode & 0o777 == 0o600, name
    assert keys.stat().st_mode & 0o777 == 0o700
    # What is printed is the public half only, in the form `verify --public-key` takes.
    printed = capsys.readouterr()
    assert PublicKeys.parse(printed.out.split()).ids == (signing.active_kid,)
    for name in KEY_FILES:
        secret = (keys / name).read_text().strip()
        assert secret not in printed.out + printed.err


def test_a_second_run_keeps_every_key(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    before = {name: (tmp_path / name).read_bytes() for name in KEY_FILES}
    assert main([str(tmp_path)]) == 0
    assert {name: (tmp_path / name).read_bytes() for name in KEY_FILES} == before


def test_two_deployments_get_different_keys(tmp_path: Path) -> None:
    assert main([str(tmp_path / "one")]) == 0
    assert main([str(tmp_path / "two")]) == 0
    for name in KEY_FILES:
        assert (tmp_path / "one" / name).read_bytes() != (tmp_path / "two" / name).read_bytes()


def test_a_partial_set_is_refused_not_completed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 0
    (tmp_path / PLACEHOLDER_KEY).unlink()
    capsys.readouterr()
    assert main([str(tmp_path)]) == 1
    assert "not placeholder.key" in capsys.readouterr().err
    assert not (tmp_path / PLACEHOLDER_KEY).exists()

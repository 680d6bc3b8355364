"""The deployment config: validated at start, errors naming the key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.cli import main
from proxy.config import default_config, load_config
from proxy.yamlfile import ConfigError


def test_example_config_is_valid() -> None:
    config = load_config(Path(__file__).parents[2] / "examples" / "voile.yaml")
    assert config.providers["mistral"].region == "eu"
    assert config.policies_dir == Path(__file__).parents[2] / "policies"


def test_default_config_is_the_quick_start() -> None:
    config = default_config()
    assert config.anonymous_app is not None
    assert config.anonymous_app.policy == "default"
    assert config.audit_url.startswith("sqlite:///")
    assert config.audit_url.endswith("audit.db")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("providers: {}\nanonymous_app: {}\n", ":1 providers: at least one provider"),
        (
            "providers:\n  openai: {base_url: ftp://x}\nanonymous_app: {}\n",
            ":2 providers.openai.base_url: must start with http:// or https://",
        ),
        (
            "providers:\n  openai: {base_url: 'http://x', format: soap}\nanonymous_app: {}\n",
            ":2 providers.openai.format: 'soap' is not one of openai",
        ),
        ("providers:\n  openai: {base_url: 'http://x'}\n", "nobody could use the proxy"),
        (
            "providers:\n  openai: {base_url: 'http://x'}\napps:\n  - {name: a, policy: default}\n",
            ":4 apps[0]: give exactly one of key or key_env",
        ),
        (
            "listen: {port: 99999}\nproviders:\n  o: {base_url: 'http://x'}\nanonymous_app: {}\n",
            ":1 listen.port: Input should be less than or equal to 65535",
        ),
        (
            "providers:\n  o: {base_url: 'http://x'}\nanonymous_app: {}\n"
            "limits:\n  trusted_proxies: [10.0.0.0/8, 10.0.0.1/8]\n",
            ":5 limits.trusted_proxies: '10.0.0.1/8' is not a network such as 10.0.0.0/8: "
            "10.0.0.1/8 has host bits set",
        ),
        (
            "providers:\n  o: {base_url: 'http://x'}\nanonymous_app: {}\n"
            "limits:\n  trusted_proxies: [the-balancer]\n",
            "'the-balancer' is not a network such as 10.0.0.0/8",
        ),
        (
            "providers:\n  o: {base_url: 'http://x'}\nanonymous_app: {}\n"
            "limits:\n  shared_url: postgresql://db/voile\n",
            ":5 limits.shared_url: must be a Redis URL: redis://, rediss:// or unix://",
        ),
    ],
)
def test_config_errors_name_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "voile.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert expected in str(caught.value)


def test_cli_reports_config_errors_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "voile.yaml"
    path.write_text("providers: {}\n")
    assert main(["policy", "check", "--config", str(path)]) == 2
    assert "configuration error" in capsys.readouterr().err


def test_cli_policy_check_lists_bundled_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "check"]) == 0
    assert "ok  default" in capsys.readouterr().out


def test_cli_policy_check_fails_on_invalid_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text("rules:\n  - {entity: PERSON, action: maks}\n")
    assert main(["policy", "check", "--policies-dir", str(tmp_path)]) == 2
    assert "bad.yaml:2 rules[0].action: 'maks' is not one of" in capsys.readouterr().err


def test_trusted_proxies_are_networks_and_default_to_none(tmp_path: Path) -> None:
    path = tmp_path / "voile.yaml"
    path.write_text(
        "providers:\n  o: {base_url: 'http://x'}\nanonymous_app: {}\n"
        "limits:\n  trusted_proxies: [10.0.0.0/8, 'fd00::/8', 192.0.2.1]\n"
        "  shared_url: redis://redis:6379/0\n"
    )
    limits = load_config(path).limits
    assert [str(network) for network in limits.trusted_proxies] == [
        "10.0.0.0/8",
        "fd00::/8",
        "192.0.2.1/32",  # a bare address is one host
    ]
    assert limits.shared_url == "redis://redis:6379/0"
    assert default_config().limits.trusted_proxies == ()
    assert default_config().limits.shared_url is None

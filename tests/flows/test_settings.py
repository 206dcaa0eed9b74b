"""Strict settings: a typo or a value of the wrong type is an error naming the key and its file or variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest import fetch_policy
from flows.settings import SETTINGS_FILE, SOURCES_FILE, SettingsError, load_settings, load_sources
from tasks.fetch import Fetcher, FetchError, FetchPolicy
from tests.tasks.test_fetch import Sleeps, tls_server  # noqa: F401 - the fixture, shared with the fetch tests


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("NEWSETL_"):
            monkeypatch.delenv(name)


def _toml(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_configuration_loads() -> None:
    settings = load_settings(SETTINGS_FILE)
    assert settings.respect_robots is True and settings.timezone == "Asia/Shanghai"
    assert settings.proxy is None and settings.ca_file is None and settings.ner_model is None
    assert {"samples", "xinhua-politics"} <= set(load_sources(SOURCES_FILE))


def test_fetch_defaults_are_the_policy_defaults() -> None:
    policy, default = fetch_policy(load_settings(SETTINGS_FILE)), FetchPolicy()
    for name in ("user_agent", "connect_timeout", "total_timeout", "max_bytes", "max_redirects", "retries",
                 "min_interval_per_host", "max_concurrency_per_host", "respect_robots", "proxy", "ca_file"):  # fmt: skip
        assert getattr(policy, name) == getattr(default, name), name


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("NEWSETL_RESPECT_ROBOTS", "ture", "environment variable NEWSETL_RESPECT_ROBOTS: respect_robots: "),
        ("NEWSETL_BATCH_SIZE", "fifty", "environment variable NEWSETL_BATCH_SIZE: batch_size: "),
        ("NEWSETL_BATCH_SIZE", "0", "batch_size: Input should be greater than or equal to 1"),
        ("NEWSETL_CONNECT_TIMEOUT", "5s", "environment variable NEWSETL_CONNECT_TIMEOUT: connect_timeout: "),
        ("NEWSETL_TIMEZONE", "Asia/Shangai", "NEWSETL_TIMEZONE: timezone: unknown time zone 'Asia/Shangai'"),
        ("NEWSETL_RESPECT_ROBOT", "false", "unknown environment variable NEWSETL_RESPECT_ROBOT"),
        ("NEWSETL_MAX_TEXT_CHARS", "100", "not a newsetl setting); max_text_chars is now max_text_bytes"),
        ("NEWSETL_MAX_TEXT_BYTES", "2M", "environment variable NEWSETL_MAX_TEXT_BYTES: max_text_bytes: "),
        (
            "NEWSETL_DASK_ADDRESS",
            "tcp:/10.0.0.5:8786",
            "NEWSETL_DASK_ADDRESS: dask_address: not a Dask scheduler",
        ),
    ],
    ids=[
        "bool-typo",
        "not-a-number",
        "out-of-range",
        "float-with-unit",
        "unknown-zone",
        "unknown-variable",
        "renamed-variable",
        "text-cap-with-unit",
        "dask-address-typo",
    ],  # fmt: skip
)
def test_bad_environment_values_are_errors(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as err:
        load_settings(SETTINGS_FILE)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), ("0", False), ("no", False), ("TRUE", True)]
)
def test_environment_booleans(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("NEWSETL_RESPECT_ROBOTS", value)
    assert load_settings(SETTINGS_FILE).respect_robots is expected


def test_environment_lists_and_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _toml(tmp_path, 'batch_size = 10\nproxy = "http://proxy.example:3128"\n')
    monkeypatch.setenv("NEWSETL_ALLOW_HOSTS", "127.0.0.1, localhost")
    monkeypatch.setenv("NEWSETL_DEFAULT_PATHS", f"/data/in:{tmp_path}")
    monkeypatch.setenv("NEWSETL_BATCH_SIZE", "20")
    monkeypatch.setenv("NEWSETL_PROXY", "")  # empty switches the file's proxy off
    settings = load_settings(path)
    assert settings.allow_hosts == ("127.0.0.1", "localhost")
    assert settings.default_paths == ("/data/in", str(tmp_path))
    assert (settings.batch_size, settings.proxy) == (20, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('batch_size = "50"', "batch_size: Input should be a valid integer (got '50')"),
        ('respect_robots = "false"', "respect_robots: Input should be a valid boolean (got 'false')"),
        ("batchsize = 50", "unknown setting batchsize"),
        (
            "max_text_chars = 100",
            "max_text_chars is now max_text_bytes (bytes of UTF-8 text, not characters)",
        ),
        ('allow_hosts = "127.0.0.1"', "allow_hosts: Input should be a valid tuple"),
        ('timezone = "UTC+8"', "timezone: unknown time zone 'UTC+8'"),
        ("batch_size = 0", "batch_size: Input should be greater than or equal to 1"),
        ("batch_size = [", "not valid TOML"),
        (
            'dask_address = "10.0.0.5:8786"',
            "dask_address: not a Dask scheduler address (expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786) (got '10.0.0.5:8786')",
        ),
    ],
    ids=[
        "number-as-text",
        "bool-as-text",
        "unknown-key",
        "renamed-key",
        "list-as-text",
        "unknown-zone",
        "out-of-range",
        "syntax",
        "dask-address-without-scheme",
    ],
)
def test_bad_settings_file_values_are_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _toml(tmp_path, text + "\n")
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_a_whole_number_is_a_valid_float(tmp_path: Path) -> None:
    assert load_settings(_toml(tmp_path, "min_interval_per_host = 2\n")).min_interval_per_host == 2.0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            'name = "x"\nmax_articles = "50"',
            "source 'x': max_articles: Input should be a valid integer (got '50')",
        ),
        ('name = "x"\nfeed = ["http://a.cn/rss"]', "source 'x': feed: unknown key"),
        ('name = "x"\nfeeds = "http://a.cn/rss"', "source 'x': feeds: Input should be a valid tuple"),
        ('name = "x"\ntimezone = "Beijing"', "source 'x': timezone: unknown time zone 'Beijing'"),
        ('name = "x"\nallow_pattern = "(("', "source 'x': allow_pattern: not a regular expression"),
        ('feeds = ["http://a.cn/rss"]', "source #1: name: Field required"),
    ],
    ids=["number-as-text", "unknown-key", "list-as-text", "unknown-zone", "bad-regex", "no-name"],
)
def test_bad_sources_are_errors(tmp_path: Path, entry: str, message: str) -> None:
    path = _toml(tmp_path, f"[[sources]]\n{entry}\n", "sources.toml")
    with pytest.raises(SettingsError) as err:
        load_sources(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_source_timezone_and_duplicate_names(tmp_path: Path) -> None:
    path = _toml(tmp_path, '[[sources]]\nname = "ny"\ntimezone = "America/New_York"\n', "sources.toml")
    assert load_sources(path)["ny"].timezone == "America/New_York"
    path.write_text('[[sources]]\nname = "a"\n[[sources]]\nname = "a"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="source 'a': name: configured twice"):
        load_sources(path)


def test_cli_reports_a_bad_setting_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSETL_RESPECT_ROBOTS", "ture")
    for args in (
        ["stats", "--db", str(tmp_path / "w.duckdb")],
        ["ingest", "--db", str(tmp_path / "w.duckdb")],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().splitlines() == [
            "error: configuration error: environment variable NEWSETL_RESPECT_ROBOTS: respect_robots: "
            "Input should be a valid boolean, unable to interpret input (got 'ture')"
        ]
        assert not (tmp_path / "w.duckdb").exists()


def test_ca_file_setting_reaches_the_fetcher(
    monkeypatch: pytest.MonkeyPatch,
    tls_server: tuple[HTTPServer, Path],  # noqa: F811 - the imported fixture
) -> None:
    server, cert_file = tls_server
    server.expect_request("/x").respond_with_data("secure")
    monkeypatch.setenv("NEWSETL_MIN_INTERVAL_PER_HOST", "0")
    monkeypatch.setenv("NEWSETL_RESPECT_ROBOTS", "false")
    url = f"https://news.test:{server.port}/x"
    untrusted = fetch_policy(load_settings(SETTINGS_FILE), ["127.0.0.1"])
    with Fetcher(untrusted, sleep=Sleeps(), resolve=lambda name, port: ["127.0.0.1"]) as fetcher:
        with pytest.raises(FetchError, match="TLS certificate not trusted"):
            fetcher.fetch(url)
    monkeypatch.setenv("NEWSETL_CA_FILE", str(cert_file))
    trusted = fetch_policy(load_settings(SETTINGS_FILE), ["127.0.0.1"])
    assert trusted.ca_file == str(cert_file)
    with Fetcher(trusted, sleep=Sleeps(), resolve=lambda name, port: ["127.0.0.1"]) as fetcher:
        assert fetcher.fetch(url).content == b"secure"


def test_proxy_setting_sends_requests_through_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = HTTPServer(host="127.0.0.1", port=0)
    # An HTTP proxy receives the absolute URL; this one answers itself instead of forwarding.
    proxy.expect_request("/page").respond_with_data("via proxy")
    proxy.start()
    try:
        monkeypatch.setenv("NEWSETL_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("NEWSETL_MIN_INTERVAL_PER_HOST", "0")
        monkeypatch.setenv("NEWSETL_RESPECT_ROBOTS", "false")
        policy = fetch_policy(load_settings(SETTINGS_FILE))
        # news.example resolves (for the guard) to a public address; the socket goes to the proxy only.
        with Fetcher(policy, sleep=Sleeps(), resolve=lambda name, port: ["93.184.216.34"]) as fetcher:
            assert fetcher.fetch("http://news.example/page").content == b"via proxy"
        (request, _response), *_ = proxy.log
        assert request.headers["Host"] == "news.example"
    finally:
        proxy.stop()

from __future__ import annotations

import yaml

from flows.deploy import deployments_for
from flows.settings import SOURCES_FILE, load_sources
from tests.conftest import REPO_ROOT


def test_serve_builds_one_scheduled_deployment_per_source() -> None:
    sources = [s for s in load_sources(SOURCES_FILE).values() if s.schedule]
    deployments = deployments_for(sources)
    assert [d.name for d in deployments] == [s.name for s in sources]
    for source, deployment in zip(sources, deployments, strict=True):
        assert deployment.parameters == {"source": source.name}
        assert [s.schedule.cron for s in deployment.schedules] == [source.schedule]
        assert deployment.concurrency_limit == 1


def test_prefect_yaml_matches_the_configured_sources() -> None:
    """prefect.yaml and config/sources.toml must not drift: same sources, same cron, existing entrypoint."""
    spec = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    sources = load_sources(SOURCES_FILE)
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert set(by_name) == {name for name, s in sources.items() if s.schedule}
    for name, deployment in by_name.items():
        assert deployment["parameters"] == {"source": name}
        assert [s["cron"] for s in deployment["schedules"]] == [sources[name].schedule]
        module, _, function = deployment["entrypoint"].partition(":")
        assert (REPO_ROOT / module).is_file() and f"def {function}(" in (REPO_ROOT / module).read_text(
            "utf-8"
        )

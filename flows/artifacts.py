"""The run's Prefect artifact: what a run did, readable in the Prefect UI."""

from __future__ import annotations

from typing import Any

from prefect.artifacts import create_markdown_artifact


def _table(header: tuple[str, str], rows: list[tuple[Any, Any]]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| {a} | {b} |" for a, b in rows] or ["| (none) | |"]
    return "\n".join(lines)


def render_summary(summary: dict[str, Any], status: str) -> str:
    """Markdown for one run: counts, rejects by reason, seconds per stage, a few sample facts."""
    counts = summary["counts"]
    samples = summary.get("samples") or []
    sample_rows = [
        (s.get("person"), f"{s.get('title')} @ {s.get('organization') or '—'} ({s.get('article')})")
        for s in samples
    ]
    return "\n\n".join(
        [
            f"# newsetl run `{summary['run_id']}`: {status}",
            f"Warehouse: `{summary['db_path']}`",
            "## Counts\n"
            + _table(
                ("", "n"),
                [(k, counts.get(k, 0)) for k in ("inputs", "loaded", "unchanged", "duplicates", "rejected")],
            ),
            "## Facts extracted\n" + _table(("kind", "n"), sorted(summary["facts"].items())),
            "## Rejects by reason\n" + _table(("stage: reason", "n"), sorted(summary["rejects"].items())),
            "## Seconds per stage\n"
            + _table(("stage", "s"), [(k, f"{v:.2f}") for k, v in summary["seconds"].items()]),
            "## Sample facts (roles)\n" + _table(("person", "title @ organization (article)"), sample_rows),
        ]
    )


def publish_summary(summary: dict[str, Any], status: str) -> None:
    """Attach the run summary to the current flow run as a markdown artifact (key `ingest-summary`)."""
    create_markdown_artifact(
        key="ingest-summary",
        markdown=render_summary(summary, status),
        description=f"newsetl ingest: {summary['counts'].get('loaded', 0)} loaded, "
        f"{summary['counts'].get('rejected', 0)} rejected",
    )

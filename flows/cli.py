"""The `newsetl` command line: ingest, parse, query, stats, serve, backup."""

from __future__ import annotations

import csv
import json
import logging
import sys
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from flows.cli_errors import StderrHandler, err, fail, open_reader, run_errors, settings_or_exit
from flows.json_values import json_value

app = typer.Typer(help="newsetl: ingest Chinese news into a DuckDB warehouse.", no_args_is_help=True)
out = Console()

# Readers wait this long by default for a run to let go of the file between its batches.
DEFAULT_READ_WAIT = 5.0
WaitOption = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait while a run is writing the warehouse."),
]
DbOption = Annotated[
    str | None, typer.Option("--db", help="DuckDB file (default from config/settings.toml).")
]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (recursive), globs or http(s) URLs; default: the bundled samples."
        ),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="DuckDB file (default from config/settings.toml).")
    ] = None,
    feed: Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL (repeatable).")] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option("--sitemap", help="Sitemap or sitemap index URL, .xml or .xml.gz (repeatable)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="A source configured in config/sources.toml.")
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Host/IP/CIDR exempt from the private-address guard (repeatable)."),
    ] = None,
    batch_size: Annotated[int | None, typer.Option(help="Documents per task run.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    dask_workers: Annotated[
        int | None,
        typer.Option("--dask-workers", help="Transform on a new local Dask cluster of N worker processes."),
    ] = None,
    dask_address: Annotated[
        str | None,
        typer.Option(
            "--dask-address",
            help="Transform on the Dask cluster at tcp://HOST:PORT (default: dask_address setting).",
        ),
    ] = None,
    prefect: Annotated[
        bool | None,
        typer.Option(
            "--prefect/--no-prefect",
            help="Run as a Prefect flow run (default: when PREFECT_API_URL points at a server). Without a "
            "server, --prefect starts Prefect's temporary one (~10 s).",
        ),
    ] = None,
) -> None:
    """Run the ingest locally and print what it did."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows.ingest import add_progress_listener, check_request, ingest_news, run_ingest
    from flows.lifecycle import check_dask

    settings, _ = settings_or_exit(
        with_sources=bool(source)
    )  # a bad setting is exit 2 before anything starts
    with run_errors():  # so is a bad request, also in Prefect mode (where the flow would log a traceback)
        check_request(settings, paths, db, batch_size, feed, sitemap, source)
        check_dask(dask_workers, dask_address)
    orchestrate = _prefect_api_configured() if prefect is None else prefect
    if not orchestrate:
        _log_to_stderr()
    run = ingest_news if orchestrate else run_ingest

    with Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as progress:  # fmt: skip
        bar = progress.add_task("ingest", total=None)
        remove = add_progress_listener(
            lambda done, total: progress.update(bar, completed=done, total=total or None)
        )
        try:
            with run_errors(db or settings.db_path):
                summary: dict[str, Any] = run(
                    paths=paths or None, db_path=db, batch_size=batch_size, feeds=feed or None,
                    sitemaps=sitemap or None, source=source, allow_hosts=allow_host or None,
                    dask_workers=dask_workers, dask_address=dask_address,
                )  # fmt: skip
        finally:
            remove()
    if as_json:
        out.print_json(json.dumps(summary, ensure_ascii=False))
    else:
        _print_summary(summary)
    internal = sum(n for k, n in summary["rejects"].items() if k.startswith("internal"))
    if internal:
        err.print(
            f"[red]{internal} input(s) hit an internal error (a bug in newsetl); they are stored in rejects[/red]"
        )
        raise typer.Exit(3)


def _log_to_stderr() -> None:
    """Local mode's INFO logs on stderr, in the same shape as Prefect's."""
    handler = StderrHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s", "%H:%M:%S")
    )
    logger = logging.getLogger("newsetl")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.disabled = False  # Prefect's logging set-up disables loggers that existed before it ran


def _prefect_api_configured() -> bool:
    """Whether runs should be recorded in a Prefect server: PREFECT_API_URL set (environment or profile)."""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def _print_summary(summary: dict[str, Any]) -> None:
    counts = summary["counts"]
    table = Table(title=f"run {summary['run_id']} -> {summary['db_path']}", show_header=False)
    for key in ("inputs", "loaded", "unchanged", "duplicates", "rejected"):
        table.add_row(key, str(counts.get(key, 0)))
    for kind, n in sorted(summary["facts"].items()):
        table.add_row(f"facts: {kind}", str(n))
    for reason, n in sorted(summary["rejects"].items()):
        table.add_row(f"rejected: {reason}", str(n))
    for label, n in sorted(summary.get("quality", {}).items()):
        table.add_row(f"no facts (quality): {label}", str(n))
    for stage, seconds in summary["seconds"].items():
        table.add_row(f"seconds: {stage}", f"{seconds:.2f}")
    out.print(table)


@app.command()
def parse(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs to parse (nothing is loaded).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per input (JSON line per JSONL line).")
    ] = False,
) -> None:
    """Run decode, HTML, normalize and extract on inputs and print the article and its facts."""
    from flows.parse_output import PARSE_POOL_AFTER_BYTES, named_file_bytes, parse_lines, parse_records, plain
    from tasks.fork_server import start_fork_server

    settings, _ = settings_or_exit()
    if (
        settings.transform_workers > 1
        and named_file_bytes(paths, PARSE_POOL_AFTER_BYTES) >= PARSE_POOL_AFTER_BYTES
    ):
        start_fork_server()  # its preload runs while this process imports the stages (parse_records does)
    options = (settings.timezone, settings.max_text_bytes, settings.ner_model)
    if as_json:
        for line in parse_lines(paths, *options, workers=settings.transform_workers):
            sys.stdout.write(line + "\n")
        return
    for record in parse_records(paths, *options, workers=settings.transform_workers):
        if record.get("rejected"):
            err.print(
                f"[yellow]rejected[/yellow] {record['source_uri']}: {record['stage']}: {record['reason']}"
            )
        else:
            _print_article(plain(record))


def _print_article(record: dict[str, Any]) -> None:
    out.rule(record["source_uri"])
    for key in ("title", "url", "published_at", "language", "script_original", "encoding_detected"):
        out.print(f"[bold]{key}[/bold]: {record.get(key)}")
    out.print(record["body"])
    facts = record["facts"]
    for kind in ("byline", "roles", "metrics", "quotes", "events", "dates", "mentions"):
        value = facts.get(kind)
        if not value:
            continue
        out.print(f"[bold]{kind}[/bold]:")
        for item in value if isinstance(value, list) else [value]:
            out.print("  " + json.dumps(item, ensure_ascii=False, default=json_value))


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run against the warehouse (read-only).")],
    db: DbOption = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the SQL read other files (read_csv, read_parquet...); it still writes none.",
        ),
    ] = False,
    wait: WaitOption = DEFAULT_READ_WAIT,
    snapshot: Annotated[
        bool, typer.Option("--snapshot", help="Read the copy published after the last run (never waits).")
    ] = False,
) -> None:
    """Run SQL on the warehouse in a read-only sandbox (no other files, no writes) and print the result."""
    import duckdb

    from warehouse.query import QueryRefused, run_query, sandbox_config

    settings, _ = settings_or_exit()  # checked even with --db: a typo is an error, never ignored
    try:
        with open_reader(db or settings.db_path, wait, snapshot, config=sandbox_config(allow_files)) as conn:
            columns, rows = run_query(conn, sql)
    except (duckdb.Error, QueryRefused) as exc:
        # DuckDB's messages carry a caret diagram on later lines; the first line says what failed.
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = (
            " (--allow-files lets a query read other files)" if "disabled by configuration" in message else ""
        )
        fail(f"query failed: {message}{hint}")
    if fmt is Format.json:
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=json_value, indent=2) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


@app.command()
def stats(
    db: Annotated[
        str | None, typer.Option("--db", help="DuckDB file (default from config/settings.toml).")
    ] = None,
    runs: Annotated[int, typer.Option(help="How many recent runs to show.")] = 10,
    wait: WaitOption = DEFAULT_READ_WAIT,
) -> None:
    """Last runs, rows per table and rejects by reason, from the warehouse (read-only)."""
    import duckdb

    from warehouse import repository

    settings, _ = settings_or_exit()  # checked even with --db: a typo is an error, never ignored
    db_path = db or settings.db_path
    try:
        with open_reader(db_path, wait) as conn:
            recent = repository.recent_runs(conn, runs)
            counts = repository.table_counts(conn)
            rejects = repository.rejects_by_reason(conn)
    except duckdb.Error as exc:
        fail(f"cannot read {db_path}: {exc}")
    numeric = ("s", "in", "loaded", "unchanged", "rejected")
    table = Table(title="Last runs (times in UTC)", box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("run", "started", *numeric[:1], "status", *numeric[1:]):
        table.add_column(name, no_wrap=True, justify="right" if name in numeric else "left")
    for run_id, started, seconds, status, *rest in recent:
        stamp = started.strftime("%m-%d %H:%M") if started else ""
        table.add_row(
            str(run_id)[:8], stamp, str(seconds), status, *("" if v is None else str(v) for v in rest)
        )
    out.print(table)
    table = Table("table", "rows", title=f"Rows per table in {db_path}", box=box.SIMPLE_HEAD)
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)
    table = Table(
        "stage", "reason", "inputs", "last seen (UTC)", title="Rejects by reason", box=box.SIMPLE_HEAD
    )
    for stage, reason, n, last_at in rejects:
        table.add_row(stage, reason, str(n), last_at.strftime("%m-%d %H:%M") if last_at else "")
    out.print(table)


@app.command()
def serve(
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Serve only these sources (default: all with a schedule)."),
    ] = None,
    ephemeral: Annotated[
        bool,
        typer.Option(
            "--ephemeral",
            help="Without PREFECT_API_URL, serve against a throw-away Prefect server that dies with this process.",
        ),
    ] = False,
) -> None:
    """Serve the scheduled ingest of every configured source from this machine (Prefect's serve; needs a server)."""
    _, sources = settings_or_exit(with_sources=True)
    chosen = [sources[name] for name in source] if source else [s for s in sources.values() if s.schedule]
    missing = set(source or ()) - set(sources)
    if missing or not chosen:
        fail(f"no source to serve (unknown: {sorted(missing)}; configured: {sorted(sources)})", 2)
    if not _prefect_api_configured() and not ephemeral:
        # Schedules, runs and their history live in the server: a temporary one loses them when this exits.
        fail(
            "PREFECT_API_URL is not set: start a server (`prefect server start`, then `prefect config set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api`), or pass --ephemeral for a throw-away one",
            2,
        )
    from prefect import serve as prefect_serve

    from flows.deploy import deployments_for

    deployments = deployments_for(chosen)
    out.print(f"serving {', '.join(s.name for s in chosen)}; Ctrl-C stops")
    prefect_serve(*deployments)


ner_app = typer.Typer(
    help="The entity tagger: train it on your own annotated sentences.", no_args_is_help=True
)
app.add_typer(ner_app, name="ner")


@ner_app.command("train")
def ner_train(
    data: Annotated[
        str,
        typer.Option(
            "--data", help='JSONL of {"text", "entities": [{"type", "start", "end"}]} (PER/LOC/ORG).'
        ),
    ],
    out_path: Annotated[str, typer.Option("--out", help="Model file to write.")] = "ner_model.npz",
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the data.")] = 10,
) -> None:
    """Train a tagger on FILE.jsonl and write it; load it with load_tagger(path) (the `ner_model` setting)."""
    from pathlib import Path

    from tasks.transforms.facts.tagger import to_bytes
    from tasks.transforms.facts.tagger_train import TrainingDataError, parse_records, split_dev, train_tagger

    path = Path(data)
    try:
        sentences = parse_records(path.read_text(encoding="utf-8").splitlines(), str(path))
    except (OSError, UnicodeDecodeError, TrainingDataError) as exc:
        err.print(f"[red]cannot read training data[/red]: {exc}")
        raise typer.Exit(1) from exc
    if not sentences:
        err.print(f"[red]no training sentences in {path}[/red]")
        raise typer.Exit(1)
    train, dev = split_dev(sentences)
    err.print(f"training on {len(train)} sentences, {len(dev)} held out to choose the epoch")
    tagger, report = train_tagger(train, dev, epochs=epochs, log=err.print)
    Path(out_path).write_bytes(to_bytes(tagger))
    out.print(
        json.dumps(
            {"model": out_path, "train": len(train), "dev": len(dev), "best_epoch": report.best_epoch,
             "dev_f1": report.dev_f1[report.best_epoch - 1] if dev else None},
            ensure_ascii=False,
        )
    )  # fmt: skip


@app.command()
def backup(
    dest: Annotated[
        str, typer.Argument(help="File to write, or a folder to put a copy of the warehouse in.")
    ],
    db: DbOption = None,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for a running ingest to finish.")
    ] = 60.0,
) -> None:
    """Copy the warehouse consistently (checkpoint, copy, atomic rename) while no run writes it."""
    from flows.writer import single_writer

    db_path = db or settings_or_exit()[0].db_path
    if not Path(db_path).is_file():
        fail(f"no warehouse at {db_path}")
    target = Path(dest) / Path(db_path).name if Path(dest).is_dir() else Path(dest)
    if target.resolve() == Path(db_path).resolve():
        fail(f"the backup would overwrite the warehouse itself: {target}", 2)
    from warehouse.connection import copy_database

    with run_errors(str(target)), single_writer(db_path, holder="backup", timeout=wait):
        copy_database(db_path, target, wait)
    out.print(f"backed up {db_path} to {target} ({target.stat().st_size} bytes)", soft_wrap=True)


if __name__ == "__main__":
    app()


def _since_date(since: str | None) -> date | None:
    """--since as a date, or a one-line error (exit code 2)."""
    if since is None:
        return None
    try:
        return date.fromisoformat(since)
    except ValueError:
        fail(f"bad --since: {since!r} is not a date (YYYY-MM-DD)", 2)


@app.command()
def search(
    text: Annotated[
        str, typer.Argument(help='Words to find, all required; "quoted words" must be contiguous.')
    ],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many articles.")] = 10,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only articles published on or after DATE (YYYY-MM-DD, UTC)."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format (json: one object a line).")
    ] = (Format.table),
    wait: WaitOption = DEFAULT_READ_WAIT,
) -> None:
    """Full-text search: one row per article, best BM25 score first, with a snippet around the hit."""
    import duckdb

    from tasks.transforms.search_tokens import parse_query
    from warehouse.search import search_articles

    settings, _ = settings_or_exit()
    start = _since_date(since)
    parsed = parse_query(text)
    if not parsed.terms:
        fail(f"nothing to search: {text!r} holds no Chinese characters, letters or digits", 2)
    try:
        with open_reader(db or settings.db_path, wait) as conn:
            hits = search_articles(conn, parsed.text, parsed.needles, limit, start)
    except duckdb.Error as exc:
        fail(f"search failed: {str(exc).strip().splitlines()[0]}")
    records = [asdict(hit) for hit in hits]
    if fmt is Format.json:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=json_value) + "\n")
    elif fmt is Format.csv:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=["article_id", "title", "published_at", "score", "snippet"]
        )
        writer.writeheader()
        writer.writerows(records)
    else:
        table = Table("article_id", "title", "published_at", "score", "snippet", box=box.SIMPLE)
        for hit in hits:
            table.add_row(
                hit.article_id, hit.title or "", str(hit.published_at or ""), f"{hit.score:.2f}", hit.snippet
            )
        out.print(table)


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


@app.command()
def export(
    target: Annotated[
        str, typer.Argument(help="Folder to write (or an fsspec URL such as s3://bucket/path).")
    ],
    db: DbOption = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.parquet,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only articles (and their facts) published on or after DATE."),
    ] = None,
    wait: WaitOption = DEFAULT_READ_WAIT,
) -> None:
    """Write every table as Parquet or CSV files; articles and facts partitioned by published month."""
    import duckdb

    from warehouse.export import export_tables

    settings, _ = settings_or_exit()
    start = _since_date(since)
    try:
        with open_reader(db or settings.db_path, wait) as conn:
            written = export_tables(conn, target, fmt.value, start)
    except (duckdb.Error, OSError) as exc:
        fail(f"export failed: {str(exc).strip().splitlines()[0]}")
    for table, n in written.items():
        out.print(f"{table}: {n} rows")

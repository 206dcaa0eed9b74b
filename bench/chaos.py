"""Chaos run: ingest real pages while a reader loops 3-second queries and runs are SIGKILLed and SIGTERMed.

Then checks that the final warehouse equals a clean run's, that no fact is orphaned, that no run is left
`running` and that no process of ours is left. Prints JSON.

    python bench/chaos.py                 # full: ~3000 pages of ../shared/data/news_html_gold, 10 kills, 1 SIGTERM
    python bench/chaos.py --short         # CI: ~100 pages of samples/, 3 kills, 1 SIGTERM (under a minute)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.writer import current_writer  # noqa: E402
from tasks.parallel import process_alive as alive  # noqa: E402
from tasks.transforms.decode import decode_bytes  # noqa: E402
from tasks.transforms.models import RejectedInput  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "news_html_gold"
NEWSETL = [sys.executable, "-m", "flows.cli"]
FACT_TABLES = ("mentions", "roles", "metrics", "quotes", "events", "dates")


def build_corpus(sources: list[Path], n: int, path: Path) -> int:
    """n JSONL records from real pages, each copy with its own URL and a marker, so every copy is an article."""
    pages = []
    for source in sources:
        try:
            pages.append(decode_bytes(source.read_bytes()).text)
        except RejectedInput:
            continue
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            page = pages[i % len(pages)]
            marked = page.replace("</body>", f"<p>（第{i}份）</p></body>", 1)
            handle.write(
                json.dumps({"url": f"https://chaos.example/{i}", "html": marked}, ensure_ascii=False) + "\n"
            )
    return n


def descendants(pid: int) -> set[int]:
    """Live descendants of pid, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


class Ingest:
    """One `newsetl ingest` process, with every process it started recorded while it runs."""

    def __init__(self, corpus: Path, db: Path, batch_size: int) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        args = [
            *NEWSETL,
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--batch-size",
            str(batch_size),
            "--no-prefect",
        ]
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.seen: set[int] = {self.process.pid}

    def until_writing(self, db: Path) -> float:
        """Wait until the run holds the database's write slot (its imports are done); seconds waited."""
        started = time.monotonic()
        while self.run_for(0.05) and current_writer(db) is None:
            pass
        return time.monotonic() - started

    def run_for(self, seconds: float) -> bool:
        """Let it run up to `seconds`, recording its children; True if it is still running."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            self.seen |= descendants(self.process.pid)
            time.sleep(0.1)
        return self.process.poll() is None

    def finish(self) -> tuple[int, str]:
        """Wait for the end; (exit code, stderr)."""
        _, stderr = self.process.communicate(timeout=900)
        return self.process.returncode, stderr


class Reader(threading.Thread):
    """Loops `newsetl query` with a ~3-second query against the warehouse; counts answers, waits and failures."""

    def __init__(self, db: Path, rows: int) -> None:
        super().__init__(daemon=True)
        self.db, self.rows = db, rows
        self.stop = threading.Event()
        self.counts = {"ok": 0, "busy": 0, "no_db": 0, "failed": 0, "traceback": 0}
        self.pids: set[int] = set()

    def run(self) -> None:
        sql = f"SELECT (SELECT count(*) FROM articles) AS n, sum(hash(i)) AS h FROM range({self.rows}) t(i)"
        while not self.stop.is_set():
            query = subprocess.Popen(
                [*NEWSETL, "query", sql, "--db", str(self.db), "--wait", "10", "--format", "csv"],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            self.pids.add(query.pid)
            _, stderr = query.communicate()
            key = "ok" if query.returncode == 0 else "failed"
            if "is busy" in stderr:
                key = "busy"
            elif "no warehouse" in stderr:
                key = "no_db"
            self.counts[key] += 1
            self.counts["traceback"] += "Traceback" in stderr


def rows_per_query(seconds: float = 3.0) -> int:
    """How many rows of the reader's query take about `seconds` here (timed in memory)."""
    conn = duckdb.connect()
    n = 5_000_000
    started = time.perf_counter()
    conn.execute(f"SELECT sum(hash(i)) FROM range({n}) t(i)").fetchall()
    return int(n * seconds / max(time.perf_counter() - started, 1e-3))


def share_left(db: Path, pages: int) -> float:
    """The share of the corpus not yet stored in db (read between runs, when nothing writes it)."""
    if not db.exists():
        return 1.0
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
    return max(0.0, 1.0 - stored / pages)


def snapshot(db: Path) -> dict[str, object]:
    """What must be equal between two warehouses, and what must hold in one."""
    with duckdb.connect(str(db), read_only=True) as conn:

        def one(sql: str) -> object:
            return conn.execute(sql).fetchone()[0]  # type: ignore[index]

        facts = {t: one(f"SELECT count(*) FROM {t}") for t in FACT_TABLES}
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "articles_digest": one("SELECT sum(hash(article_id, content_sha256, body)) FROM articles"),
            "facts": facts,
            "facts_digest": {t: one(f"SELECT sum(hash({t})) FROM {t}") for t in FACT_TABLES},
            "orphan_facts": sum(
                one(f"SELECT count(*) FROM {t} WHERE article_id NOT IN (SELECT article_id FROM articles)")  # type: ignore[misc]
                for t in FACT_TABLES
            ),
            "runs_running": one("SELECT count(*) FROM runs WHERE status = 'running'"),
            "runs": dict(conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()),
            "sigterm_runs": one("SELECT count(*) FROM runs WHERE error = 'interrupted by SIGTERM'"),
        }


def chaos(pages: int, kills: int, short: bool, seed: int, workdir: Path) -> dict[str, object]:
    """The whole chaos run; returns its report."""
    rng = random.Random(seed)
    sources = sorted((ROOT / "samples").glob("*.htm*")) if short else sorted(GOLD.rglob("*.htm*"))
    corpus = workdir / "corpus.jsonl"
    build_corpus(sources, pages, corpus)
    batch = 64  # the transform workers start for 64+ documents: kills land while they run
    started = time.perf_counter()
    clean = Ingest(corpus, workdir / "clean.duckdb", batch)
    startup = clean.until_writing(workdir / "clean.duckdb")
    code, stderr = clean.finish()
    clean_seconds = time.perf_counter() - started - startup  # the run itself, imports excluded
    assert code == 0, stderr[-3000:]

    db = workdir / "chaos.duckdb"
    reader = Reader(db, rows_per_query())
    reader.start()
    ours: set[int] = set()
    outcomes = []
    for signum in [signal.SIGKILL] * kills + [signal.SIGTERM]:
        run = Ingest(corpus, db, batch)
        # At a random moment of the run itself (after its imports): while it reads, transforms, waits or loads.
        left_share = share_left(db, pages)
        run.until_writing(db)
        # Within the time the work left should take, so that every kill lands while articles are still coming.
        running = run.run_for(rng.uniform(0.0, max(0.5, clean_seconds * left_share)))
        if running:
            run.process.send_signal(signum)
        code, stderr = run.finish()
        ours |= run.seen
        outcomes.append({"signal": signal.Signals(signum).name if running else None, "exit": code,
                         "traceback": "Traceback" in stderr})  # fmt: skip
        if "Traceback" in stderr:  # what to look at
            outcomes[-1]["stderr"] = stderr[stderr.index("Traceback") - 200 :][:3000]
    final = Ingest(corpus, db, batch)
    code, stderr = final.finish()
    ours |= final.seen
    reader.stop.set()
    reader.join(timeout=120)
    time.sleep(5)  # "no process of ours 5 s later"
    left = sorted(p for p in ours | reader.pids if alive(p))
    want, got = snapshot(workdir / "clean.duckdb"), snapshot(db)
    same = all(want[k] == got[k] for k in ("articles", "articles_digest", "facts", "facts_digest"))
    sigterm = outcomes[-1]
    return {
        "pages": pages,
        "clean_run_seconds": round(clean_seconds, 1),
        "startup_seconds": round(startup, 1),
        "kills_landed": sum(o["signal"] == "SIGKILL" for o in outcomes),
        "kills_planned": kills,
        "sigterm": sigterm,
        "outcomes": outcomes,
        "final_exit": code,
        "reader": reader.counts,
        "clean": want,
        "chaos": got,
        "equal_to_clean": same,
        "processes_left": left,
        "ok": bool(
            same
            and code == 0
            and got["orphan_facts"] == 0
            and got["runs_running"] == 0
            and not left
            and reader.counts["traceback"] == 0
            and reader.counts["failed"] == 0
            and not any(o["traceback"] for o in outcomes)
            # Failed by name; or, when the signal came while the finished run published its copy, completed.
            and (
                sigterm["signal"] is None
                or (
                    sigterm["exit"] == 143 and (got["sigterm_runs"] == 1 or got["runs"].get("completed") == 2)
                )  # type: ignore[union-attr]
            )
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="CI form: ~100 sample pages, 3 kills")
    parser.add_argument("--pages", type=int, help="pages to ingest (default 3000, short 100)")
    parser.add_argument("--kills", type=int, help="SIGKILLs (default 10, short 3)")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    if not args.short and not GOLD.is_dir():
        sys.exit(f"{GOLD} is not there: run with --short (bundled samples)")
    pages = args.pages or (100 if args.short else 3000)
    kills = args.kills if args.kills is not None else (3 if args.short else 10)
    with tempfile.TemporaryDirectory(prefix="newsetl-chaos-") as workdir:
        report = chaos(pages, kills, args.short, args.seed, Path(workdir))
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()

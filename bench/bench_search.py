"""Full-text search: tokenizer quality and speed on judged queries, query latency at scale, index build cost.

Run from the repository root:
    .venv/bin/python bench/bench_search.py --out bench/results/bench_search.json [--articles 100000] [--runs 5]
        [--scaled-db FILE]
1. quality: precision@10 and recall@10 of the 20 judged queries (tests/fixtures/search/judgements.json) over the
   news_html_gold pages, for character bigrams (every term required, or all but a third) and jieba words (every
   word required), each ranked by the same BM25; the first 10 queries are the tuning half, the last 10 held out.
   Tokenizer speed in chars/s (median of --runs). Precision@10 divides by the number returned (at most 10).
2. latency: --articles articles (real bodies replicated with variations: paragraphs dropped, a lead borrowed from
   another page, a serial number) in a fresh DuckDB file; each judged query through warehouse.search (the SQL macro
   + snippet) --runs times after one warm-up pass: p50/p95 milliseconds.
3. build: on the gold pages, process_documents (the ingest baseline, same invocation) against the index entries the
   transform adds (index_entry: search postings and story signature) and the search and story rows' share of the
   load, median of --runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_load  # noqa: E402
from search_eval import GOLD, JUDGEMENTS, TOKENIZERS, MemoryIndex, gold_articles  # noqa: E402
from timing import chars_per_second  # noqa: E402

from tasks.transforms.index_entry import index_entry  # noqa: E402
from tasks.transforms.models import RawDocument  # noqa: E402
from tasks.transforms.pipeline import process_documents  # noqa: E402
from tasks.transforms.rows import to_rows  # noqa: E402
from tasks.transforms.search_tokens import parse_query, searchable_text  # noqa: E402
from warehouse import repository  # noqa: E402
from warehouse.columns import INDEX_TABLES  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402
from warehouse.search import search_articles  # noqa: E402
from warehouse.search_index import index_articles, move_recent_postings  # noqa: E402

# (tokenizer, share of query terms an article may miss, or None: every term, else when none has them all a third).
VARIANTS = {
    "bigram_all_terms": ("bigram", 0.0),
    "bigram_two_thirds": ("bigram", 1 / 3),
    "bigram_all_else_two_thirds": ("bigram", None),
    "jieba_all_words": ("jieba", 0.0),
}


def _page(article) -> str:
    return str(Path(article.source_uri).relative_to(GOLD))


def _scores(judged: list[dict], search: Callable[[str], list[str]]) -> dict:
    """P@10 / R@10 of a search (query -> pages, best first) per half, with each query's counts."""
    per_query = []
    for item in judged:
        found = search(item["query"])
        relevant = set(item["relevant"])
        hits = sum(p in relevant for p in found)
        per_query.append(
            {"query": item["query"], "returned": len(found), "relevant_returned": hits,
             "precision": hits / len(found) if found else 0.0, "recall": hits / len(relevant)}
        )  # fmt: skip
    halves = {"tune": per_query[:10], "held_out": per_query[10:], "all": per_query}
    return {
        half: {
            "precision_at_10": round(statistics.mean(q["precision"] for q in qs), 3),
            "recall_at_10": round(statistics.mean(q["recall"] for q in qs), 3),
        }
        for half, qs in halves.items()
    } | {"queries": per_query}


def _memory_search(index: MemoryIndex, share: float | None) -> Callable[[str], list[str]]:
    def search(query: str) -> list[str]:
        found = index.search(query, 10, share or 0.0)
        return index.search(query, 10, 1 / 3) if share is None and not found else found

    return search


def quality(articles: list, runs: int) -> dict:
    """P@10 / R@10 per variant and half (in memory, and the warehouse's own search), and tokenizer speed."""
    judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    texts = {_page(a): searchable_text(a.title, a.body) for a in articles}
    indexes = {name: MemoryIndex(texts, tok) for name, tok in TOKENIZERS.items()}
    report: dict = {
        variant: _scores(judged, _memory_search(indexes[tokenizer], share))
        for variant, (tokenizer, share) in VARIANTS.items()
    }
    # The chosen variant as the CLI runs it: loaded by the ingest's load, searched through warehouse.search.
    with tempfile.TemporaryDirectory() as tmp, connect(Path(tmp) / "w.duckdb") as conn:
        migrate(conn)
        repository.start_run(conn, "q", None)
        rows = [to_rows(a) for a in articles]
        repository.upsert_articles(conn, rows, "q")
        pages = {r.article["article_id"]: _page(a) for r, a in zip(rows, articles, strict=True)}

        def warehouse_search(query: str) -> list[str]:
            parsed = parse_query(query)
            return [pages[h.article_id] for h in search_articles(conn, parsed.text, parsed.needles, 10)]

        report["warehouse_search"] = _scores(judged, warehouse_search)
    bodies = list(texts.values())
    report["chars_per_second"] = {
        name: round(chars_per_second(tok, bodies, runs)) for name, tok in TOKENIZERS.items()
    }
    return report


def _variant_bodies(bases: list[tuple[str, str]], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """n (title, body) pairs: a real body with paragraphs dropped, another page's lead first, a serial number."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title, body = bases[i % len(bases)]
        paragraphs = [p for p in body.split("\n") if p.strip()]
        kept = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
        lead = rng.choice(bases)[1].split("\n")[0][:80]
        out.append((title, "\n".join([lead, *kept, f"（编号{i}）"])))
    return out


def build_scaled(path: Path, articles: list, n: int, chunk: int = 200) -> dict:
    """A warehouse of n varied articles holding only what search reads, indexed by the load's own code.

    Each chunk of articles is indexed by warehouse.search_index.index_articles, as a batch's load does, so the
    postings end in the sorted runs a real ingest leaves (moves depend on row counts, not on the batch size;
    `chunk` = 200 is the default batch_size). `index_seconds` is the time spent in it, `index_entry_seconds` the
    time making the postings it is given (a run's workers make them).
    """
    t0 = time.perf_counter()
    index_seconds = entry_seconds = 0.0
    moves: list[str] = []
    # The 177,000-character link farm among the pages would be a third of all text: left out of the replication.
    bases = [(a.title, a.body) for a in articles if len(a.body) < 20000]
    with connect(path) as conn:
        migrate(conn)
        for start in range(0, n, chunk):
            docs = _variant_bodies(bases, min(chunk, n - start), seed=start)
            ids = [f"{start + j:016x}" for j in range(len(docs))]
            conn.execute(
                "INSERT INTO articles (article_id, source_uri, title, published_at, language, script_original, "
                "encoding_detected, body_raw, body, content_sha256, pipeline_version, run_id, ingested_at, story_id) "
                "SELECT a, a, t, TIMESTAMP '2024-01-01' + to_days(CAST(hash(a) % 700 AS INTEGER)), 'zh', 'hans', "
                "'utf-8', b, b, a, 'bench', 'bench', now(), a FROM (SELECT unnest(?) a, unnest(?) t, unnest(?) b)",
                [ids, [d[0] for d in docs], [d[1] for d in docs]],
            )
            runs_before = conn.execute("SELECT count(*), sum(n_rows) FROM search_runs").fetchone()
            t1 = time.perf_counter()
            entries = [index_entry(title, body) for title, body in docs]  # made by the workers in an ingest
            postings = [(i, e.term_ids, e.term_counts) for i, e in zip(ids, entries, strict=True)]
            entry_seconds += time.perf_counter() - t1
            t1 = time.perf_counter()
            conn.execute("BEGIN TRANSACTION")
            index_articles(conn, postings)
            conn.execute("COMMIT")
            conn.execute("BEGIN TRANSACTION")  # as a load does: the move has a transaction of its own
            move_recent_postings(conn)
            conn.execute("COMMIT")
            index_seconds += time.perf_counter() - t1
            if conn.execute("SELECT count(*), sum(n_rows) FROM search_runs").fetchone() != runs_before:
                moves.append(
                    f"{start + len(docs)}:{conn.execute('SELECT count(*) FROM search_runs').fetchone()[0]}"
                )
        conn.execute("CHECKPOINT")
        runs = conn.execute("SELECT count(*) FROM search_runs").fetchone()[0]
        recent = conn.execute("SELECT count(*) FROM search_postings_recent").fetchone()[0]
    return {
        "build_seconds": round(time.perf_counter() - t0, 1),
        "index_seconds": round(index_seconds, 1),
        "index_entry_seconds": round(entry_seconds, 1),
        "moves_at_articles_to_runs": moves,
        "sorted_runs": runs,
        "recent_postings": recent,
    }


def latency(path: Path, runs: int) -> dict:
    """p50/p95 ms per judged query through warehouse.search, read-only, after a warm-up pass."""
    queries = [item["query"] for item in json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]]
    timings, returned = [], {}
    with connect(path, read_only=True) as conn:
        for r in range(runs + 1):
            for q in queries:
                parsed = parse_query(q)
                t0 = time.perf_counter()
                hits = search_articles(conn, parsed.text, parsed.needles, 10)
                if r:
                    timings.append((time.perf_counter() - t0) * 1000)
                returned[q] = len(hits)
        n_postings = conn.execute(
            "SELECT (SELECT count(*) FROM search_postings) + (SELECT count(*) FROM search_postings_recent)"
        ).fetchone()[0]
    timings.sort()
    return {
        "queries_timed": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "max_ms": round(timings[-1], 1),
        "postings_rows": n_postings,
        "hits_per_query": returned,
    }


BASELINE_MACRO = Path(__file__).resolve().parent / "data" / "search_macro_0004.sql"


def baseline(path: Path, runs: int) -> dict:
    """p50/p95 ms of the pre-0007 search (term strings scanned, every candidate's body joined) on the same data."""
    queries = [item["query"] for item in json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]]
    with connect(path) as conn:
        if not conn.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'postings_0004'"
        ).fetchone()[0]:
            # In article order, as 0004's load appended them (term order would let zone maps prune the strings).
            conn.execute(
                "CREATE TABLE postings_0004 AS SELECT term, article_id, tf FROM postings ORDER BY article_id"
            )
            conn.execute(
                "CREATE TABLE search_documents_0004 AS SELECT article_id, n_terms FROM search_documents"
            )
            conn.execute("CHECKPOINT")
        conn.execute(BASELINE_MACRO.read_text(encoding="utf-8"))
        timings = []
        for _ in range(runs):
            for q in queries:
                t0 = time.perf_counter()
                conn.execute(
                    "SELECT s.article_id, s.title, s.published_at, s.score, a.body "
                    "FROM search_articles_0004(?) AS s JOIN articles AS a USING (article_id) "
                    "ORDER BY s.score DESC, s.article_id LIMIT 10",
                    [parse_query(q).text],
                ).fetchall()
                timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "queries_timed": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
    }


def gold_documents() -> list[RawDocument]:
    """The news_html_gold pages as raw inputs."""
    docs = []
    for line in (GOLD / "gold_unified.jsonl").read_text(encoding="utf-8").splitlines():
        page = GOLD / json.loads(line)["html"]
        docs.append(RawDocument(str(page), page.read_bytes(), "html"))
    return docs


def _load_seconds(rows: list, runs: int, search: bool) -> float:
    """Median seconds of upsert_articles of rows into fresh files, with or without the search index."""
    seconds = []
    for _ in range(runs):
        with (
            tempfile.TemporaryDirectory() as tmp,
            connect(Path(tmp) / "w.duckdb") as conn,
            mock.patch.object(repository, "index_articles", repository.index_articles if search else _skip),
        ):
            migrate(conn)
            repository.start_run(conn, "b", None)
            t0 = time.perf_counter()
            repository.upsert_articles(conn, rows, "b")
            seconds.append(time.perf_counter() - t0)
    return statistics.median(seconds)


def _skip(*_args: object) -> None:
    """index_articles left out."""


def build_share(docs: list[RawDocument], runs: int) -> dict:
    """Index build against ingest (process_documents) of the same inputs, median of runs.

    Transform: index_entry (search postings and MinHash signature). Search: the load with index_articles against the
    load without it. Stories: the load with story rows against the load without them.
    """
    ingest, signatures = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        articles, _ = process_documents(docs)
        ingest.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for a in articles:
            index_entry(a.title, a.body)
        signatures.append(time.perf_counter() - t0)
    rows = list({r.article["article_id"]: r for r in (to_rows(a) for a in articles)}.values())
    bare = [
        type(r)(**{**r.__dict__, **{t: [] for t in INDEX_TABLES}, "search_terms": ("", b"", b"")})
        for r in rows
    ]
    with_all = _load_seconds(rows, runs, search=True)
    without_search = _load_seconds(rows, runs, search=False)
    without_index = _load_seconds(bare, runs, search=False)
    ingest_s, entry_s = statistics.median(ingest), statistics.median(signatures)
    search_s = with_all - without_search
    stories_s = without_search - without_index
    return {
        "pages": len(docs),
        "ingest_seconds": round(ingest_s, 3),
        "index_entry_seconds": round(entry_s, 3),
        "search_index_load_seconds": round(search_s, 3),
        "story_load_extra_seconds": round(stories_s, 3),
        "index_share_of_ingest": round((entry_s + search_s + stories_s) / ingest_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--baseline-runs", type=int, default=0, help="also time the pre-0007 search (~10 s a query at 100k)"
    )
    parser.add_argument(
        "--scaled-db",
        type=Path,
        help="keep the scaled warehouse here (built when absent, timed again when present)",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["quality", "latency", "build"])
    args = parser.parse_args()
    result: dict = {}
    articles = gold_articles()
    if "quality" not in args.skip:
        result["quality"] = quality(articles, args.runs)
    if "latency" not in args.skip:
        with tempfile.TemporaryDirectory() as tmp:
            path = args.scaled_db or Path(tmp) / "scaled.duckdb"
            result["latency"] = {"articles": args.articles}
            if not path.exists():
                result["latency"] |= build_scaled(path, articles, args.articles)
            with connect(path) as conn:
                migrate(conn)  # a kept warehouse gets today's macros
            result["latency"] |= latency(path, args.runs)
            if args.baseline_runs:
                result["latency"]["before_0007"] = baseline(path, args.baseline_runs)
    if "build" not in args.skip:
        # Two corpora: big real HTML pages, and bench_load's plain-text articles (where the transform is cheapest).
        result["build"] = {
            "gold_pages": build_share(gold_documents(), args.runs),
            "sample_texts_400": build_share(bench_load.corpus(400), args.runs),
        }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

"""Compare OpenCC backends for Traditional -> Simplified: correctness on OpenCC's own test cases, and speed.

Runs against whichever top-level `opencc` module the running interpreter has: `opencc-python-reimplemented`
(pure Python) or the C++ binding `opencc` (PyPI `OpenCC`). Both install the module `opencc`, so compare them by
running this script once in each of two venvs. It imports nothing from the repository, so it runs in any venv:

    python bench/bench_opencc.py [--data ../shared/data/opencc_testcases] [--seed PATH] [--runs 5] [-v]
    python bench/bench_opencc.py --dump /tmp/out_dir     # also write every output, to diff the two backends

Prints: backend + version; pass rate per Traditional->Simplified config (t2s, tw2s, hk2s: whichever the backend
has) on per_config_from_json/<config>.tsv and legacy_in_ans/<config>.{in,ans}; three spot checks; whether the
output length ever differs from the input length (1:1 is the fast path of normalize.py's offset map); speed in
chars/s (median of --runs) on the seed article, ruby readings stripped, repeated to ~1 MB of UTF-8, converted
(a) whole, (b) chunk by chunk split on OpenCC's separators as normalize._to_simplified_mapped does, and (c) (b)
plus building the offset map as normalize.py does, and (d) one call on the whole text with an identity map when
the length is unchanged (a candidate fast path; falls back to (c) otherwise).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "opencc_testcases"
DEFAULT_SEED = REPO.parent / "shared" / "data" / "seed" / "china_daily_2025-04-20_liuzhou_ip_week.txt"
CONFIGS = ("t2s", "tw2s", "hk2s")

# Copied from tasks/transforms/normalize.py (_OPENCC_SEPARATORS): OpenCC's PhraseExtract separator list.
SEPARATORS = re.compile(
    r"(\s+|[-,.?!*　，。、；：？！…“”‘’『』「」﹁﹂—－（）《》〈〉～．／＼︒︑︔︓︿﹀︹︺︙︐［﹇］﹈︕︖︰︳︴︽︾︵︶｛︷｝︸﹃﹄【︻】︼])"
)
# Simple ruby stripping: a `(pinyin)` reading written in lower-case letters with tone marks.
RUBY = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")

# (label, input, expected t2s output)
SPOT_CHECKS = (
    ("Simplified text stays", "慰藉着受伤的心灵", "慰藉着受伤的心灵"),
    ("乾隆 stays", "乾隆", "乾隆"),
    ("乾燥 -> 干燥", "乾燥", "干燥"),
)


# ---- backend ------------------------------------------------------------------------------------------------


def detect_backend() -> tuple[str, str, str, Callable[[str], Callable[[str], str]]]:
    """(backend name, version, module file, factory config -> convert function)."""
    import opencc

    module_file = getattr(opencc, "__file__", "?")
    owners = importlib.metadata.packages_distributions().get("opencc", [])
    is_cpp = hasattr(opencc, "opencc_clib") or "OpenCC" in owners
    if is_cpp:
        name = "opencc (C++ binding)"
        version = getattr(opencc, "__version__", None) or importlib.metadata.version("OpenCC")
    else:
        name = "opencc-python-reimplemented"
        try:
            version = importlib.metadata.version("opencc-python-reimplemented")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown (" + ", ".join(owners) + ")"

    def factory(config: str) -> Callable[[str], str]:
        # Reimplementation: OpenCC('t2s') only ('t2s.json' would look for t2s.json.json).
        # C++ binding 1.4.x: OpenCC('t2s') is mapped to its bundled t2s.json; 't2s.json' works as well.
        errors = []
        for arg in (config, config + ".json"):
            try:
                return opencc.OpenCC(arg).convert
            except Exception as exc:  # noqa: BLE001 - either API may reject either spelling
                errors.append(f"{arg!r}: {type(exc).__name__}: {exc}")
        raise LookupError("; ".join(errors))

    return name, version, module_file, factory


# ---- data ---------------------------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:  # header: id, input, expected
        if line:
            case_id, source, expected = line.split("\t")
            rows.append((case_id, source, expected))
    return rows


def read_legacy(data: Path, config: str) -> list[tuple[str, str, str]]:
    src, ans = data / "legacy_in_ans" / f"{config}.in", data / "legacy_in_ans" / f"{config}.ans"
    if not (src.exists() and ans.exists()):
        return []
    ins = src.read_text(encoding="utf-8").splitlines()
    outs = ans.read_text(encoding="utf-8").splitlines()
    return [(f"line_{i + 1}", a, b) for i, (a, b) in enumerate(zip(ins, outs, strict=True))]


def seed_text(path: Path, target_bytes: int) -> tuple[str, str, int]:
    """(seed with readings stripped, that repeated to >= target_bytes of UTF-8, readings stripped)."""
    raw = path.read_text(encoding="utf-8")
    one, stripped = RUBY.subn("", raw)
    reps = -(-target_bytes // len(one.encode("utf-8")))
    return one, one * reps, stripped


# ---- conversion modes ---------------------------------------------------------------------------------------


def convert_chunked(convert: Callable[[str], str], text: str) -> str:
    return "".join(
        convert(chunk) if chunk and not SEPARATORS.fullmatch(chunk) else chunk
        for chunk in SEPARATORS.split(text)
    )


def _chunk_map(start: int, in_len: int, out_len: int) -> list[int]:
    # Copied from normalize.py: equal lengths map 1:1, else spread output chars over the input chunk.
    if in_len == out_len:
        return list(range(start, start + in_len))
    return [start + (k * in_len) // out_len for k in range(out_len)]


def convert_chunked_mapped(convert: Callable[[str], str], text: str) -> tuple[str, list[int]]:
    # Same as normalize._to_simplified_mapped.
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for chunk in SEPARATORS.split(text):
        converted = convert(chunk) if chunk and not SEPARATORS.fullmatch(chunk) else chunk
        out.append(converted)
        index.extend(_chunk_map(pos, len(chunk), len(converted)))
        pos += len(chunk)
    return "".join(out), index + [len(text)]


def convert_whole_mapped(convert: Callable[[str], str], text: str) -> tuple[str, list[int]]:
    # Candidate fast path: one call for the whole text; identity map when the length is unchanged (every t2s /
    # tw2s / hk2s dictionary entry of OpenCC 1.4.2 maps N chars to N chars), chunked otherwise.
    out = convert(text)
    if len(out) == len(text):
        return out, list(range(len(text) + 1))
    return convert_chunked_mapped(convert, text)


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---- main ---------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="opencc_testcases folder (default: %(default)s)"
    )
    ap.add_argument(
        "--seed", type=Path, default=DEFAULT_SEED, help="article timed for speed (default: %(default)s)"
    )
    ap.add_argument(
        "--configs", nargs="+", default=list(CONFIGS), help="configs to test (default: %(default)s)"
    )
    ap.add_argument("--runs", type=int, default=5, help="timed runs per mode; the median is reported")
    ap.add_argument("--mb", type=float, default=1.0, help="size of the timed text in MiB of UTF-8")
    ap.add_argument("--dump", type=Path, help="write outputs (per-case JSON, converted seed) to this folder")
    ap.add_argument("--json", type=Path, help="write the summary as JSON to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failing case")
    args = ap.parse_args()

    name, version, module_file, factory = detect_backend()
    summary: dict = {
        "backend": name,
        "version": version,
        "module": module_file,
        "python": sys.version.split()[0],
    }
    print(f"backend: {name} {version}")
    print(f"module:  {module_file}")
    print(f"python:  {sys.version.split()[0]}")

    t0 = time.perf_counter()
    t2s = factory("t2s")
    t2s("預熱")
    load_ms = (time.perf_counter() - t0) * 1000
    summary["t2s_load_ms"] = round(load_ms, 1)
    print(f"t2s converter load + first call: {load_ms:.0f} ms")

    # -- pass rates + length changes
    print("\n== OpenCC test cases (exact match of the whole output) ==")
    summary["configs"] = {}
    dump: dict = {}
    length_changes: list[tuple[str, str, str, str]] = []
    n_inputs = 0
    for config in args.configs:
        try:
            convert = t2s if config == "t2s" else factory(config)
        except LookupError as exc:
            print(f"{config:6s} not supported by this backend ({exc})")
            summary["configs"][config] = None
            continue
        result = {}
        for source_name, rows in (
            ("json", read_tsv(args.data / "per_config_from_json" / f"{config}.tsv")),
            ("legacy", read_legacy(args.data, config)),
        ):
            if not rows:
                continue
            failures = []
            for case_id, source, expected in rows:
                got = convert(source)
                n_inputs += 1
                dump.setdefault(config, {})[f"{source_name}:{case_id}"] = got
                if len(got) != len(source):
                    length_changes.append((config, f"{source_name}:{case_id}", source, got))
                if got != expected:
                    failures.append((case_id, source, expected, got))
            passed = len(rows) - len(failures)
            result[source_name] = {"passed": passed, "total": len(rows), "failed": [f[0] for f in failures]}
            print(
                f"{config:6s} {source_name:6s} {passed:3d}/{len(rows):<3d} ({100 * passed / len(rows):5.1f}%)"
            )
            if args.verbose:
                for case_id, source, expected, got in failures:
                    diff = [(i, e, g) for i, (e, g) in enumerate(zip(expected, got, strict=False)) if e != g]
                    print(f"    FAIL {case_id}: in={source[:60]!r}")
                    print(f"         want={expected[:60]!r}")
                    print(f"         got ={got[:60]!r}   first diffs (pos, want, got): {diff[:6]}")
        summary["configs"][config] = result

    # -- spot checks
    print("\n== spot checks (t2s) ==")
    summary["spot_checks"] = {}
    for label, source, expected in SPOT_CHECKS:
        got = t2s(source)
        ok = got == expected
        summary["spot_checks"][source] = {"ok": ok, "got": got, "expected": expected}
        print(
            f"{'ok  ' if ok else 'FAIL'} {label:24s} {source} -> {got}"
            + ("" if ok else f"   (want {expected})")
        )

    # -- speed on the seed
    one, text, stripped = seed_text(args.seed, int(args.mb * 1024 * 1024))
    whole = t2s(one)
    chunked = convert_chunked(t2s, one)
    mapped, index = convert_chunked_mapped(t2s, one)
    fast, fast_index = convert_whole_mapped(t2s, one)
    n_inputs += 1
    if len(whole) != len(one):
        length_changes.append(("t2s", "seed", one, whole))
    # Length change at the chunk level (what decides normalize.py's fast path), over the seed's chunks.
    chunk_len_changes = sum(
        1 for c in SEPARATORS.split(one) if c and not SEPARATORS.fullmatch(c) and len(t2s(c)) != len(c)
    )
    summary["seed"] = {
        "chars": len(one),
        "ruby_stripped": stripped,
        "sha256_16_whole": sha(whole),
        "whole_equals_chunked": whole == chunked == mapped == fast,
        "fast_path_map_equals_chunked_map": fast_index == index,
        "index_len_ok": len(index) == len(mapped) + 1,
        "han_changed": sum(1 for a, b in zip(one, whole, strict=False) if a != b),
        "chunks_with_length_change": chunk_len_changes,
    }
    print(f"\n== seed: {args.seed.name} ==")
    print(
        f"{len(one)} chars after stripping {stripped} readings; t2s changed {summary['seed']['han_changed']} chars; "
        f"output sha256[:16] {sha(whole)}; whole == chunked: {whole == chunked == mapped == fast}; "
        f"fast-path map == chunked map: {fast_index == index}"
    )

    # -- length changes
    print("\n== output length != input length ==")
    print(f"{len(length_changes)} of {n_inputs} inputs (test cases of the configs above + the seed)")
    for config, case_id, source, got in length_changes[:10]:
        print(f"    {config} {case_id}: {len(source)} -> {len(got)}  {source[:40]!r} -> {got[:40]!r}")
    print(f"seed chunks whose length changes: {chunk_len_changes}")
    summary["length_changes"] = [[c, i, len(s), len(g)] for c, i, s, g in length_changes]

    # -- speed
    print(
        f"\n== speed: seed repeated to {len(text.encode('utf-8')) / 1e6:.2f} MB UTF-8 = {len(text)} chars, "
        f"median of {args.runs} =="
    )
    summary["speed_chars_per_s"] = {}
    for label, fn in (
        ("whole text", lambda: t2s(text)),
        ("chunked (normalize.py)", lambda: convert_chunked(t2s, text)),
        ("chunked + offset map", lambda: convert_chunked_mapped(t2s, text)),
        ("whole + map (fast path)", lambda: convert_whole_mapped(t2s, text)),
    ):
        fn()  # warm-up
        secs = median_seconds(fn, args.runs)
        rate = len(text) / secs
        summary["speed_chars_per_s"][label] = round(rate)
        print(f"{label:24s} {secs * 1000:9.1f} ms  {rate / 1e6:8.3f} M chars/s")

    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        (args.dump / "cases.json").write_text(
            json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (args.dump / "seed_t2s.txt").write_text(whole, encoding="utf-8")
        print(f"\noutputs written to {args.dump}")
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

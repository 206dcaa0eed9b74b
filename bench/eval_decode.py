"""Accuracy per label folder and files/second of `decode_bytes` over ../shared/data/encoding_detection."""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.transforms.decode import decode_bytes  # noqa: E402
from tasks.transforms.models import DecodeError  # noqa: E402

# Codecs that count as right for a label: the label's family, since GB18030 and Big5-HKSCS are supersets.
FAMILIES = {
    "gb2312": {"gb2312", "gbk", "gb18030"},
    "gbk": {"gbk", "gb18030"},
    "gb18030": {"gb18030"},
    "big5": {"big5", "cp950", "big5hkscs"},
    "big5hkscs": {"big5hkscs"},
    "utf-8": {"utf-8", "utf-8-sig"},
    "utf-8-sig": {"utf-8-sig"},
    "hz": {"hz"},
    "euc-tw": {"euc-tw"},
    "euc-jp": {"euc_jp"},
    "shift_jis": {"shift_jis", "cp932"},
    "euc-kr": {"euc_kr", "cp949"},
}


_DECLARATION = re.compile(rb"""(encoding|charset)\s*=\s*["']?[A-Za-z0-9._:-]+""", re.IGNORECASE)


def blank_declarations(payload: bytes) -> bytes:
    """Blank out `encoding=...`/`charset=...` (same length), to measure detection alone."""
    return _DECLARATION.sub(lambda found: b" " * len(found.group(0)), payload)


def judge(
    data: Path, row: dict[str, str], repeat: int = 1, ignore_declared: bool = False
) -> tuple[bool, str, float]:
    """Decode one manifest file; (correct, what happened, seconds per decode)."""
    payload = (data / row["file"]).read_bytes()
    if ignore_declared:
        payload = blank_declarations(payload)
    start = time.perf_counter()
    try:
        for _ in range(repeat):
            decoded = decode_bytes(payload, source_uri=row["file"])
    except DecodeError as err:
        return False, f"rejected: {err.reason}", (time.perf_counter() - start) / repeat
    seconds = (time.perf_counter() - start) / repeat
    if row["gold_utf8"]:
        gold = (data / row["gold_utf8"]).read_text(encoding="utf-8")
        ok = decoded.text == gold
    else:
        ok = decoded.encoding in FAMILIES[row["label"].lower()]
    return ok, f"{decoded.encoding} {decoded.method} conf={decoded.confidence}", seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "encoding_detection")
    parser.add_argument("--repeat", type=int, default=5, help="decodes per file for the timing")
    parser.add_argument("--ignore-declared", action="store_true", help="blank XML/meta declarations first")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every file, not only misses")
    args = parser.parse_args()
    with (args.data / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    per_folder: dict[str, list[bool]] = defaultdict(list)
    total_seconds = total_bytes = 0.0
    for row in rows:
        ok, what, seconds = judge(args.data, row, args.repeat, args.ignore_declared)
        folder = row["file"].rsplit("/", 1)[0]
        per_folder[folder].append(ok)
        total_seconds += seconds
        total_bytes += (args.data / row["file"]).stat().st_size
        if args.verbose or not ok:
            print(f"{'ok  ' if ok else 'MISS'} {row['label']:<10} {row['file']:<70} {what}")
    print(f"\n{'folder':<50} {'right':>5} / {'files':<5} accuracy")
    for folder, results in sorted(per_folder.items()):
        print(f"{folder:<50} {sum(results):>5} / {len(results):<5} {sum(results) / len(results):.3f}")
    everything = [ok for results in per_folder.values() for ok in results]
    print(f"{'all':<50} {sum(everything):>5} / {len(everything):<5} {sum(everything) / len(everything):.3f}")
    print(
        f"\n{len(rows) / total_seconds:.0f} files/s, {total_bytes / total_seconds / 1e6:.1f} MB/s ({args.repeat} runs each)"
    )


if __name__ == "__main__":
    main()

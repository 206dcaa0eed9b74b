"""Imported once by the transform workers' fork server (tasks/parallel.py): the stages' imports, dictionaries,
automaton and default model are built here, and every worker forked from the server starts with them in memory.

One small real sentence goes through the whole transform, so every lazily built table is built (the seed's
opening: a person, a title, a city and a growth figure).
"""

from __future__ import annotations

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents

WARM_UP_TEXT = "柳州市委副书记、市长张壮表示，今年一季度全市规模以上工业产值增长14.1%。"

try:
    process_documents([RawDocument("warm-up.txt", WARM_UP_TEXT.encode("utf-8"), "text")])
except Exception:  # noqa: BLE001 - best effort: a worker that needs what failed here fails in its batch, with the reason
    pass

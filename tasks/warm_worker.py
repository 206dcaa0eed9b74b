"""Imported once by the transform workers' fork server (tasks/parallel.py): the stages' imports, dictionaries,
automaton and default model are built here, and every worker forked from the server starts with them in memory.

One small real sentence goes through the whole transform, so every lazily built table is built (the seed's
opening: a person, a title, a city and a growth figure, in its Traditional script with a flattened ruby reading,
so OpenCC and the pinyin table are loaded too).
"""

from __future__ import annotations

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents

WARM_UP_TEXT = "柳州市委副書記、市長張壯表示,今年一季度產(chǎn)業(yè)產(chǎn)值增長14.1%。"

try:
    # Once as UTF-8 and once in Big5 (its pinyin marks as ?): decoding Big5 scores candidate encodings with a
    # table of every BMP char.
    process_documents(
        [
            RawDocument(f"warm-up.{codec}.txt", WARM_UP_TEXT.encode(codec, "replace"), "text")
            for codec in ("utf-8", "big5")
        ]
    )
except Exception:  # noqa: BLE001 - best effort: a worker that needs what failed here fails in its batch, with the reason
    pass

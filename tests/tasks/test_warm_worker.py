"""The fork server's warm-up: it must build what workers would otherwise each build on their first page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh process: this test process may have built the tables already. Its warm-up swallows errors (a
# worker then fails in its batch with the reason), so a warm-up that raised would show here as empty caches.
_PROBE = """
import json
import tasks.warm_worker
from tasks.transforms.decode_scoring import _bmp_classes
from tasks.transforms.facts.tagger import _load_cached
from tasks.transforms.normalize import _char_readings
print(json.dumps({f.__name__: f.cache_info().currsize for f in (_bmp_classes, _load_cached, _char_readings)}))
"""


def test_warm_up_builds_the_lazy_tables() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, check=True, capture_output=True, text=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "_bmp_classes": 1,
        "_load_cached": 1,
        "_char_readings": 1,
    }

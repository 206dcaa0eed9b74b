"""Every SQL example in README.md runs against a warehouse loaded with the seed (analysts copy them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, load_seed_warehouse
from warehouse.connection import connect

README_SQL = re.findall(r"```sql\n(.*?)```", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def _statements() -> list[str]:
    out = []
    for block in README_SQL:
        for statement in block.split(";"):
            lines = [
                line for line in statement.splitlines() if line.strip() and not line.strip().startswith("--")
            ]
            if lines:
                out.append("\n".join(lines))
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_seed_warehouse(tmp_path_factory.mktemp("readme") / "w.duckdb")


@pytest.mark.parametrize("sql", _statements(), ids=lambda sql: sql.splitlines()[0][:40])
def test_readme_query_runs(db: Path, sql: str) -> None:
    with connect(db, read_only=True) as conn:
        conn.execute(sql).fetchall()


_ANALYSIS = (
    (REPO_ROOT / "README.md")
    .read_text(encoding="utf-8")
    .split("## Analysing the warehouse")[1]
    .split("\n## ")[0]
)


@pytest.mark.parametrize(
    "sql",
    [s for s in _statements() if s.split("\n")[0] in _ANALYSIS],
    ids=lambda sql: sql.splitlines()[0][:40],
)
def test_analysis_queries_return_rows(db: Path, sql: str) -> None:
    with connect(db, read_only=True) as conn:
        assert conn.execute(sql).fetchall(), (
            "an example in 'Analysing the warehouse' returns no rows on the seed"
        )


def test_readme_has_queries() -> None:
    assert len(_statements()) >= 5

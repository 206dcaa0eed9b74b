from __future__ import annotations

import json
from pathlib import Path

import pytest

import tasks.files as files
from tasks.files import InputRef, discover_inputs, read_ref, read_refs


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("正文。" * 20, encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text("<html><body><p>正文</p></body></html>", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c.htm").write_text("<p>正文</p>", encoding="utf-8")
    (tmp_path / "sub" / "notes.md").write_text("skip me", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip me", encoding="utf-8")
    return tmp_path


def test_folder_is_walked_recursively_with_supported_types_only(tree: Path) -> None:
    found = sorted(Path(r.path).name for r in discover_inputs([str(tree)]))
    assert found == ["a.txt", "b.html", "c.htm"]


def test_glob_and_duplicates(tree: Path) -> None:
    refs = list(discover_inputs([str(tree / "**" / "*.htm*"), str(tree / "sub" / "b.html")]))
    assert sorted(Path(r.path).name for r in refs) == ["b.html", "c.htm"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.txt", None, "no such file"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type '.png'"),
        ("empty.jsonl", b"", "empty JSONL file"),
        ("bad.json", b"{oops", "invalid JSON"),
        ("list.json", b"[1, 2]", "expected a JSON object"),
    ],
    ids=["missing", "unsupported-type", "empty-jsonl", "invalid-json", "json-not-object"],
)
def test_unreadable_inputs_are_rejected_with_a_reason(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    refs = list(discover_inputs([str(path)]))
    docs, rejects = read_refs(refs)
    assert docs == []
    assert len(rejects) == 1 and rejects[0].stage == "read"
    assert reason in rejects[0].reason
    assert rejects[0].payload == (content or b"")


def test_too_large_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    docs, rejects = read_ref(InputRef(str(path)))
    assert not docs and "file too large" in rejects[0].reason


def test_jsonl_is_read_in_slices_with_line_uris(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"url": f"u{i}", "text": f"正文{i}"}, ensure_ascii=False) for i in range(5)]
    lines.insert(2, "")  # blank lines are skipped, not rejected
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refs = list(discover_inputs([str(path)], slice_lines=2))
    assert [(r.line_start, r.line_end) for r in refs] == [(1, 3), (3, 5), (5, 7)]
    docs, rejects = read_refs(refs)
    assert not rejects
    assert [d.url for d in docs] == ["u0", "u1", "u2", "u3", "u4"]
    assert docs[2].source_uri.endswith("a.jsonl#L4")
    assert docs[0].media_type == "text" and docs[0].payload == "正文0".encode()


def test_json_html_field_and_txt_sniffing(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"html": "<p>正文</p>", "title": "标题"}), encoding="utf-8")
    (tmp_path / "page.txt").write_bytes(b"  <!DOCTYPE html><html><body>x</body></html>")
    docs, rejects = read_refs(discover_inputs([str(tmp_path)]))
    kinds = {Path(d.source_uri).name: (d.media_type, d.title) for d in docs}
    assert kinds == {"one.json": ("html", "标题"), "page.txt": ("html", None)}
    assert not rejects

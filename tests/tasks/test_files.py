from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import tasks.files as files
from tasks.files import InputRef, discover_inputs, read_ref, read_refs

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


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
        ("news.xml", (FEEDS / "rss20.xml").read_bytes(), "a feed file lists links to articles"),
        (
            "news.rdf",
            (FEEDS / "rss10.rdf").read_bytes(),
            "ingest its URL to fetch them (newsetl ingest --feed URL)",
        ),
        (
            "map.xml",
            b'<?xml version="1.0"?><urlset><url><loc>https://a.invalid/1</loc></url></urlset>',
            "--sitemap URL",
        ),
        ("data.xml", b'<?xml version="1.0"?><records><r>1</r></records>', "unsupported file type '.xml'"),
        ("empty.jsonl", b"", "empty JSONL file"),
        ("bad.json", b"{oops", "invalid JSON"),
        ("list.json", b"[1, 2]", "expected a JSON object"),
    ],
    ids=[
        "missing",
        "unsupported-type",
        "rss2-feed",
        "rss1-feed",
        "sitemap",
        "other-xml",
        "empty-jsonl",
        "invalid-json",
        "json-not-object",
    ],  # fmt: skip
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


def test_shtml_and_xhtml_pages_are_read_as_html(tmp_path: Path) -> None:
    (tmp_path / "n1234.shtml").write_text("<html><body><p>正文。</p></body></html>", encoding="utf-8")
    (tmp_path / "page.xhtml").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><p>正文</p></html>', "utf-8"
    )
    docs, rejects = read_refs(list(discover_inputs([str(tmp_path)])))
    assert rejects == [] and sorted((Path(d.source_uri).name, d.media_type) for d in docs) == [
        ("n1234.shtml", "html"),
        ("page.xhtml", "html"),
    ]


def test_json_html_field_and_txt_sniffing(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"html": "<p>正文</p>", "title": "标题"}), encoding="utf-8")
    (tmp_path / "page.txt").write_bytes(b"  <!DOCTYPE html><html><body>x</body></html>")
    docs, rejects = read_refs(discover_inputs([str(tmp_path)]))
    kinds = {Path(d.source_uri).name: (d.media_type, d.title) for d in docs}
    assert kinds == {"one.json": ("html", "标题"), "page.txt": ("html", None)}
    assert not rejects


def test_a_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a")  # a/b/loop -> a: endless for a naive walk
    (tmp_path / "a" / "self").symlink_to(".")
    for given in (str(tmp_path / "a"), str(tmp_path / "a" / "**" / "*.txt"), str(tmp_path / "**")):
        refs = list(discover_inputs([given]))
        assert [Path(r.path).name for r in refs] == ["x.txt"], given


def test_a_symlinked_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "x.txt").write_text("正文", encoding="utf-8")
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "linked").symlink_to(tmp_path / "real")
    assert [Path(r.path).name for r in discover_inputs([str(tmp_path / "drop")])] == ["x.txt"]


def test_a_file_name_that_is_not_utf8_is_read_with_a_readable_name(tmp_path: Path) -> None:
    name = os.fsdecode("新闻".encode("gb18030") + b".txt")  # a GBK name from a Windows zip
    (tmp_path / name).write_bytes("正文。".encode() * 20)
    docs, rejects = read_refs(discover_inputs([str(tmp_path)]))
    assert not rejects and len(docs) == 1
    assert docs[0].source_uri.endswith("/\\xd0\\xc2\\xce\\xc5.txt")
    docs[0].source_uri.encode("utf-8")  # storable: no lone surrogates left


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to user nobody, which needs root")
def test_an_unreadable_folder_is_a_reject(tmp_path_factory: pytest.TempPathFactory) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="newsetl-unreadable-"))
    try:
        root.chmod(0o755)
        (root / "ok.txt").write_text("正文", encoding="utf-8")
        (root / "secret").mkdir(mode=0o700)
        (root / "secret" / "x.txt").write_text("正文", encoding="utf-8")
        refs = _discover_as_nobody(str(root))
    finally:
        import shutil

        shutil.rmtree(root)
    assert [(Path(r.path).name, r.error) for r in refs] == [
        ("ok.txt", ""),
        ("secret", "cannot read folder: Permission denied"),
    ]
    docs, rejects = read_refs(refs[1:])
    assert not docs and rejects[0].reason == "cannot read folder: Permission denied"


def _discover_as_nobody(path: str) -> list[InputRef]:
    """discover_inputs in a child process that runs as user nobody (root reads every folder)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, walk, send the result back, exit without cleanup
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            found = [(r.path, r.error) for r in discover_inputs([path])]
            os.write(write_end, json.dumps(found).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    return [InputRef(p, error=e) for p, e in json.loads(data)]


def test_one_bad_input_never_loses_its_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("正文。" * 20, encoding="utf-8")
    real = files.read_ref

    def broken_for_b(ref: InputRef):  # type: ignore[no-untyped-def]
        if ref.path.endswith("b.txt"):
            raise RuntimeError("a bug")
        return real(ref)

    monkeypatch.setattr(files, "read_ref", broken_for_b)
    docs, rejects = read_refs(discover_inputs([str(tmp_path)]))
    assert [Path(d.source_uri).name for d in docs] == ["a.txt", "c.txt"]
    assert [(Path(r.source_uri).name, r.stage, r.reason) for r in rejects] == [
        ("b.txt", "internal", "internal error: RuntimeError: a bug")
    ]


def test_jsonl_slices_start_at_their_own_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"url": f"u{i}", "text": f"正文{i}" * (i % 3 + 1)}, ensure_ascii=False) for i in range(10)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refs = list(discover_inputs([str(path)], slice_lines=3))
    data = path.read_bytes()
    # Each slice knows where its first line begins, so reading it never re-reads the slices before it.
    assert [r.byte_start for r in refs] == [data.index(lines[r.line_start - 1].encode()) for r in refs]
    whole = [d.url for r in refs for d in read_ref(r)[0]]
    assert whole == [f"u{i}" for i in range(10)]
    # An offset that is no longer a line start (the file changed since it was sliced) is not trusted.
    stale = InputRef(str(path), refs[1].line_start, refs[1].line_end, byte_start=refs[1].byte_start + 1)
    assert [d.source_uri.rpartition("#")[2] for d in read_ref(stale)[0]] == ["L4", "L5", "L6"]


def test_a_batch_is_read_in_input_order_on_several_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"{i:03d}.txt" for i in range(23)]  # not a multiple of the threads: the last slice is short
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"第{i}篇。" * (1 + 500 * (i % 3)), encoding="utf-8")
    refs = list(discover_inputs([str(tmp_path)]))
    monkeypatch.setattr(files, "IO_THREADS", 1)
    one = read_refs(refs)
    monkeypatch.setattr(files, "IO_THREADS", 4)
    threaded = read_refs(refs)
    assert [Path(d.source_uri).name for d in threaded[0]] == names
    assert threaded == one

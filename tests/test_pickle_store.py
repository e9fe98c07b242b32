"""Caches kept between builds without being re-read or re-written whole (govsite/pickle_store.py,
the link check's scan cache; govsite/file_memo.py's FileMemo in a watching process): what is read
back must always be what was last saved, whoever wrote the files since."""

import json
import os
import pickle

from govsite import file_memo, pickle_store
from govsite.file_memo import FileMemo

TABLES = ("pages",)


def fresh(path):
    """What a new process reads."""
    pickle_store._MEMORY.pop(str(path), None)
    return pickle_store.load(path)


def test_a_few_changes_are_written_as_a_delta_read_back_by_any_process(tmp_path):
    path = tmp_path / "cache.pickle"
    data = {"version": 1, "files": frozenset({"a", "b"}), "pages": {f"p{i}": (i, "x") for i in range(200)}}
    pickle_store.save(path, data, TABLES)
    base = path.read_bytes()
    changed = {"version": 1, "files": frozenset({"a"}), "pages": {**data["pages"], "p1": (1, "y"), "new": (0, "z")}}
    del changed["pages"]["p2"]
    pickle_store.save(path, changed, TABLES)
    assert path.read_bytes() == base, "the base is not written again"
    assert len((tmp_path / "cache.pickle.delta").read_bytes()) < len(base) / 4
    assert pickle_store.load(path) is changed, "this process: from memory"
    assert fresh(path) == changed, "another process: the base and the delta"


def test_many_changes_write_the_base_again_and_void_the_delta(tmp_path):
    path = tmp_path / "cache.pickle"
    pickle_store.save(path, {"pages": {f"p{i}": i for i in range(100)}}, TABLES)
    pickle_store.save(path, {"pages": {f"p{i}": i for i in range(101)}}, TABLES)  # a delta
    assert (tmp_path / "cache.pickle.delta").exists()
    everything = {"pages": {f"p{i}": -i for i in range(100)}}
    pickle_store.save(path, everything, TABLES)
    assert not (tmp_path / "cache.pickle.delta").exists() and fresh(path) == everything


def test_a_delta_of_another_base_is_ignored_and_damage_reads_as_empty(tmp_path):
    path = tmp_path / "cache.pickle"
    pickle_store.save(path, {"pages": {f"p{i}": i for i in range(100)}}, TABLES)
    pickle_store.save(path, {"pages": {f"p{i}": i for i in range(101)}}, TABLES)
    delta = (tmp_path / "cache.pickle.delta").read_bytes()
    other = {"pages": {"q": 1}}
    path.with_name("x").write_bytes(pickle.dumps(other))
    path.with_name("x").replace(path)  # another writer's base: the old delta does not apply to it
    (tmp_path / "cache.pickle.delta").write_bytes(delta)
    assert pickle_store.load(path) == other
    assert fresh(path) == other
    path.write_bytes(b"damaged")
    assert fresh(path) == {}
    (tmp_path / "cache.pickle.delta").write_bytes(b"damaged")
    pickle_store.save(path, other, TABLES)
    assert fresh(path) == other


def test_a_file_memo_is_taken_from_memory_only_while_its_file_is_the_one_saved(tmp_path):
    (tmp_path / "a.txt").write_text("a", "utf-8")
    os.utime(tmp_path / "a.txt", ns=(1_000_000_000, 1_000_000_000))  # settled: remembered
    path = tmp_path / "memo.json"
    memo = FileMemo(path)
    assert memo.value(tmp_path, "a.txt", lambda p: "computed") == "computed"
    memo.save()
    assert FileMemo(path).value(tmp_path, "a.txt", lambda p: "again") == "computed"
    saved = json.loads(path.read_text("utf-8"))
    saved["files"]["a.txt"][3] = "edited"
    path.with_name("other").write_text(json.dumps(saved), "utf-8")
    path.with_name("other").replace(path)  # another writer
    assert FileMemo(path).value(tmp_path, "a.txt", lambda p: "again") == "edited"
    file_memo._SEEN.clear()
    assert FileMemo(path).value(tmp_path, "a.txt", lambda p: "again") == "edited"

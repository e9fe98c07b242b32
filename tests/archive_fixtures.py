"""Fixtures shared by the tests/test_archive_*.py modules (import the ones a module uses)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from govsite.archive.snapshot import snapshot_site

CITY = "www.chenghu.gov.cn"
DEPT = "jtj.chenghu.gov.cn"


@pytest.fixture(scope="session")
def snapshot_of_city(built_fixture, tmp_path_factory):
    """A snapshot of the built fixture portal (read-only: copy before damaging)."""
    return snapshot_site(built_fixture / CITY, CITY, tmp_path_factory.mktemp("archives"))


@pytest.fixture
def site_copy(built_fixture, tmp_path) -> Path:
    """A writable copy of the built fixture portal, manifest included."""
    target = tmp_path / CITY
    shutil.copytree(built_fixture / CITY, target, symlinks=True)
    return target


def rewrite_zip(source: Path, target: Path, replace: dict | None = None, drop: tuple = ()) -> Path:
    """Copy a WACZ member by member, replacing some members' bytes and dropping others."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info, replace.get(info.filename, old.read(info.filename)))
    return target


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}

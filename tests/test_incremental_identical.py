"""An incremental rebuild writes exactly what a clean full build of the same content writes.

A seeded sequence of random edits on a copy of the fixture group — add, change (title, body,
date), delete and move (to another column, to another folder) an article; change a site.toml
column; change the theme (a copied theme folder given with ``THEME``) — and after each edit an
incremental rebuild of the live output and a clean full build (no output, no cache) into another
folder. The two output trees (and the records) must hold the same files with the same bytes; the
assertion names every file that differs. Nothing is left out: the one build-clock value of the
output, the build manifest's ``built`` (the newest file's mtime), is fixed the standard way,
``SOURCE_DATE_EPOCH``. Run with worker processes and with the incremental builds in this process
(as ``govsite build --watch`` runs them). ``GOVSITE_IDENTICAL_SEED`` and ``GOVSITE_IDENTICAL_STEPS``
replay or lengthen a run.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from govsite import kept_folders
from govsite.build import STAGING, after_report, build_group

from conftest import DEMO_DAY, FIXTURES, GroupCopy

SETTINGS = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": DEMO_DAY}
THEME = Path(__file__).resolve().parent.parent / "govsite" / "theme"
SEED = int(os.environ.get("GOVSITE_IDENTICAL_SEED", "20"))
STEPS = int(os.environ.get("GOVSITE_IDENTICAL_STEPS", "12"))
#: Fictional words for titles and bodies.
WORDS = ("澄湖市", "召开", "会议", "部署", "冬季", "道路", "保畅", "工作", "重点项目", "推进", "植树", "供暖",
         "通知", "公告", "群众", "服务", "交通", "安全", "检查", "培训", "发布", "方案", "落实", "情况")
ANCHOR = "20261110-anchor.md"
KINDS = ("add", "add", "title", "body", "date", "delete", "column", "folder", "site_column", "new_column", "theme")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes, and every folder
    (its path and a "/", empty ones too); not the builds' own working folder (``.staging``: a watch keeps
    the folders of the output it replaced there, ``govsite.kept_folders``)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name.split("/", 1)[0] != STAGING:
            found[name + "/" if path.is_dir() else name] = b"" if path.is_dir() else path.read_bytes()
    return found


def settle(folder: Path) -> None:
    """Date the files of ``folder`` saved in the last 5 s 10 s back: a file saved in the last 2 s counts as
    edited at every build until it settles, as if the editor had saved it a while before."""
    now = time.time()
    for path in folder.rglob("*"):
        if path.stat().st_mtime > now - 5:
            os.utime(path, (now - 10, now - 10))


def differences(left: dict[str, bytes], right: dict[str, bytes]) -> list[str]:
    """The files missing on one side or whose bytes differ."""
    return sorted([f"only incremental: {n}" for n in left.keys() - right.keys()]
                  + [f"only full: {n}" for n in right.keys() - left.keys()]
                  + [f"bytes differ: {n}" for n in left.keys() & right.keys() if left[n] != right[n]])


class Editor:
    """Random editorial changes to a content folder, as an editor would make them: a URL that goes
    away (deleted, moved, re-dated into another month) gets a row in the site's redirects.csv."""

    def __init__(self, group: GroupCopy, rng: random.Random, theme: Path):
        self.group, self.rng, self.theme, self.count = group, rng, theme, 0
        self.theme_set = False

    def columns(self, site: str) -> list[str]:
        text = self.group.site_toml(site).read_text("utf-8")
        return [line.split('"')[1] for line in text.splitlines() if line.startswith("slug = ")]

    def articles(self) -> list[Path]:
        """The articles the editor may change (not the anchors)."""
        return sorted(p for p in self.group.root.glob("*/articles/**/*.md") if p.name != ANCHOR)

    def anchor(self) -> None:
        """One news item per site the editor never touches, dated on the compliance day: however the
        other items move, the home page stays fresh (a stale home page fails the build)."""
        for site in ("city", "dept"):
            self.group.write(f"{site}/articles/{ANCHOR}", "Title: 澄湖市政务服务提质增效\nDate: 2026-11-10 09:00\n"
                             "Category: news\nSource: 澄湖市人民政府办公室\nAuthor: 周敏\nReviewer: 陈立\n"
                             "Summary: 政务服务提质增效。\nKeywords: 政务服务\n\n政务服务提质增效。\n")

    def words(self, n: int) -> str:
        return "".join(self.rng.choice(WORDS) for _ in range(n))

    @staticmethod
    def fields(path: Path) -> dict[str, str]:
        head = path.read_text("utf-8").split("\n\n", 1)[0]
        return dict(line.split(": ", 1) for line in head.splitlines())

    def url(self, path: Path) -> str:
        fields = self.fields(path)
        month = fields["Date"][:7].replace("-", "")
        return f"/{fields['Category']}/{month}/{path.stem}.html"

    def redirect(self, path: Path, site: str, old: str) -> None:
        """Send a URL that went away to its column's list (as the lost-URL guard requires)."""
        register = self.group.root / site / "redirects.csv"
        rows = register.read_text("utf-8") if register.exists() else "old_url,new_path\n"
        register.write_text(rows + f"{old},{old.split('/')[1]}/index.html\n", "utf-8")

    def replace_field(self, path: Path, name: str, value: str) -> None:
        lines = path.read_text("utf-8").split("\n")
        path.write_text("\n".join(f"{name}: {value}" if line.startswith(f"{name}: ") else line
                                  for line in lines), "utf-8")

    def day(self) -> str:
        """A day of the fortnight before the fixture's compliance day (2026-11-10): the home page and
        columns stay fresh, and a re-dated article may move to another month (a new URL)."""
        return self.rng.choice([f"2026-10-{d}" for d in range(28, 32)] + [f"2026-11-{d:02d}" for d in range(1, 11)])

    def apply(self, kind: str, site: str | None = None) -> str:
        """Make one edit of ``kind`` (on ``site``, else a random one); returns what was done (for the
        assertion message)."""
        site = site or self.rng.choice(["city", "dept"])
        own = [p for p in self.articles() if p.relative_to(self.group.root).parts[0] == site]
        if kind in ("title", "body", "date", "delete", "column", "folder") and not own or \
                kind == "delete" and len(own) == 1:
            kind = "add"
        if kind == "add":
            self.count += 1
            column = self.rng.choice(self.columns(site))
            day = f"{self.day()} {self.rng.randint(8, 17):02d}:00"
            folder = self.rng.choice(["articles", "articles/2026"])
            slug = f"{day[:10].replace('-', '')}-edit{self.count}"
            self.group.write(f"{site}/{folder}/{slug}.md",
                             f"Title: {self.words(4)}\nDate: {day}\nCategory: {column}\nSource: 澄湖市人民政府办公室\n"
                             f"Author: 周敏\nReviewer: 陈立\nSummary: {self.words(3)}。\nKeywords: {self.words(1)}\n\n"
                             f"{self.words(12)}。\n")
            return f"add {site}/{folder}/{slug}.md in {column} dated {day}"
        if kind in ("site_column", "new_column", "theme"):
            return self.site_edit(kind, site)
        path = self.rng.choice(own)
        old = self.url(path)
        if kind == "title":
            self.replace_field(path, "Title", self.words(5))
        elif kind == "body":
            path.write_text(path.read_text("utf-8") + f"\n{self.words(10)}。\n", "utf-8")
        elif kind == "date":
            date = self.fields(path)["Date"]
            self.replace_field(path, "Date", self.day() + date[10:])
        elif kind == "column":
            choices = [c for c in self.columns(site) if c != self.fields(path)["Category"]]
            if not choices:
                return self.apply("new_column")
            self.replace_field(path, "Category", self.rng.choice(choices))
        elif kind == "folder":
            target = self.group.root / site / "articles" / self.rng.choice(["moved", "2026/11", "."]) / path.name
            if target.resolve() != path.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                path.rename(target)
            path = target
        elif kind == "delete":
            path.unlink()
        if kind == "delete" or self.url(path) != old:
            self.redirect(path, site, old)
        return f"{kind} {path.relative_to(self.group.root)}"

    def site_edit(self, kind: str, site: str) -> str:
        """A column renamed or described anew, a new column, or a theme edit (CSS or template)."""
        if kind == "theme":
            if not self.theme_set:
                shutil.copytree(THEME, self.theme)
                self.theme_set = True
            if self.rng.random() < 0.5:
                css = self.theme / "static" / "css" / "site.css"
                css.write_text(css.read_text("utf-8") + f"\n.article h1 {{ letter-spacing: .0{self.count}em; }}\n",
                               "utf-8")
                self.count += 1
                return "theme: CSS edited"
            base = self.theme / "templates" / "base.html"
            self.count += 1
            base.write_text(base.read_text("utf-8").replace("<body ", f'<body data-edit="{self.count}" ', 1), "utf-8")
            return "theme: base template edited"
        path = self.group.site_toml(site)
        text = path.read_text("utf-8")
        if kind == "new_column":
            self.count += 1
            self.group.append(site, f'[[columns]]\nslug = "col{self.count}"\nname = "专栏{self.count}"\n'
                                    f'type = "要闻动态"\ndescription = "{self.words(3)}。"')
            return f"new column col{self.count} in {site}"
        lines = text.split("\n")
        names = [i for i, line in enumerate(lines) if line.startswith(("name = ", "description = "))
                 and any(lines[j] == "[[columns]]" for j in range(max(0, i - 4), i))]
        index = self.rng.choice(names)
        key = lines[index].split(" = ")[0]
        lines[index] = f'{key} = "{self.words(2)}"'
        path.write_text("\n".join(lines), "utf-8")
        return f"{site}.toml column {key} changed"


def build(content: Path, base: Path, settings: dict, records: Path, full: bool, done: list[str],
          in_process: bool = False) -> None:
    """Build the group into ``base``/output (its cache in ``base``/cache); every site must succeed."""
    results = build_group(content, base / "output", cache_dir=base / "cache", reports_dir=base / "reports",
                          records_dir=records, settings=settings, full=full, in_process=in_process,
                          defer_cleanup=in_process)
    assert all(r.ok for r in results), (f"seed {SEED}, after {done}: " + "; ".join(r.error[:800] for r in results))
    if in_process:
        after_report(base / "output", results)  # as the watch does: the replaced outputs' folders kept
    return results


@pytest.mark.parametrize("in_process, steps", [(False, STEPS), (True, STEPS // 2)], ids=["processes", "watch"])
def test_incremental_rebuilds_equal_full_builds_on_random_edits(tmp_path, monkeypatch, in_process, steps):
    """``watch``: the incremental builds run one after another in the test's process, as ``govsite build
    --watch`` runs them (state left in the process by one build must not change the next)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the manifest's build time (the worker processes inherit it)
    taken = []  # builds into the folders of the output they replaced (a watch's)
    take = kept_folders.take_folders
    monkeypatch.setattr(kept_folders, "take_folders",
                        lambda *paths, **options: taken.append(take(*paths, **options)) or taken[-1])
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "group", content)
    rng = random.Random(SEED + in_process)
    editor = Editor(GroupCopy(content), rng, tmp_path / "theme")
    editor.anchor()
    live, records = tmp_path / "live", tmp_path / "records"
    done = []
    build(content, live, SETTINGS, records, True, done)
    kinds = []
    while len(kinds) < steps:  # every kind of edit once in each round of len(KINDS) steps
        kinds += rng.sample(KINDS, len(KINDS))
    for kind in ("theme", "site_column") if steps < len(KINDS) else ():  # a short run edits what every page shows
        kinds.remove(kind)
        kinds.insert(rng.randrange(steps - 1), kind)
    # the watch ends with two settled in-place edits: the last build keeps pages by the graph
    final = ["body", "title"] if in_process else []
    for step, kind in enumerate(kinds[:steps] + final):
        done.append(editor.apply(kind, "city" if step >= steps else None))
        if in_process and (step % 2 or step >= steps):  # saved a while ago: the next build can tell an
            settle(content)                              # in-place edit from a new one
        settings = {**SETTINGS, "THEME": str(editor.theme)} if editor.theme_set else SETTINGS
        clean = tmp_path / f"clean{step}"
        shutil.copytree(records, clean / "records")  # the records the incremental build reads: same inputs
        untouched = sum(r.untouched for r in build(content, live, settings, records, False, done, in_process))
        build(content, clean, settings, clean / "records", True, done)
        diff = differences(tree(live / "output"), tree(clean / "output"))
        assert not diff, (f"seed {SEED}, step {step} after {done}: the incremental output differs from a full "
                          f"build in {len(diff)} file(s):\n" + "\n".join(diff[:60]))
        assert tree(records) == tree(clean / "records"), f"seed {SEED}, step {step}: the records differ"
        shutil.rmtree(clean)
    assert untouched or not in_process, f"seed {SEED}: the last in-place edit ({done[-1]}) kept no page by the graph"
    into_kept = sum(t is not None for t in taken)
    assert into_kept >= (steps // 2 if in_process else 0), f"builds into kept folders: {into_kept} of {len(taken)}"
    ahead = sum(bool(t) for t in taken)  # ... with the live pages linked ahead
    assert ahead >= (steps // 4 if in_process else 0), f"builds taking pages linked ahead: {ahead} of {len(taken)}"

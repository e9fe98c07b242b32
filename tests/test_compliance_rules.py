"""Each content rule with good and bad data: review, deadlines, back-dating, interpretations, columns, wording,
the configuration and site.toml [compliance]."""

import subprocess
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from govsite.compliance.config import freshness_days, load_config, site_facts
from govsite.compliance.deadlines import check_dates, check_deadlines
from govsite.compliance.freshness import check_freshness, check_list_dates, column_states
from govsite.compliance.gitdates import first_commits
from govsite.compliance.interpretations import check_interpretations, coverage, is_graphic
from govsite.compliance.items import Item
from govsite.compliance.report import write_reports
from govsite.compliance.review import check_review
from govsite.compliance.run import check_site
from govsite.compliance.wording import Lexicon, check_wording, load_lexicon
from govsite.compliance.workdays import WorkdayCalendar
from govsite.errors import ContentInvalid, GroupInvalid
from govsite.registry import Column, load_group

BJ = ZoneInfo("Asia/Shanghai")
CONFIG = load_config(None)
CAL = WorkdayCalendar()


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BJ)


def item(slug="a", column="news", column_type="要闻动态", day="2026-11-02", **kw) -> Item:
    return Item(kw.pop("file", f"{slug}.md"), slug, kw.pop("title", "标题"), column, column_type, at(day), **kw)


def rules(findings):
    return sorted((f.rule, f.severity) for f in findings)


# review separation and reprints

def test_author_and_a_different_reviewer_are_required():
    own = frozenset({"澄湖市人民政府", "澄湖市人民政府办公室"})
    good = item(author="周敏", reviewer="陈立", source="澄湖市人民政府办公室")
    assert check_review([good], own) == []
    bad = [item("b", author="周敏"), item("c", author="周敏", reviewer="周敏"), item("d", reviewer="陈立")]
    assert rules(check_review(bad, own)) == [("author-reviewer", "error"), ("author-reviewer", "error"),
                                             ("same-person", "error")]
    assert rules(check_review(bad, own, reviewer_level="warning"))[0][1] == "warning"
    assert check_review([replace(bad[0], generated=True)], own) == [], "platform notices are not reviewed items"


def test_a_reprint_carries_its_original_url():
    own = frozenset({"澄湖市人民政府办公室", "澄湖市林业局"})
    reprint = item(author="甲", reviewer="乙", source="澄湖日报")
    [finding] = check_review([reprint], own)
    assert finding.rule == "reprint" and "澄湖日报" in finding.message and "OriginalURL" in finding.fix
    assert check_review([replace(reprint, original_url="https://news.example.cn/1.html")], own) == []
    assert check_review([replace(reprint, source="澄湖市林业局")], own) == [], "an own source is not a reprint"


# deadlines

def deadlines(**kw):
    return {**CONFIG["deadlines"], **kw}


def test_policy_online_within_five_working_days_of_issue():
    on_time = item("p1", "zcwj", "政策文件", "2026-10-13", issued=at("2026-09-30"))  # 8, 9, 10(Sat), 12, 13 Oct
    late = item("p2", "zcwj", "政策文件", "2026-10-14", issued=at("2026-09-30"))
    assert check_deadlines([on_time], CAL, deadlines()) == []
    [finding] = check_deadlines([late], CAL, deadlines())
    assert finding.rule == "policy-late" and finding.severity == "warning" and "2026-10-13" in finding.message
    assert rules(check_deadlines([replace(late, issued=None)], CAL, deadlines())) == [("policy-issued", "error")]
    assert rules(check_deadlines([replace(late, issued=at("2026-10-20"))], CAL, deadlines())) == [
        ("policy-issued", "error")], "issued after it went online"
    assert check_deadlines([late], CAL, deadlines(policy_days=6)) == []


def test_interpretation_within_three_working_days_of_its_policy():
    policy = item("p1", "zcwj", "政策文件", "2026-09-30", issued=at("2026-09-29"))
    good = item("j1", "zcjd", "政策解读", "2026-10-10", policy="p1")  # 8, 9, 10 (adjusted Saturday)
    late = item("j2", "zcjd", "政策解读", "2026-10-12", policy="p1")
    unknown = item("j3", "zcjd", "政策解读", "2026-10-02", policy="nope")
    found = check_deadlines([policy, good, late, unknown], CAL, deadlines())
    assert rules(found) == [("interpretation-late", "warning"), ("interpretation-policy", "error")]
    assert "p1" in next(f.fix for f in found if f.rule == "interpretation-policy")


def test_future_dates_and_back_dating_against_the_first_commit():
    now = at("2026-11-27", 12)
    future = item("f", day="2026-11-28")
    old = item("o", day="2026-11-01")
    commits = {"o.md": at("2026-11-20", 9)}
    found = check_dates([future, old], now, commits, deadlines())
    assert rules(found) == [("backdated", "error"), ("future-date", "error")]
    assert next(f for f in found if f.rule == "backdated").veto
    assert check_dates([old], now, commits, deadlines(), since=date(2026, 11, 21)) == [], \
        "files first committed before `since` (imported content) keep their dates"
    assert check_dates([old], now, commits, deadlines(backdating_tolerance_hours=24 * 20)) == []
    assert check_dates([old], now, {}, deadlines()) == [], "no commit: nothing to compare"


def git_in(repo):
    """``git(*args, **environment)`` in ``repo``, with a fixed author, committer and date (2026-11-20)."""
    env = {"GIT_AUTHOR_DATE": "2026-11-20T09:00:00+08:00", "GIT_COMMITTER_DATE": "2026-11-20T09:00:00+08:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin"}
    return lambda *a, **k: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True,
                                          env={**env, **k})


def test_first_commits_from_git_and_outside_a_repository(tmp_path):
    repo = tmp_path / "repo"
    (repo / "articles").mkdir(parents=True)
    (repo / "articles" / "a.md").write_text("a", "utf-8")
    (repo / "articles" / "政策.md").write_text("c", "utf-8")  # git quotes non-ASCII paths unless told not to
    git = git_in(repo)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    git("mv", "articles/a.md", "articles/b.md")
    git("commit", "-q", "-m", "rename", GIT_AUTHOR_DATE="2026-11-25T09:00:00+08:00")
    (repo / "articles" / "new.md").write_text("n", "utf-8")
    found = first_commits(repo, [repo / "articles" / "b.md", repo / "articles" / "new.md", repo / "articles" / "政策.md"])
    first = datetime.fromisoformat("2026-11-20T09:00:00+08:00")
    expected = {str(repo / "articles" / "b.md"): first, str(repo / "articles" / "政策.md"): first}
    assert found == expected, \
        "a renamed file keeps its first commit (--follow); a Chinese file name is found; an uncommitted one has none"
    in_subfolder = first_commits(repo / "articles", [repo / "articles" / "b.md", repo / "articles" / "政策.md"])
    assert in_subfolder == expected, "a site folder inside the group's repository"
    assert first_commits(tmp_path / "elsewhere", [tmp_path / "x.md"]) == {}
    (tmp_path / "plain").mkdir()
    assert first_commits(tmp_path / "plain", [tmp_path / "plain" / "x.md"]) == {}, "not a repository: skipped"


def test_first_commits_ask_git_once_while_nothing_is_committed(tmp_path, monkeypatch):
    """A watch's builds: the history is read again only when HEAD moves; a file added to the index but
    not committed has no first commit; one committed since is found, under a new name too."""
    from govsite.compliance import gitdates

    repo = tmp_path / "repo"
    (repo / "articles").mkdir(parents=True)
    (repo / "articles" / "a.md").write_text("a", "utf-8")
    git = git_in(repo)
    git("init", "-q")
    assert first_commits(repo, [repo / "articles" / "a.md"]) == {}, "a repository without a commit"
    git("add", ".")
    git("commit", "-q", "-m", "first")
    files = [repo / "articles" / "a.md", repo / "articles" / "b.md"]
    first = datetime.fromisoformat("2026-11-20T09:00:00+08:00")
    assert first_commits(repo, files) == {str(files[0]): first}
    asked = []
    ask = gitdates._git
    monkeypatch.setattr(gitdates, "_git", lambda folder, *args: asked.append(args[0]) or ask(folder, *args))
    (repo / "articles" / "b.md").write_text("b", "utf-8")
    git("add", ".")  # in the index, not committed
    assert first_commits(repo, files) == {str(files[0]): first}
    assert asked == ["rev-parse"], "HEAD unchanged: the history is not read again"
    git("commit", "-q", "-m", "second", GIT_AUTHOR_DATE="2026-11-22T09:00:00+08:00")
    second = datetime.fromisoformat("2026-11-22T09:00:00+08:00")
    assert first_commits(repo, files) == {str(files[0]): first, str(files[1]): second}, "a new commit is read"
    git("mv", "articles/a.md", "articles/c.md")
    git("commit", "-q", "-m", "rename", GIT_AUTHOR_DATE="2026-11-25T09:00:00+08:00")
    renamed = [repo / "articles" / "c.md"]
    assert first_commits(repo, renamed) == {str(renamed[0]): first}, "a rename keeps the first commit (--follow)"
    asked.clear()
    assert first_commits(repo, renamed) == {str(renamed[0]): first}
    assert asked == ["rev-parse"], "the --follow answer is remembered with the history"


# interpretations

def test_every_policy_has_an_interpretation_and_graphic_share():
    config = CONFIG["interpretations"]
    policy = item("p1", "zcwj", "政策文件", "2026-09-30", title="办法")
    text = item("j1", "zcjd", "政策解读", "2026-10-08", policy="p1", body="<p>文字解读</p>")
    assert not is_graphic(text)
    assert is_graphic(replace(text, image="images/chart.png"))
    assert is_graphic(replace(text, body='<p><img src="x.png" alt="图"></p>'))
    assert is_graphic(replace(text, form="视频")) and not is_graphic(replace(text, form="文字", image="x.png"))
    found = check_interpretations([policy, text], CAL, date(2026, 11, 27), config, 3)
    assert rules(found) == [("graphic-share", "warning")] and "0/1" in found[0].message
    assert coverage([policy, replace(text, image="x.png")]) == {2026: {"total": 1, "graphic": 1, "share": 1.0}}
    # no interpretation: a warning while its 3 working days run, then an error
    assert rules(check_interpretations([policy], CAL, date(2026, 10, 9), config, 3)) == [("missing", "warning")]
    [missing] = check_interpretations([policy], CAL, date(2026, 11, 27), config, 3)
    assert missing.severity == "error" and "Policy: p1" in missing.fix
    assert check_interpretations([policy], CAL, date(2026, 11, 27), {**config, "missing": "off"}, 3) == []


# columns

COLUMNS = [Column("news", "要闻动态", "要闻动态", "", ()), Column("notices", "通知公告", "通知公告", "", ()),
           Column("rsxx", "人事信息", "人事信息", "", ()), Column("jggk", "机构概况", "机构概况", "", ())]
THRESHOLDS = freshness_days(CONFIG)


def test_column_states_and_thresholds_from_the_vocabulary():
    items = [item("n", day="2026-11-15"), item("t", "notices", "通知公告", "2026-05-01")]
    states = {s.slug: s for s in column_states(COLUMNS, items, date(2026, 11, 27), THRESHOLDS)}
    assert (states["news"].status, states["news"].days, states["news"].stale_days) == ("approaching", 12, 14)
    assert (states["notices"].status, states["notices"].days) == ("stale", 210)
    assert states["rsxx"].status == "blank" and states["jggk"].status == "blank"
    found = check_freshness("site.toml", list(states.values()), items, date(2026, 11, 27), CONFIG["freshness"])
    assert rules(found) == [("approaching", "warning"), ("blank-column", "warning"), ("blank-column", "warning"),
                            ("home-approaching", "warning"), ("stale-column", "warning")]
    fresh = [item("n", day="2026-11-25"), item("t", "notices", "通知公告", "2026-11-01"),
             item("r", "rsxx", "人事信息", "2026-01-05"), item("j", "jggk", "机构概况", "2020-01-01")]
    states = column_states(COLUMNS, fresh, date(2026, 11, 27), THRESHOLDS)
    assert check_freshness("site.toml", states, fresh, date(2026, 11, 27), CONFIG["freshness"]) == []
    custom = freshness_days(load_config({"freshness": {"days": {"人事信息": [300, 200]}}}))
    assert {s.slug: s.status for s in column_states(COLUMNS, fresh, date(2026, 11, 27), custom)}["rsxx"] == "stale"


def test_home_page_two_weeks_and_the_single_veto_totals():
    old = [item("n", day="2026-11-10")]
    states = column_states(COLUMNS[:1], old, date(2026, 11, 27), THRESHOLDS)
    found = check_freshness("site.toml", states, old, date(2026, 11, 27), CONFIG["freshness"])
    home = next(f for f in found if f.rule == "home-stale")
    assert home.severity == "error" and home.veto and "17 天" in home.message
    many = [Column(f"c{i}", f"栏目{i}", "要闻动态", "", ()) for i in range(5)]
    states = column_states(many, [], date(2026, 11, 27), THRESHOLDS)
    found = check_freshness("site.toml", states, [item("x", "other", day="2026-11-26")], date(2026, 11, 27),
                            CONFIG["freshness"])
    [veto] = [f for f in found if f.rule == "single-veto"]
    assert veto.severity == "error" and "空白栏目共 5 个" in veto.message
    stale = [item(f"s{i}", f"c{i}", day="2026-10-01") for i in range(4)]
    states = column_states(many, stale + [item("s4", "c4", day="2026-11-26")], date(2026, 11, 27), THRESHOLDS)
    assert not [f for f in check_freshness("site.toml", states, stale, date(2026, 11, 27), CONFIG["freshness"])
                if f.rule == "single-veto"], "4 stale columns: not yet a veto"


def test_every_list_item_shows_a_date(tmp_path):
    (tmp_path / "news").mkdir()
    dated = '<ul class="item-list"><li><a href="a.html">甲</a><time datetime="2026-11-01">2026-11-01</time></li></ul>'
    (tmp_path / "index.html").write_text(f"<html><body>{dated}</body></html>", "utf-8")
    (tmp_path / "news" / "index.html").write_text(
        f'<html><body>{dated}<ul class="item-list"><li><a href="b.html">没有日期的条目</a></li></ul></body></html>', "utf-8")
    [finding] = check_list_dates(tmp_path)
    assert finding.file == "news/index.html" and "没有日期的条目" in finding.message and finding.severity == "error"


def test_a_list_page_remembered_is_checked_again_once_it_changes(tmp_path):
    """A watching process remembers each list page's verdict by the file's identity."""
    import os
    import time

    page = tmp_path / "news" / "index.html"
    page.parent.mkdir()

    def write(items: str, age: int) -> None:  # settled: a file written in the last 2 s is not remembered
        page.write_text(f'<html><body><ul class="item-list">{items}</ul></body></html>', "utf-8")
        os.utime(page, (time.time() - age, time.time() - age))

    write('<li><a href="b.html">没有日期的条目</a></li>', 10)
    assert len(check_list_dates(tmp_path)) == 1 and len(check_list_dates(tmp_path)) == 1  # the second remembered
    write("", 20)
    assert check_list_dates(tmp_path) == []


# wording

def test_default_lexicon_finds_serious_errors_and_sensitive_words():
    lexicon = load_lexicon(CONFIG["wording"])
    assert len(lexicon.serious) >= 30
    items = [item("w", title="中华人民共合国成立纪念", body="<p>推进一带一陆建设，<b>国务院办公停</b>部暑工作。</p>"),
             item("s", summary="严厉打击网络赌场")]
    found = check_wording(items, lexicon)
    assert rules(found) == [("sensitive", "warning")] + [("serious-error", "error")] * 4
    assert any("改为“中华人民共和国”" == f.fix for f in found)
    assert check_wording([item("ok", body="<p>中华人民共和国国务院办公厅部署“一带一路”工作。</p>")], lexicon) == []
    [one] = check_wording([item("p", body="中共中央政冶局")], lexicon)
    assert "中共中央政冶局" in one.message, "the longest entry wins over the one inside it"


def test_lexicon_configuration(tmp_path):
    extra = tmp_path / "local.toml"
    extra.write_text('[serious]\n"霁川市人名政府" = "霁川市人民政府"\n[sensitive]\nwords = ["内部资料"]\n', "utf-8")
    config = load_config({"wording": {"lexicon_files": [str(extra)], "serious": {"澄湖是": "澄湖市"},
                                      "remove": ["部暑"], "sensitive_level": "error"}})["wording"]
    lexicon = load_lexicon(config)
    found = check_wording([item(body="霁川市人名政府内部资料，澄湖是部暑")], lexicon, config["serious_level"],
                          config["sensitive_level"])
    assert rules(found) == [("sensitive", "error"), ("serious-error", "error"), ("serious-error", "error")]
    bare = load_lexicon({**config, "default_lexicon": False, "lexicon_files": [], "serious": {}})
    assert isinstance(bare, Lexicon) and "中华人民共合国" not in bare.serious


# configuration

@pytest.mark.parametrize("value, named", [
    ({"privcy": {}}, "GOVSITE_COMPLIANCE['privcy']"),
    ({"privacy": {"id_card": "hide"}}, "GOVSITE_COMPLIANCE['privacy']['id_card']"),
    ({"deadlines": {"policy_days": -1}}, "GOVSITE_COMPLIANCE['deadlines']['policy_days']"),
    ({"interpretations": {"graphic_share": 80}}, "GOVSITE_COMPLIANCE['interpretations']['graphic_share']"),
    ({"freshness": {"days": {"新闻": [14, 10]}}}, "GOVSITE_COMPLIANCE['freshness']['days']"),
    ({"freshness": {"days": {"要闻动态": [10, 14]}}}, "warn <= stale"),
    ({"wording": {"lexicon_files": ["/no/such.toml"]}}, "not found: /no/such.toml"),
    ({"review": {"reviewer": "fatal"}}, "one of: error, warning, off"),
])
def test_bad_settings_name_the_key(value, named):
    with pytest.raises(ContentInvalid) as raised:
        load_config(value)
    assert named in str(raised.value) and "pelicanconf.py" in str(raised.value)


def test_site_toml_compliance_table_is_validated(group):
    path = group.site_toml("city")
    path.write_text(path.read_text("utf-8").replace("as_of = 2026-11-10", 'as_of = "soon"\nallowed_numbers = "0991"\n'
                                                    "since = 1"), "utf-8")
    with pytest.raises(GroupInvalid) as raised:
        load_group(group.root)
    text = str(raised.value)
    assert "city/site.toml: compliance.allowed_numbers" in text and "compliance.as_of = 'soon'" in text
    assert "compliance.since = 1: expected no such key; allowed: allowed_numbers" in text


def test_site_facts_as_of_is_never_after_the_build_day_and_families_are_checked(group):
    site = load_group(group.root).get("city")
    assert site_facts(site, date(2026, 11, 27))["as_of"] == date(2026, 11, 10)
    assert site_facts(site, date(2026, 11, 1))["as_of"] == date(2026, 11, 1)
    with pytest.raises(ContentInvalid, match="compliance.warn_only"):
        site_facts(replace(site, compliance={"warn_only": ("reviews",)}), date(2026, 11, 27))


def test_check_site_on_the_fixture_portal(group):
    site = load_group(group.root).get("city")
    items = [item("n1", day="2026-11-01", author="周敏", reviewer="陈立", source=site.organizer),
             item("t1", "notices", "通知公告", "2026-10-15", author="周敏", reviewer="周敏",
                  body="<p>联系人电话 13812345678，单位电话 0991-7654321</p>")]
    now = at("2026-11-27", 12)
    run = check_site(site, items, CONFIG, {**site_facts(site, now.date()), "warn_only": ()}, now, git=False)
    assert rules(run.findings) == [("mobile", "info"), ("same-person", "error")]
    assert run.masks["t1.md"]["body"][0].text == "13812345678" and run.errors and not run.veto
    assert run.monthly == {"2026-10": 1, "2026-11": 1} and [c.status for c in run.columns] == ["ok", "ok"]


def test_a_migrated_site_has_a_freshness_grace_then_the_normal_rules(group, tmp_path):
    group.set("city", "backdating_since", "2026-11-28\nmigrated = 2026-11-20")
    site = load_group(group.root).get("city")
    assert site.compliance["migrated"] == date(2026, 11, 20)
    old = [item("n1", day="2023-06-01", author="周敏", reviewer="陈立", source=site.organizer)]

    def run_on(day, config=CONFIG):
        now = at(day, 12)
        return check_site(site, old, config, {**site_facts(site, now.date()), "as_of": now.date(), "warn_only": ()},
                          now, git=False)

    within = run_on("2026-12-10")        # 20 days after the migration: within the default 30
    home = next(f for f in within.findings if f.rule == "home-stale")
    assert (home.severity, home.veto, within.errors) == ("warning", False, [])
    assert "迁移宽限期内按警告处理，本应单项否决，宽限期至 2026-12-20" in home.message
    assert within.migration == {"migrated": "2026-11-20", "grace_days": 30, "grace_until": "2026-12-20"}
    write_reports(within, tmp_path)
    assert "宽限 30 天：迁移宽限期至 2026-12-20" in (tmp_path / "compliance.html").read_text("utf-8")

    after = run_on("2026-12-21")
    home = next(f for f in after.findings if f.rule == "home-stale")
    assert (home.severity, home.veto, after.migration["grace_until"]) == ("error", True, None)
    shorter = load_config({"freshness": {"migration_grace_days": 7}})
    assert run_on("2026-12-10", shorter).veto, "the grace length is a setting"


def test_bad_migration_settings_name_the_key_and_the_field(group):
    with pytest.raises(ContentInvalid, match=r"GOVSITE_COMPLIANCE\['freshness'\]\['migration_grace_days'\]"):
        load_config({"freshness": {"migration_grace_days": "30 days"}})
    group.set("city", "backdating_since", "2026-11-28\nmigrated = \"last year\"")
    with pytest.raises(GroupInvalid, match=r"city/site.toml: compliance.migrated = 'last year': expected a date"):
        load_group(group.root)

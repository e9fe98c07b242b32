"""Redirects and server configuration through the build (govsite/redirects.py, server_config.py),
checked with the real nginx: `nginx -t`, then a 301 and a 503 served on loopback."""

import json

import pytest
from lxml import html

from govsite.archive.replay import free_port, free_ports
from server_fixtures import NGINX, Nginx, build, http_get  # noqa: F401 - NGINX: test_search imports it from here
from conftest import NOTICES


def test_migration_register_gives_redirect_pages_and_rules(group, tmp_path):
    group.write("city/redirects.csv", "old_url,new_path\n"
                "http://www.chenghu.gov.cn/art/2019/3/5/art_12_345.html,news/202611/20261101-first-news.html\n")
    assert build(group, tmp_path, "2026-11-27")["city"].ok
    site = tmp_path / "output" / "www.chenghu.gov.cn"
    stub = html.parse(str(site / "art/2019/3/5/art_12_345.html"))
    target = "https://www.chenghu.gov.cn/news/202611/20261101-first-news.html"
    assert stub.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
    assert stub.xpath("//link[@rel='canonical']/@href") == [target] and stub.xpath(f"//main//a[@href='{target}']")
    assert stub.xpath("//meta[@name='SiteIDCode']/@content") == ["9902000001"], "a compliant page"
    assert f"RewriteRule ^art/2019/3/5/art_12_345\\.html$ {target} [R=301,L,NE,QSD]" in (site / ".htaccess").read_text("utf-8")
    deploy = tmp_path / "output" / ".deploy" / "www.chenghu.gov.cn"
    assert f'"/art/2019/3/5/art_12_345.html" "{target}";' in (deploy / "nginx.conf").read_text("utf-8")
    assert f"http" in (deploy / "redirects.csv").read_text("utf-8") and target in (deploy / "redirects.csv").read_text("utf-8")
    assert not (site / ".govsite").exists(), "deployment files are moved out of the served folder"


def test_every_published_url_must_stay_covered(group, tmp_path):
    assert build(group, tmp_path, "2026-11-27")["city"].ok
    (group.root / "city/articles/20261020-second-news.md").unlink()
    failed = build(group, tmp_path, "2026-11-28")["city"]
    assert not failed.ok and "news/202610/20261020-second-news.html" in failed.error
    assert "every URL the site ever published" in failed.error
    group.write("city/redirects.csv", "old_url,new_path\n/news/202610/20261020-second-news.html,news/index.html\n")
    assert build(group, tmp_path, "2026-11-28")["city"].ok


def test_permanent_offline_redirects_every_url_after_the_notice_period(group, tmp_path):
    group.append("dept", NOTICES)
    group.append("dept", '[[lifecycle]]\nevent = "permanent_offline"\ndate = 2026-10-01\nreason = "集约化整合"\n'
                         'approval = "澄政办函〔2026〕9号"\ndestination = "city"')
    group.append("city", '[[columns]]\nslug = "jiaotong"\nname = "交通动态"\ntype = "要闻动态"\ndescription = "交通。"')
    during = build(group, tmp_path, "2026-10-15")
    assert during["dept"].ok, during["dept"].error
    home = html.parse(str(tmp_path / "output/jtj.chenghu.gov.cn/index.html"))
    assert home.xpath('//section[@class="site-notice"]//a/text()') == ["关于澄湖市交通运输局永久下线的公告"]
    conf = (tmp_path / "output/.deploy/jtj.chenghu.gov.cn/nginx.conf").read_text("utf-8")
    assert '"/news/index.html"' not in conf, "no redirects while the notice stands"
    after = build(group, tmp_path, "2026-11-27")
    assert after["dept"].ok, after["dept"].error
    conf = (tmp_path / "output/.deploy/jtj.chenghu.gov.cn/nginx.conf").read_text("utf-8")
    assert '"/news/202611/20261105-dept-news.html" "https://www.chenghu.gov.cn/";' in conf
    notice = html.parse(str(tmp_path / "output/www.chenghu.gov.cn/notices/index.html"))
    assert "关于澄湖市交通运输局永久下线的公告" in notice.getroot().text_content(), "announced on the portal too"
    archived = json.loads((tmp_path / "records/dept.json").read_text("utf-8"))["archived"]
    [snapshot] = archived.values()
    assert snapshot.endswith(".wacz") and list((tmp_path / "archives/jtj.chenghu.gov.cn").glob("*.wacz")) == [
        __import__("pathlib").Path(snapshot)], "archived once, on the first build after the offline took effect"
    from govsite.archive import verify_archive
    verify_archive(snapshot)


def test_domain_change_redirects_the_old_domain_after_its_announcement(group, tmp_path):
    group.append("dept", NOTICES)
    group.append("dept", '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-11-01\nnew_domain = "jt.chenghu.gov.cn"')
    assert build(group, tmp_path, "2026-10-30")["dept"].ok, "built on the old domain first"
    assert build(group, tmp_path, "2026-12-01")["dept"].ok, "the 30-day announcement is over"
    conf = (tmp_path / "output/.deploy/jt.chenghu.gov.cn/nginx.conf").read_text("utf-8")
    assert "server_name jtj.chenghu.gov.cn;" in conf and "    return 301 https://jt.chenghu.gov.cn$request_uri;" in conf
    apache = (tmp_path / "output/.deploy/jt.chenghu.gov.cn/apache.conf").read_text("utf-8")
    assert "    RewriteRule ^ https://jt.chenghu.gov.cn%1 [R=301,L,NE]" in apache
    stub = html.parse(str(tmp_path / "output/jtj.chenghu.gov.cn/news/202611/20261105-dept-news.html"))
    assert stub.xpath("//link[@rel='canonical']/@href") == ["https://jt.chenghu.gov.cn/news/202611/20261105-dept-news.html"]
    assert (tmp_path / "output/jtj.chenghu.gov.cn/theme/css/site.css").is_file(), "the old domain's pages keep their style"
    assert (tmp_path / "output/jt.chenghu.gov.cn/news/202611/20261105-dept-news.html").is_file()


def test_server_config_basics(group, tmp_path):
    assert build(group, tmp_path, "2026-11-27")["city"].ok
    deploy = tmp_path / "output/.deploy/www.chenghu.gov.cn"
    conf = (deploy / "nginx.conf").read_text("utf-8")
    for line in ("listen 443 ssl;", "listen [::]:443 ssl;", "listen [::]:80;", "Strict-Transport-Security",
                 "X-Content-Type-Options", "Referrer-Policy", "access_log /var/log/govsite/www.chenghu.gov.cn.access.log"):
        assert line in conf, line
    csp = next(l for l in conf.splitlines() if "Content-Security-Policy" in l)
    assert "unsafe-inline" not in csp and "script-src 'self';" in csp
    assert "location ~ /\\. { deny all; }" in conf, "dot-files (the build manifest, .htaccess) are not served"
    assert '<FilesMatch "^\\.">' in (deploy / "apache.conf").read_text("utf-8")
    rotate = (deploy / "logrotate.conf").read_text("utf-8")
    assert "rotate 180" in rotate and "daily" in rotate


@pytest.fixture
def nginx_runner(tmp_path):
    """Run nginx on loopback with a site's generated config: start(output, domain, port)."""
    runner = Nginx(tmp_path)
    (tmp_path / "logs").mkdir(exist_ok=True)
    yield lambda output, domain, port: runner.start([output / ".deploy" / domain / "nginx.conf"], [port])
    runner.stop()


def request(port, host, path):
    return http_get(port, host, path)


def test_nginx_accepts_the_config_and_serves_redirects(group, tmp_path, nginx_runner):
    port = free_port()
    server = {"tls": False, "http_port": port, "root": str(tmp_path / "output"), "log_dir": str(tmp_path / "logs")}
    group.write("city/redirects.csv", "old_url,new_path\n/old/page.html,news/index.html\n")
    assert build(group, tmp_path, "2026-11-27", server)["city"].ok
    nginx_runner(tmp_path / "output", "www.chenghu.gov.cn", port)
    status, headers, body = request(port, "www.chenghu.gov.cn", "/old/page.html")
    assert status == 301 and headers["Location"] == "https://www.chenghu.gov.cn/news/index.html"
    status, headers, body = request(port, "www.chenghu.gov.cn", "/index.html")
    assert status == 200 and "澄湖市人民政府" in body.decode("utf-8")
    assert "unsafe-inline" not in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = request(port, "www.chenghu.gov.cn", "/missing.html")
    assert status == 404 and "页面未找到" in body.decode("utf-8")


def test_nginx_serves_503_with_retry_after_during_a_temporary_offline(group, tmp_path, nginx_runner):
    port = free_port()
    server = {"tls": False, "http_port": port, "root": str(tmp_path / "output"), "log_dir": str(tmp_path / "logs")}
    group.append("dept", NOTICES)
    group.append("dept", '[[lifecycle]]\nevent = "temporary_offline"\nstart = 2026-11-20\nend = 2026-11-30\n'
                         'reason = "机房搬迁"\napproval = "澄政办函〔2026〕8号"')
    assert build(group, tmp_path, "2026-11-27", server)["dept"].ok
    nginx_runner(tmp_path / "output", "jtj.chenghu.gov.cn", port)
    status, headers, body = request(port, "jtj.chenghu.gov.cn", "/news/index.html")
    assert status == 503 and headers["Retry-After"] == "3600"
    assert "网站临时维护" in body.decode("utf-8") and "2026年11月20日至2026年11月30日" in body.decode("utf-8")
    status, _, _ = request(port, "jtj.chenghu.gov.cn", "/theme/css/site.css")
    assert status == 200, "the maintenance page's own assets still load"


DOMAIN_CHANGE = ('[[lifecycle]]\nevent = "domain_change"\ndate = 2026-11-01\nnew_domain = "jt.chenghu.gov.cn"\n'
                 'reason = "机构改革"')
OLD, NEW = "jtj.chenghu.gov.cn", "jt.chenghu.gov.cn"
NOTICE = f"https://{NEW}/notices/202610/domain-change-20261101.html"
DEEP = "/news/202611/20261105-dept-news.html"


def domain_change_group(group):
    group.append("dept", NOTICES)
    group.append("dept", DOMAIN_CHANGE)
    return group


def announcement_facts(doc):
    """What the old domain's announcement says: its facts and its links."""
    text = " ".join(doc.getroot().text_content().split())
    return text, set(doc.xpath("//main//a/@href"))


def test_old_domain_static_folder_announces_then_redirects(group, tmp_path):
    from govsite.checks.static_engine import run_static

    domain_change_group(group)
    assert build(group, tmp_path, "2026-10-30")["dept"].ok, "built on the old domain first"
    assert build(group, tmp_path, "2026-11-10")["dept"].ok
    old = tmp_path / "output" / OLD
    assert (tmp_path / "output" / NEW / "notices/202610/domain-change-20261101.html").is_file(), "the notice it links"
    for name in ("index.html", "404.html"):
        doc = html.parse(str(old / name))
        text, links = announcement_facts(doc)
        assert "2026年11月1日" in text and OLD in text and NEW in text and "机构改革" in text, name
        assert {f"https://{NEW}/", NOTICE} <= links, name
        assert not doc.xpath("//meta[@http-equiv]"), f"{name}: no timed refresh (WCAG 2.2.1)"
    assert "页面未找到" in html.parse(str(old / "404.html")).findtext(".//title")
    deep = html.parse(str(old / DEEP.lstrip("/")))
    assert deep.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url=https://{NEW}{DEEP}"]
    assert deep.xpath(f"//main//a[@href='https://{NEW}{DEEP}']"), "a deep link redirects, with a visible link"
    assert (old / "theme/css/site.css").is_file() and (old / "images/logo.png").is_file(), "styled, with its logo"
    findings = run_static(old, [old / "index.html", old / "404.html"])
    assert not [f for f in findings if f.kind == "violation"], [str(f) for f in findings]

    assert build(group, tmp_path, "2026-12-01")["dept"].ok, "the announcement period (30 days) is over"
    for name, target in (("index.html", f"https://{NEW}/index.html"), ("404.html", f"https://{NEW}/")):
        doc = html.parse(str(old / name))
        assert doc.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"], name


def test_announcement_period_is_configurable(group, tmp_path):
    domain_change_group(group)
    assert build(group, tmp_path, "2026-11-10", lifecycle={"domain_notice_days": 5})["dept"].ok
    old = html.parse(str(tmp_path / "output" / OLD / "index.html"))
    assert old.xpath("//meta[@http-equiv='refresh']"), "after 5 days the home page redirects"
    failed = build(group, tmp_path, "2026-11-10", lifecycle={"domain_notice_days": "30"})["dept"]
    assert not failed.ok and "GOVSITE_LIFECYCLE['domain_notice_days'] = '30'" in failed.error


@pytest.mark.parametrize("today,announcing", [("2026-11-10", True), ("2026-12-01", False)])
def test_nginx_old_domain_agrees_with_the_static_folder(group, tmp_path, today, announcing):
    from server_fixtures import https_get, log_with, make_certs, tls_settings

    http_port, https_port = free_ports(2)
    make_certs(tmp_path / "tls", [OLD, NEW, "www.chenghu.gov.cn"])
    domain_change_group(group)
    server = tls_settings(tmp_path, http_port, https_port)
    assert build(group, tmp_path, "2026-10-30", server)["dept"].ok
    assert build(group, tmp_path, today, server)["dept"].ok
    runner = Nginx(tmp_path)
    deploy = tmp_path / "output/.deploy" / NEW
    try:
        runner.start([deploy / "nginx.conf", deploy / "nginx-default.conf"], [http_port, https_port])
        new = f"https://{NEW}:{https_port}"
        home = https_get(https_port, OLD, OLD, "/", ca=tmp_path / "tls" / f"{OLD}.crt")
        deep = https_get(https_port, OLD, OLD, DEEP + "?from=mail")
        missing = https_get(https_port, OLD, OLD, "/no/such/page.html")
        assert deep[0] == 301 and deep[1]["Location"] == f"{new}{DEEP}?from=mail"
        for status, headers, _ in (home, deep, missing):
            assert headers["Strict-Transport-Security"] == "max-age=31536000"
        if announcing:
            static = tmp_path / "output" / OLD
            assert home[0] == 200 and home[2] == (static / "index.html").read_bytes()
            assert missing[0] == 404 and missing[2] == (static / "404.html").read_bytes()
            css = https_get(https_port, OLD, OLD, "/theme/css/site.css")
            assert css[0] == 200 and css[2] == (static / "theme/css/site.css").read_bytes(), "the page keeps its style"
        else:
            assert home[0] == 301 and home[1]["Location"] == f"{new}/"
            assert missing[0] == 301 and missing[1]["Location"] == f"{new}/no/such/page.html"
        line = f'"GET / HTTP/1.1" {home[0]}'
        assert line in log_with(tmp_path / "logs" / f"{OLD}.access.log", line)
    finally:
        runner.stop()


@pytest.mark.browser
def test_old_domain_announcement_has_no_axe_violations(group, tmp_path, chromium):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from govsite.checks.browser import describe_violations, run_axe

    domain_change_group(group)
    assert build(group, tmp_path, "2026-11-10")["dept"].ok
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "output" / OLD))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for page in ("/", "/404.html"):  # served at the old domain's root, as the static folder is deployed
            results = run_axe(chromium, f"http://127.0.0.1:{server.server_address[1]}{page}")
            assert results["testEngine"]["name"] == "axe-core"
            assert not results["violations"], describe_violations(results)
            assert "网站域名已变更" in chromium.title
    finally:
        server.shutdown()
        server.server_close()

"""The generated Apache configs (govsite/server_config.py, the .htaccess of redirects.py) run in the
real Apache on loopback over TLS, and answer as nginx does (tests/test_server_config.py and
tests/test_redirects.py prove the same behaviours with nginx): port 80 keeps its own name and serves
ACME challenges, unknown Hosts are refused by the default vhost, every vhost logs to the platform's
log, redirects.csv targets are literal, a temporary offline is a 503 with Retry-After, and the old
domain shows the announcement (byte-identical to the static folder) then redirects.

Apache cannot refuse a TLS handshake by name or close a connection without an answer: where nginx
closes (444) or rejects the handshake, the default vhost answers 421 (docs/trust.md)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from govsite.archive.replay import free_ports
from conftest import FIXTURES, GroupCopy, NOTICES
from server_fixtures import (APACHE, Apache, Nginx, build, http_get, https_get, log_with, make_certs,
                             served_folder, tls_settings)

pytestmark = pytest.mark.skipif(not Path(APACHE).exists(),
                                reason="apache2 is not installed (scripts/ensure-chromium installs it)")

CITY, OLD, NEW = "www.chenghu.gov.cn", "jtj.chenghu.gov.cn", "jt.chenghu.gov.cn"
DEPT = OLD  # the department's domain while it has not changed
NAMES = ["default", CITY, OLD, NEW]
DOMAIN_CHANGE = ('[[lifecycle]]\nevent = "domain_change"\ndate = 2026-11-01\nnew_domain = "jt.chenghu.gov.cn"\n'
                 'reason = "机构改革"')
OFFLINE = ('[[lifecycle]]\nevent = "temporary_offline"\nstart = 2026-11-20\nend = 2026-11-30\nreason = "机房搬迁"\n'
           'approval = "澄政办函〔2026〕8号"')
REDIRECTS = ("old_url,new_path\n/old1.html,news/index.html?from=%24arg_next\n"
             "/old2.html,https://jtj.chenghu.gov.cn/news/index.html\n/old$arg_x.html,news/index.html\n")
DEEP = "/news/202611/20261105-dept-news.html"
STALE = "stale.html"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                    "Strict-Transport-Security")


@dataclass
class Scenario:
    """One build of the fixture group, served by Apache on its own pair of loopback ports."""

    folder: Path
    domains: list[str]  # the sites' domains; the first one's apache-default.conf is included
    http: int
    https: int

    @property
    def output(self) -> Path:
        return self.folder / "output"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    def deploy(self, domain: str) -> Path:
        return self.output / ".deploy" / domain

    def get(self, host: str, path: str, sni: str | None = None) -> tuple[int, dict, bytes]:
        """GET over TLS with SNI ``sni`` (default ``host``) and ``Host: host``."""
        return https_get(self.https, sni or host, host, path)

    def log(self, name: str, line: str) -> str:
        """The access log of ``name`` once it holds ``line``."""
        return log_with(self.logs / f"{name}.access.log", line)

    def apache_confs(self) -> list[Path]:
        """The default vhosts first (Apache's first vhost of a port is its default), then the sites."""
        return [self.deploy(self.domains[0]) / "apache-default.conf",
                *(self.deploy(d) / "apache.conf" for d in self.domains)]


MOVED = (("dept", NOTICES), ("dept", DOMAIN_CHANGE))
#: name: (the sites' domains, the build days, the changes to the fixture group: a site id and the text
#: appended to its site.toml, or a file and its text)
SCENARIOS = {
    "live": ([CITY, DEPT], ["2026-11-27"], (("city/redirects.csv", REDIRECTS), ("dept", NOTICES), ("dept", OFFLINE))),
    "announcing": ([NEW, CITY], ["2026-10-30", "2026-11-10"], MOVED),
    "after": ([NEW, CITY], ["2026-10-30", "2026-12-01"], MOVED),
}


def make_scenario(base: Path, name: str, http: int, https: int) -> Scenario:
    """Copy the fixture group into ``base/name``, change it as SCENARIOS says, and build it on each
    of its days with TLS on the loopback ports ``http`` and ``https``."""
    domains, days, extra = SCENARIOS[name]
    folder = base / name
    group = GroupCopy(folder / "content")
    shutil.copytree(FIXTURES / "group", group.root)
    for target, text in extra:
        if "/" in target:
            group.write(target, text)
        else:
            group.append(target, text)
    scenario = Scenario(folder, domains, http, https)
    make_certs(folder / "tls", NAMES)
    for day in days:
        results = build(group, folder, day, tls_settings(folder, scenario.http, scenario.https))
        assert all(r.ok for r in results.values()), [r.error for r in results.values() if not r.ok]
    if NEW in domains:  # a file an earlier deployment left in the old domain's folder (the new site has none)
        (scenario.output / OLD / STALE).write_text("<p>stale</p>", "utf-8")
    return scenario


@pytest.fixture(scope="module")
def apache():
    """One Apache for the module, serving three builds: ``live`` (the city's redirects.csv and the
    department's temporary offline, 2026-11-27), the department's domain change ``announcing``
    (2026-11-10) and ``after`` its announcement period (2026-12-01)."""
    base = served_folder()
    server = Apache(base)
    try:
        ports = iter(free_ports(2 * len(SCENARIOS)))  # distinct: Apache refuses one port listened on twice
        scenarios = {name: make_scenario(base, name, next(ports), next(ports)) for name in SCENARIOS}
        token = scenarios["live"].folder / "acme/.well-known/acme-challenge/Xy9-token"
        token.parent.mkdir(parents=True)
        token.write_text("Xy9-token.thumbprint", "ascii")
        server.start([conf for s in scenarios.values() for conf in s.apache_confs()],
                     [port for s in scenarios.values() for port in (s.http, s.https)])
        yield scenarios
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_port_80_redirects_to_its_own_name_and_unknown_hosts_get_421(apache):
    live = apache["live"]
    status, headers, _ = http_get(live.http, CITY, "/news/index.html?page=2")
    assert status == 301 and headers["Location"] == f"https://{CITY}:{live.https}/news/index.html?page=2"
    status, headers, _ = http_get(live.http, "evil.example.com", "/news/index.html")
    assert status == 421 and "Location" not in headers, "no redirect to the request's Host"

    status, headers, body = https_get(live.https, CITY, CITY, "/index.html", ca=live.folder / "tls" / f"{CITY}.crt")
    assert status == 200 and "澄湖市人民政府" in body.decode("utf-8")
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Content-Type"] == "text/html; charset=utf-8", "as nginx's charset utf-8"
    status, headers, body = live.get("evil.example.com", "/index.html")
    assert status == 421 and "澄湖市人民政府" not in body.decode("utf-8", "replace"), "not the first site"
    status, _, _ = live.get("evil.example.com", "/index.html", sni=CITY)
    assert status == 421, "a known SNI name with an unknown Host is not served the first site"
    status, _, _ = live.get(DEPT, "/index.html", sni=CITY)
    assert status == 421, "SNI and Host name different sites: refused (nginx serves the Host's site)"

    for name, line in ((CITY, '"GET /news/index.html?page=2 HTTP/1.1" 301'), (CITY, '"GET /index.html HTTP/1.1" 200'),
                       ("unknown-host", '"GET /news/index.html HTTP/1.1" 421'),
                       ("unknown-host", '"GET /index.html HTTP/1.1" 421')):
        assert line in live.log(name, line), f"{name}: {line} (port 80 too is in the platform's log)"


def test_acme_challenges_are_served_on_port_80_before_the_redirect(apache):
    live = apache["live"]
    status, headers, body = http_get(live.http, CITY, "/.well-known/acme-challenge/Xy9-token")
    assert status == 200 and body == b"Xy9-token.thumbprint" and headers["Content-Type"] == "text/plain"
    status, _, _ = http_get(live.http, CITY, "/.well-known/acme-challenge/unknown")
    assert status == 404, "a missing token is a 404 (not a redirect to HTTPS)"
    status, _, body = http_get(live.http, "evil.example.com", "/.well-known/acme-challenge/Xy9-token")
    assert status == 421 and b"thumbprint" not in body


def vhosts(conf: str) -> list[tuple[int, str]]:
    """(port, ServerName) of every ``<VirtualHost>`` of an Apache config."""
    return [(int(port), name) for port, name in
            re.findall(r"<VirtualHost \*:(\d+)>\n    ServerName (\S+)", conf)]


@pytest.mark.parametrize("name", ["live", "announcing", "after"])
def test_every_vhost_logs_each_request_to_the_platform_log(apache, name):
    scenario = apache[name]
    confs = [conf.read_text("utf-8") for conf in scenario.apache_confs()]
    hosts = [vhost for conf in confs for vhost in vhosts(conf)]
    assert len(hosts) == sum(conf.count("<VirtualHost") for conf in confs)
    # the default (80, 443), each site's 80 and 443, and its old domain's 80 and 443
    assert len(hosts) == (2 + 2 + 2 if name == "live" else 2 + 4 + 2), hosts
    for number, (port, server_name) in enumerate(hosts):
        host = "evil.example.com" if server_name == "unknown-host.invalid" else server_name
        probe = f"/log-probe-{number}.html"
        if port == scenario.http:
            http_get(port, host, probe)
        else:
            scenario.get(host, probe)
        log = "unknown-host" if server_name == "unknown-host.invalid" else server_name
        line = f'"GET {probe} HTTP/1.1"'
        assert line in scenario.log(log, line), (port, server_name)


def test_redirect_targets_are_written_literally(apache):
    live = apache["live"]
    status, headers, _ = live.get(CITY, "/old1.html?arg_next=evil.example.com")
    assert status == 301 and headers["Location"] == f"https://{CITY}/news/index.html?from=%24arg_next"
    status, headers, _ = live.get(CITY, "/old2.html?next=evil.example.com")
    assert status == 301 and headers["Location"] == "https://jtj.chenghu.gov.cn/news/index.html", \
        "the query string is dropped, as nginx's return 301 does"
    status, headers, _ = live.get(CITY, "/old$arg_x.html?x=evil")
    assert status == 301 and headers["Location"] == f"https://{CITY}/news/index.html", "an old path's $ is literal"
    status, _, body = live.get(CITY, "/missing.html")
    assert status == 404 and body == (live.output / CITY / "404.html").read_bytes()


def test_temporary_offline_is_a_503_with_retry_after(apache):
    live = apache["live"]
    status, headers, body = live.get(DEPT, "/news/index.html")
    assert status == 503 and headers["Retry-After"] == "3600"
    assert body == (live.output / DEPT / "maintenance.html").read_bytes()
    text = body.decode("utf-8")
    assert "网站临时维护" in text and "2026年11月20日至2026年11月30日" in text
    for header in SECURITY_HEADERS:
        assert header in headers, header
    status, _, body = live.get(DEPT, "/theme/css/site.css")
    assert status == 200 and body == (live.output / DEPT / "theme/css/site.css").read_bytes(), "its own assets load"


@pytest.mark.parametrize("name", ["announcing", "after"])
def test_old_domain_agrees_with_the_static_folder(apache, name):
    scenario = apache[name]
    new, static = f"https://{NEW}:{scenario.https}", scenario.output / OLD
    home, deep, missing = (scenario.get(OLD, path) for path in ("/", DEEP + "?from=mail", "/no/such/page.html"))
    assert deep[0] == 301 and deep[1]["Location"] == f"{new}{DEEP}?from=mail"
    for _, headers, _ in (home, deep, missing):
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
    if name == "announcing":
        assert home[0] == 200 and home[2] == (static / "index.html").read_bytes()
        assert missing[0] == 404 and missing[2] == (static / "404.html").read_bytes()
        css = scenario.get(OLD, "/theme/css/site.css")
        assert css[0] == 200 and css[2] == (static / "theme/css/site.css").read_bytes(), "the page keeps its style"
        direct = scenario.get(OLD, "/404.html")
        assert direct[0] == 404 and direct[2] == missing[2], "404.html is no page of its own (nginx: internal)"
        assert scenario.get(OLD, "/theme/")[0] == 403, "no directory listing (Debian turns Indexes on)"
        stale = scenario.get(OLD, f"/{STALE}")
        assert stale[0] == 404 and stale[2] == missing[2], "only the announcement is served, as nginx does"
    else:
        assert home[0] == 301 and home[1]["Location"] == f"{new}/"
        assert missing[0] == 301 and missing[1]["Location"] == f"{new}/no/such/page.html"
    line = f'"GET / HTTP/1.1" {home[0]}'
    assert line in scenario.log(OLD, line)


MOVED_PATHS = {OLD: ["/", "/index.html", "/404.html", DEEP, DEEP + "?from=mail", "/no/such/page.html", "/no/such/",
                     "/theme/css/site.css", "/theme/", "/images/logo.png", "/news", "/news/", "/.htaccess",
                     "/sitemap.xml", "/index.html?x=1", f"/{STALE}", "/no/%E6%96%B0.html", "/news/../index.html"],
               NEW: ["/", "/index.html", "/404.html", "/news", "/news/", DEEP, "/missing.html", "/theme/", "/.htaccess",
                     "/search-index/govsite-search.json", "/icons/apache_pb.png"]}
#: The paths asked of each host, per scenario, and the answers the table must hold (so that it covers them).
PATHS = {
    "live": ({CITY: ["/", "/index.html", "/404.html", "/missing.html", "/news", "/theme/", "/.htaccess",
                     "/search-index/govsite-search.json", "/old1.html?arg_next=evil.example.com",
                     "/old2.html?next=evil.example.com", "/old$arg_x.html?x=evil"],
              DEPT: ["/", "/news/index.html", "/maintenance.html", "/theme/css/site.css", "/images/logo.png",
                     "/missing.html", "/.htaccess"]}, {200, 301, 403, 404, 503}),
    "announcing": (MOVED_PATHS, {200, 301, 403, 404}),
    "after": (MOVED_PATHS, {200, 301}),
}
#: Port 80: the redirect to HTTPS on the block's own name, and ACME.
HTTP_PATHS = ["/news/index.html?page=2", "/.well-known/acme-challenge/missing", "/no/%E6%96%B0.html?q=%41",
              "/a/../news/"]


def media_type(headers: dict) -> str | None:
    """Content-Type as compared: pages in full (charset included); other files by media type, with
    JavaScript as one type (Debian's mime.types says text/javascript, nginx's application/javascript)."""
    value = headers.get("Content-Type")
    if value is None or value.startswith("text/html"):
        return value
    essence = value.split(";")[0]
    return "text/javascript" if essence == "application/javascript" else essence


def answers(scenario: Scenario, paths: dict[str, list[str]]) -> dict[tuple[str, str], tuple]:
    """What the server answers for each of ``paths``: status, Location, Content-Type, the security
    headers and CORS, and the body when it is the site's (200, its 404 and maintenance pages)."""
    table = {}
    for host, asked in paths.items():
        for path in asked:
            status, headers, body = scenario.get(host, path)
            kept = tuple(headers.get(h) for h in ("Location", "Access-Control-Allow-Origin", *SECURITY_HEADERS))
            content = body if status in (200, 404, 503) else None
            table[host, path] = (status, kept, media_type(headers) if content else None, content)
        for path in HTTP_PATHS:
            status, headers, _ = http_get(scenario.http, host, path)
            table[host, "http:" + path] = (status, headers.get("Location"))
    return table


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_apache_and_nginx_answer_alike(tmp_path, name):
    """The same build served by Apache, then by nginx on the same ports: the same answers for every
    site and old domain (the generated configs differ; what a visitor gets does not). Unknown Hosts
    are left out: nginx closes the connection or rejects the handshake, Apache answers 421."""
    paths, covered = PATHS[name]
    base = served_folder()
    try:
        scenario = make_scenario(base, name, *free_ports(2))
        ports = [scenario.http, scenario.https]
        server = Apache(base)
        try:
            server.start(scenario.apache_confs(), ports)
            by_apache = answers(scenario, paths)
        finally:
            server.stop()
        nginx = Nginx(tmp_path)
        try:
            nginx.start([scenario.deploy(scenario.domains[0]) / "nginx-default.conf",
                         *(scenario.deploy(d) / "nginx.conf" for d in scenario.domains)], ports)
            by_nginx = answers(scenario, paths)
        finally:
            nginx.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    differ = [f"{key}: Apache {by_apache[key][:3]} nginx {by_nginx[key][:3]}" for key in by_apache
              if by_apache[key] != by_nginx[key]]
    assert not differ, "\n".join(differ)
    assert {answer[0] for answer in by_apache.values()} >= covered, "the table holds every kind of answer"

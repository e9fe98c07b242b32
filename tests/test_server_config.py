"""Generated server configs (govsite/server_config.py) run in the real nginx on loopback with TLS:
port 80 keeps its own name, unknown Hosts are refused by the default server, every block logs to
the platform's log, ACME HTTP-01 works, redirect targets are validated and never expanded; the
Apache configs pass `apache2 -t` (tests/test_apache.py runs them)."""

import http.client
import re
import ssl
from pathlib import Path

import pytest

from govsite.archive.replay import free_ports
from govsite.redirects import apache_pattern, apache_target, check_target
from govsite.server_config import ServerSettings
from server_fixtures import (APACHE, Apache, Nginx, build, http_get, https_get, log_with, make_certs, server_blocks,
                             tls_settings)

CITY = "www.chenghu.gov.cn"
HOSTS = frozenset({CITY, "jtj.chenghu.gov.cn"})


@pytest.fixture
def nginx(tmp_path):
    """An nginx on loopback for one test (its process stopped afterwards)."""
    runner = Nginx(tmp_path)
    yield runner
    runner.stop()


@pytest.fixture
def ports():
    return tuple(free_ports(2))


def deploy(tmp_path, domain):
    return tmp_path / "output" / ".deploy" / domain


def test_unknown_hosts_are_refused_and_port_80_redirects_to_its_own_name(group, tmp_path, nginx, ports):
    http_port, https_port = ports
    certs = make_certs(tmp_path / "tls", [CITY, "jtj.chenghu.gov.cn"])
    assert build(group, tmp_path, "2026-11-27", tls_settings(tmp_path, http_port, https_port))["city"].ok
    site = deploy(tmp_path, CITY)
    nginx.start([site / "nginx.conf", deploy(tmp_path, "jtj.chenghu.gov.cn") / "nginx.conf",
                 site / "nginx-default.conf"], [http_port, https_port])

    status, headers, _ = http_get(http_port, CITY, "/news/index.html?page=2")
    assert status == 301 and headers["Location"] == f"https://{CITY}:{https_port}/news/index.html?page=2"
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        http_get(http_port, "evil.example.com", "/news/index.html")  # 444: closed, no redirect to evil

    status, headers, body = https_get(https_port, CITY, CITY, "/index.html", ca=certs / f"{CITY}.crt")
    assert status == 200 and "澄湖市人民政府" in body.decode("utf-8") and "Strict-Transport-Security" in headers
    with pytest.raises(ssl.SSLError):
        https_get(https_port, "evil.example.com", "evil.example.com", "/")  # handshake rejected
    status, _, _ = https_get(https_port, CITY, "evil.example.com", "/index.html")
    assert status == 421, "a known SNI name with an unknown Host is not served the first site"

    logs = tmp_path / "logs"
    for name, line in ((CITY, '"GET /news/index.html?page=2 HTTP/1.1" 301'), (CITY, '"GET /index.html HTTP/1.1" 200'),
                       ("unknown-host", '"GET /news/index.html HTTP/1.1" 444'),
                       ("unknown-host", '"GET /index.html HTTP/1.1" 421')):
        assert line in log_with(logs / f"{name}.access.log", line), f"{name}: {line} (port 80 too is in the log)"


def test_acme_challenges_are_served_on_port_80_before_the_redirect(group, tmp_path, nginx, ports):
    http_port, https_port = ports
    make_certs(tmp_path / "tls", [CITY, "jtj.chenghu.gov.cn"])
    assert build(group, tmp_path, "2026-11-27", tls_settings(tmp_path, http_port, https_port))["city"].ok
    token = tmp_path / "acme" / ".well-known" / "acme-challenge" / "Xy9-token"
    token.parent.mkdir(parents=True)
    token.write_text("Xy9-token.thumbprint", "ascii")
    nginx.start([deploy(tmp_path, CITY) / "nginx.conf", deploy(tmp_path, CITY) / "nginx-default.conf"],
                [http_port, https_port])
    status, headers, body = http_get(http_port, CITY, "/.well-known/acme-challenge/Xy9-token")
    assert status == 200 and body == b"Xy9-token.thumbprint" and headers["Content-Type"] == "text/plain"
    status, _, _ = http_get(http_port, CITY, "/.well-known/acme-challenge/unknown")
    assert status == 404, "a missing token is a 404 (not a redirect to HTTPS)"
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        http_get(http_port, "evil.example.com", "/.well-known/acme-challenge/Xy9-token")


def test_every_server_block_logs_to_the_platform_log(group, tmp_path):
    group.append("dept", '[[columns]]\nslug = "notices"\nname = "通知公告"\ntype = "通知公告"\ndescription = "通知。"')
    group.append("dept", '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-11-01\nnew_domain = "jt.chenghu.gov.cn"')
    for today in ("2026-11-10", "2026-12-05"):  # the old domain announcing, then redirecting
        assert build(group, tmp_path, today)["dept"].ok
        folder = deploy(tmp_path, "jt.chenghu.gov.cn")
        blocks = [b for name in ("nginx.conf", "nginx-default.conf") for b in server_blocks(
            (folder / name).read_text("utf-8"))]
        assert len(blocks) == 2 + 2 + 2, "80 and 443 for the new and the old domain, and the default server"
        for block in blocks:
            name = re.search(r"server_name (\S+);", block).group(1)
            log = "unknown-host" if name == "_" else name
            assert f"access_log /var/log/govsite/{log}.access.log;" in block, block
        old = next(b for b in blocks if "server_name jtj.chenghu.gov.cn;" in b and "ssl;" in b)
        assert "Strict-Transport-Security" in old, "HSTS on the old domain too"
        assert "$host" not in (folder / "nginx.conf").read_text("utf-8")
        apache = (folder / "apache.conf").read_text("utf-8") + (folder / "apache-default.conf").read_text("utf-8")
        hosts = apache.count("<VirtualHost")
        assert hosts == 6 and apache.count("CustomLog /var/log/govsite/") == hosts
    assert "/var/log/govsite/*.log {" in (folder / "logrotate.conf").read_text("utf-8"), "the 180-day rotation covers them"


HOSTILE_TARGETS = [
    ("https://$arg_next", "percent-encode"), ("https://$http_x_forwarded_host/", "percent-encode"),
    ("news/${uri}.html", "percent-encode"), ('news/a".html', "percent-encode"), ("news/a b.html", "percent-encode"),
    ("news/a\\b.html", "percent-encode"), ("news/a\nb.html", "percent-encode"), ("news/%zz.html", "%XX"),
    ("https://evil.example.com/", "a host of the site group"), ("http://www.chenghu.gov.cn/", "an https:// URL"),
    ("https://www.chenghu.gov.cn@evil.example.com/", "no user"), ("//evil.example.com/x", "relative to the site root"),
    ("javascript:alert(1)", "relative to the site root"), ("data:text/html,x", "relative to the site root"),
]


@pytest.mark.parametrize("target,expected", HOSTILE_TARGETS)
def test_hostile_redirect_targets_are_refused(target, expected):
    assert expected in check_target(target, HOSTS)


@pytest.mark.parametrize("target", ["news/index.html", "news/index.html?from=%24arg_next", "news/%E6%96%B0.html",
                                    "https://jtj.chenghu.gov.cn/news/", "https://www.chenghu.gov.cn/a/b.html#top"])
def test_safe_redirect_targets_are_accepted(target):
    assert check_target(target, HOSTS) is None


def test_apache_patterns_and_targets_are_literal():
    assert apache_pattern("art/a b(1)+[x].html") == "^art/a\\x20b\\x281\\x29\\x2b\\x5bx\\x5d\\.html$"
    assert re.fullmatch(apache_pattern("art/a b(1)+[x].html"), "art/a b(1)+[x].html")
    assert not re.fullmatch(apache_pattern("art/a.html"), "art/aXhtml")
    assert apache_target("https://www.chenghu.gov.cn/%E6%96%B0.html") == "https://www.chenghu.gov.cn/\\%E6\\%96\\%B0.html"


def test_bad_register_rows_fail_the_build_naming_file_row_and_field(group, tmp_path):
    register = group.write("city/redirects.csv", "old_url,new_path\n/old1.html,news/index.html\n"
                           "/old2.html,https://$arg_next\n/old3.html,https://evil.example.com/x\n"
                           "/old4.html,https://www.example.gov.cn/x\n")
    failed = build(group, tmp_path, "2026-11-27")["city"]
    assert not failed.ok
    assert f"{register}: row 3: new_path = 'https://$arg_next': expected a URL without" in failed.error
    assert f"{register}: row 4: new_path = 'https://evil.example.com/x': expected a host of the site group" \
        in failed.error
    assert "row 5" in failed.error and "row 2" not in failed.error
    allowed = build(group, tmp_path, "2026-11-27", {"redirect_hosts": ["www.example.gov.cn"]})
    assert not allowed["city"].ok and "row 5" not in allowed["city"].error, "the allow-list admits its hosts"


def test_redirect_hosts_setting_is_checked():
    with pytest.raises(ValueError, match=r"GOVSITE_SERVER\['redirect_hosts'\]"):
        ServerSettings.of({"redirect_hosts": "www.example.gov.cn"})
    with pytest.raises(ValueError, match=r"GOVSITE_SERVER\['acme_webroot'\]"):
        ServerSettings.of({"acme_webroot": "/var/acme; return 200"})


def test_nginx_writes_targets_literally(group, tmp_path, nginx, ports):
    http_port, https_port = ports
    make_certs(tmp_path / "tls", [CITY, "jtj.chenghu.gov.cn"])
    group.write("city/redirects.csv", "old_url,new_path\n/old1.html,news/index.html?from=%24arg_next\n"
                "/old2.html,https://jtj.chenghu.gov.cn/news/index.html\n/old$arg_x.html,news/index.html\n")
    assert build(group, tmp_path, "2026-11-27", tls_settings(tmp_path, http_port, https_port))["city"].ok
    nginx.start([deploy(tmp_path, CITY) / "nginx.conf", deploy(tmp_path, CITY) / "nginx-default.conf"],
                [http_port, https_port])
    status, headers, _ = https_get(https_port, CITY, CITY, "/old1.html?arg_next=evil.example.com")
    assert status == 301 and headers["Location"] == f"https://{CITY}/news/index.html?from=%24arg_next"
    status, headers, _ = https_get(https_port, CITY, CITY, "/old2.html?next=evil.example.com")
    assert status == 301 and headers["Location"] == "https://jtj.chenghu.gov.cn/news/index.html"
    status, headers, _ = https_get(https_port, CITY, CITY, "/old$arg_x.html?x=evil")
    assert status == 301 and headers["Location"] == f"https://{CITY}/news/index.html", "an old path's $ is literal"


@pytest.mark.skipif(not Path(APACHE).exists(), reason="apache2 is not installed (apt-get install apache2)")
def test_apache_accepts_the_configs(group, tmp_path, ports):
    http_port, https_port = ports
    make_certs(tmp_path / "tls", ["default", "jt.chenghu.gov.cn", "jtj.chenghu.gov.cn"])
    group.append("dept", '[[columns]]\nslug = "notices"\nname = "通知公告"\ntype = "通知公告"\ndescription = "通知。"')
    group.append("dept", '[[lifecycle]]\nevent = "domain_change"\ndate = 2026-11-01\nnew_domain = "jt.chenghu.gov.cn"')
    group.write("dept/redirects.csv", "old_url,new_path\n/art/a b(1).html,news/index.html?from=%24x\n")
    for today in ("2026-11-10", "2026-12-05"):
        result = build(group, tmp_path, today, tls_settings(tmp_path, http_port, https_port))["dept"]
        assert result.ok, result.error
        folder = deploy(tmp_path, "jt.chenghu.gov.cn")
        htaccess = (tmp_path / "output" / "jt.chenghu.gov.cn" / ".htaccess").read_text("utf-8")
        assert "RewriteRule ^art/a\\x20b\\x281\\x29\\.html$ " \
               "https://jt.chenghu.gov.cn/news/index.html?from=\\%24x [R=301,L,NE,QSD]" in htaccess
        # `apache2 -t` does not read .htaccess files: the same rules, in the folder's <Directory>
        rules = tmp_path / "htaccess.conf"
        rules.write_text(f"<Directory {tmp_path / 'output' / 'jt.chenghu.gov.cn'}>\n{htaccess}</Directory>\n")
        checked = Apache(tmp_path).test([folder / "apache-default.conf", folder / "apache.conf", rules],
                                        [http_port, https_port])
        assert checked.returncode == 0 and "Syntax OK" in checked.stderr, checked.stderr


def test_ports_handed_out_together_are_distinct():
    """Two servers started on the same port fail (Apache: "Cannot define multiple Listeners"):
    ports for one test are taken together, bound at once."""
    assert len(set(free_ports(64))) == 64

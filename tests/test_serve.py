"""The loopback preview server (govsite/serve.py): by path and by Host header."""

import threading
import urllib.error
import urllib.request

import pytest

from govsite.serve import make_server


@pytest.fixture(scope="module")
def server(built_fixture):
    srv = make_server(built_fixture, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def get(url, host=None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers.get("Content-Type"), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read().decode("utf-8")


def test_binds_loopback_only(built_fixture):
    srv = make_server(built_fixture, port=0)
    assert srv.server_address[0] == "127.0.0.1"
    srv.server_close()


def test_listing_and_site_by_path(server):
    status, _, body = get(server + "/")
    assert status == 200 and "www.chenghu.gov.cn" in body and "jtj.chenghu.gov.cn" in body
    status, ctype, body = get(server + "/www.chenghu.gov.cn/")
    assert status == 200 and ctype == "text/html; charset=utf-8" and "澄湖市人民政府" in body
    status, ctype, _ = get(server + "/www.chenghu.gov.cn/theme/css/site.css")
    assert status == 200 and ctype.startswith("text/css")
    status, ctype, _ = get(server + "/www.chenghu.gov.cn/images/logo.svg")
    assert ctype.startswith("image/svg+xml")


def test_site_by_host_header(server):
    status, _, body = get(server + "/news/index.html", host="jtj.chenghu.gov.cn")
    assert status == 200 and "交通动态" in body


def test_not_found_uses_the_site_404_page(server):
    status, _, body = get(server + "/missing.html", host="www.chenghu.gov.cn")
    assert status == 404 and "页面未找到" in body
    status, _, _ = get(server + "/www.chenghu.gov.cn/../../../etc/passwd")
    assert status == 404


def test_path_without_slash_redirects(server):
    request = urllib.request.Request(server + "/www.chenghu.gov.cn")
    with urllib.request.urlopen(request) as response:  # follows the redirect
        assert response.url.endswith("/www.chenghu.gov.cn/")


def test_root_relative_links_resolve_through_the_referer(server):
    request = urllib.request.Request(server + "/theme/css/site.css",
                                     headers={"Referer": server + "/www.chenghu.gov.cn/no/such/page.html"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("host", ["/etc", "..", ".", "/", "../etc", "www.chenghu.gov.cn/../..", "\\etc"])
def test_hostile_host_headers_never_leave_the_output(server, host):
    status, _, body = get(server + "/passwd", host=host)
    assert status == 404 and "root:" not in body
    status, _, body = get(server + "/", host=host)
    assert "root:" not in body


def test_links_out_of_a_site_are_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", "utf-8")
    site = tmp_path / "output" / "www.example.gov.cn"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>x</title>", "utf-8")
    (site / "leak.txt").symlink_to(outside)
    (tmp_path / "output" / "evil.gov.cn").symlink_to(tmp_path)
    srv = make_server(tmp_path / "output", port=0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        assert get(base + "/www.example.gov.cn/leak.txt")[0] == 404
        assert get(base + "/evil.gov.cn/secret.txt")[0] == 404
        assert get(base + "/secret.txt", host="evil.gov.cn")[0] == 404
        assert get(base + "/www.example.gov.cn/index.html")[0] == 200
    finally:
        srv.shutdown()
        srv.server_close()

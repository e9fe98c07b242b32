"""archive.replay: a snapshot added to a pywb collection replays on loopback: pages and images with their
recorded bytes and Content-Type, redirects, and pywb's banner frame around (never inside) the page."""

import urllib.error
import urllib.request

import pytest

from govsite.archive.replay import ReplayServer, make_collection, replay_url
from archive_fixtures import CITY, snapshot_of_city  # noqa: F401 (fixture)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def wayback(snapshot_of_city, tmp_path_factory):
    root = make_collection(tmp_path_factory.mktemp("pywb"), [snapshot_of_city.path])
    with ReplayServer(root) as server:
        yield server, snapshot_of_city.timestamp


def test_pages_and_images_replay_with_their_recorded_bytes_and_type(wayback, built_fixture):
    server, ts = wayback
    for rel, expected_type in (("index.html", "text/html; charset=utf-8"),
                               ("news/202611/20261101-first-news.html", "text/html; charset=utf-8"),
                               ("images/chart.png", "image/png"), ("images/logo.svg", "image/svg+xml")):
        status, headers, body = _get(replay_url(server.url, f"https://{CITY}/{rel}", ts, raw=True))
        assert status == 200, rel
        assert headers["Content-Type"] == expected_type
        assert body == (built_fixture / CITY / rel).read_bytes()


def test_folder_urls_replay_as_301(wayback):
    server, ts = wayback
    status, headers, _ = _get(replay_url(server.url, f"https://{CITY}/news/", ts, raw=True))
    assert status == 301 and headers["Location"].endswith(f"https://{CITY}/news/index.html")


def test_the_reader_sees_pywb_banner_frame_around_the_untouched_page(wayback, built_fixture):
    server, ts = wayback
    status, _, frame = _get(replay_url(server.url, f"https://{CITY}/index.html", ts))
    text = frame.decode()
    assert status == 200 and 'id="replay_iframe"' in text and "VueUI.main" in text  # the banner with the date
    assert f'timestamp: "{ts}"' in text
    assert "澄湖市人民政府" not in text  # the page is not in the frame document: it loads inside the iframe
    _, _, rewritten = _get(f"{server.url}/archives/{ts}mp_/https://{CITY}/index.html")
    assert b"wombat" in rewritten  # replay's own script is added when served, not stored
    original = (built_fixture / CITY / "index.html").read_bytes()
    assert b"wombat" not in original and "澄湖市人民政府".encode() in rewritten


def test_an_unarchived_url_is_not_found(wayback):
    server, ts = wayback
    status, _, _ = _get(replay_url(server.url, f"https://{CITY}/never-existed.html", ts, raw=True))
    assert status == 404

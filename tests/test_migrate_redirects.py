"""The redirect register: header, merge without dropping rows, conflicts kept and reported."""

from govsite.migrate import redirects


def test_merge_keeps_every_existing_row(tmp_path):
    path = tmp_path / "redirects.csv"
    path.write_text("old_url,new_path\n/a.html,x/a.html\n/b.html,by-hand.html\n/c.html,old-import.html\n", "utf-8")
    existing = redirects.read(path)
    rows, conflicts, added = redirects.merge(existing, {"/b.html": "import.html", "/c.html": "moved.html",
                                                        "/d.html": "d.html"}, {"/c.html": "old-import.html"})
    assert rows == {"/a.html": "x/a.html", "/b.html": "by-hand.html", "/c.html": "moved.html", "/d.html": "d.html"}
    assert conflicts == [{"old_url": "/b.html", "kept": "by-hand.html", "importer": "import.html"}] and added == 1
    text = redirects.render(rows).decode("utf-8")
    assert text.splitlines()[0] == "old_url,new_path" and '/a.html,x/a.html' in text


def test_urls_with_commas_are_quoted(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(redirects.render({"http://x.gov.cn/a.jsp?id=1,2": "a.html"}))
    assert redirects.read(path) == {"http://x.gov.cn/a.jsp?id=1,2": "a.html"}


def test_hostile_urls_read_back_as_written(tmp_path):
    rows = {'http://x.gov.cn/a.jsp?q="x",y': "a.html", "http://x.gov.cn/b\nold_url,new_path\n/c.html": "b.html",
            "/d.html?next=$arg_next&x=1;2": "d.html", "/e.html\r": "e.html"}
    path = tmp_path / "r.csv"
    path.write_bytes(redirects.render(rows))
    assert redirects.read(path) == {k.strip(): v for k, v in rows.items()}
    assert path.read_text("utf-8").startswith("old_url,new_path\n")

"""archive.manifest: every build writes a manifest (SHA-256 + SM3); verify-deploy lists added, removed and
changed files; signatures (valid, tampered, wrong key, missing); manifest paths cannot escape the folder."""

import json
import os
import shutil
from pathlib import Path

import pytest

from govsite.archive.errors import DeployMismatch, KeyProblem, ManifestInvalid, SignatureInvalid
from govsite.archive.hashing import sm3_hex
from govsite.archive.manifest import (kept_entries, linked_entries, load_manifest, make_manifest, manifest_bytes, verify_deploy, write_build_manifest,
                              write_manifest)
from govsite.archive.signing import generate_key, load_signer
from archive_fixtures import CITY, site_copy  # noqa: F401 (fixture)
from govsite.build import build_group


def _keys(tmp_path, algorithm, name="key"):
    private, public = generate_key(algorithm)
    (tmp_path / f"{name}.pem").write_bytes(private)
    (tmp_path / f"{name}.pub.pem").write_bytes(public)
    return tmp_path / f"{name}.pem", tmp_path / f"{name}.pub.pem"


def test_every_built_site_carries_a_manifest_of_every_file(built_fixture):
    for domain in (CITY, "jtj.chenghu.gov.cn"):
        site = built_fixture / domain
        manifest = load_manifest(site / ".govsite-manifest.json")
        assert manifest.site["domain"] == domain and manifest.site["site_code"]
        on_disk = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                         if p.is_file() and p.name != ".govsite-manifest.json")
        assert sorted(manifest.files) == on_disk and ".htaccess" in manifest.files
        entry = manifest.files["index.html"]
        data = (site / "index.html").read_bytes()
        assert entry["bytes"] == len(data) and entry["sm3"] == sm3_hex(data)
        assert len(manifest.document["commit"]) == 40
        assert verify_deploy(site).ok
    assert not (built_fixture / ".deploy" / CITY / ".govsite-manifest.json").exists()


def test_the_manifest_is_deterministic_and_readable_json(site_copy):
    first = load_manifest(site_copy / ".govsite-manifest.json")
    again = make_manifest(site_copy, first.site, first.built, first.document["commit"], first.document["dirty"])
    assert manifest_bytes(again) == first.data
    assert json.loads(first.data)["totals"]["files"] == len(first.files)


def test_verify_deploy_lists_added_removed_and_changed_files(site_copy, built_fixture):
    (site_copy / "about.html").write_text("<p>篡改</p>", "utf-8")
    data = bytearray((site_copy / "index.html").read_bytes())
    data[100] ^= 1  # same size, different content
    (site_copy / "index.html").write_bytes(bytes(data))
    (site_copy / "contact.html").unlink()
    (site_copy / "shell.php").write_text("<?php ?>")
    (site_copy / ".htaccess").write_text("RewriteRule ^ http://evil.example/ [R=302]\n")
    os.symlink("/etc/passwd", site_copy / "robots.txt.tmp")
    with pytest.raises(DeployMismatch) as caught:
        verify_deploy(site_copy, built_fixture / CITY / ".govsite-manifest.json")
    report = caught.value.report
    assert report.added == ["robots.txt.tmp", "shell.php"]
    assert report.removed == ["contact.html"]
    assert sorted(p.split(":")[0] for p in report.changed) == [".htaccess", "about.html", "index.html"]
    assert "index.html: same size, different content (SHA-256 and SM3 differ)" in report.changed
    assert caught.value.exit_code == 1 and "added: shell.php" in str(caught.value)


def test_a_link_leaving_the_deployed_folder_is_a_change(site_copy):
    (site_copy / "robots.txt").unlink()
    os.symlink("/etc/hostname", site_copy / "robots.txt")
    with pytest.raises(DeployMismatch) as caught:
        verify_deploy(site_copy)
    assert caught.value.report.changed == ["robots.txt: a symbolic link to /etc/hostname, outside the folder"]


@pytest.mark.parametrize("path, why", [
    ("../../etc/passwd", "escapes"), ("/etc/passwd", "absolute"), ("a/../../b", "escapes"),
    ("C:/Windows/x", "absolute"), ("a\\..\\b", "backslash"), ("", "non-empty"), ("a//b", "empty"),
])
def test_manifest_paths_that_escape_are_rejected(tmp_path, path, why):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("x")
    document = json.loads(load_manifest_text(tmp_path / "site"))
    document["files"].append({"path": path, "bytes": 1, "sha256": "0" * 64, "sm3": "0" * 64})
    (tmp_path / "m.json").write_text(json.dumps(document))
    with pytest.raises(ManifestInvalid, match=why) as caught:
        verify_deploy(tmp_path / "site", tmp_path / "m.json")
    assert "m.json" in str(caught.value) and "files[1].path" in str(caught.value)


def load_manifest_text(folder):
    write_manifest(folder, make_manifest(folder, {"domain": CITY}))
    return (folder / ".govsite-manifest.json").read_text("utf-8")


@pytest.mark.parametrize("text, message", [
    ("not json", "not a JSON manifest"), ('{"schema": "other/1"}', "schema = 'other/1'"),
    ('{"schema": "govsite-manifest/1", "built": "yesterday", "files": []}', "built = 'yesterday'"),
    ('{"schema": "govsite-manifest/1", "built": "2026-11-20T00:00:00Z", "files": [{"path": "a", "bytes": -1, '
     '"sha256": "xyz", "sm3": ""}]}', "files\\[0\\].bytes = -1"),
])
def test_bad_manifests_are_named(tmp_path, text, message):
    (tmp_path / "m.json").write_text(text)
    with pytest.raises(ManifestInvalid, match=message):
        load_manifest(tmp_path / "m.json")


@pytest.mark.parametrize("algorithm", ["ed25519", "sm2"])
def test_signed_manifests_verify_and_tampering_is_caught(site_copy, tmp_path, algorithm):
    private, public = _keys(tmp_path, algorithm)
    other = _keys(tmp_path, algorithm, "other")[1]
    manifest = load_manifest(site_copy / ".govsite-manifest.json")
    write_manifest(site_copy, manifest.document, load_signer(private))
    report = verify_deploy(site_copy, public_key=public)
    assert report.signature.startswith(f"valid {algorithm} signature")
    assert "signed, but not checked" in verify_deploy(site_copy).signature
    with pytest.raises(SignatureInvalid, match="signed with another key"):
        verify_deploy(site_copy, public_key=other)
    # a forger edits a file and its manifest entry: the signature no longer matches
    (site_copy / "about.html").write_text("<p>篡改</p>", "utf-8")
    forged = manifest_bytes(make_manifest(site_copy, manifest.site, manifest.built, manifest.document["commit"],
                                          manifest.document["dirty"]))
    (site_copy / ".govsite-manifest.json").write_bytes(forged)
    assert verify_deploy(site_copy).ok  # unsigned check: fooled, which is why the note says so
    with pytest.raises(SignatureInvalid, match="does not match"):
        verify_deploy(site_copy, public_key=public)
    (site_copy / ".govsite-manifest.sig").unlink()
    with pytest.raises(SignatureInvalid, match="not signed"):
        verify_deploy(site_copy, public_key=public)


def test_the_build_signs_with_the_configured_key_and_a_bad_key_fails_the_site(group, tmp_path, monkeypatch):
    private, public = _keys(tmp_path, "sm2")
    output = tmp_path / "output"
    common = dict(cache_dir=tmp_path / "cache", reports_dir=None, site_ids=["dept"])
    results = build_group(group.root, output, settings={"GOVSITE_A11Y": {"engine": "static"},
                                                          "GOVSITE_MANIFEST_KEY": str(private)}, **common)
    assert all(r.ok for r in results), [r.error for r in results]
    site = output / "jtj.chenghu.gov.cn"
    assert verify_deploy(site, public_key=public).signature.startswith("valid sm2 signature")
    monkeypatch.setenv("GOVSITE_MANIFEST_KEY", str(tmp_path / "missing.pem"))
    before = (site / ".govsite-manifest.json").read_bytes()
    failed = build_group(group.root, output, settings={"GOVSITE_A11Y": {"engine": "static"}}, **common)
    assert not failed[0].ok and "missing.pem: cannot read the signing key" in failed[0].error
    assert (site / ".govsite-manifest.json").read_bytes() == before  # previous output kept


def test_write_build_manifest_rejects_unusable_keys(site_copy, tmp_path):
    (tmp_path / "rsa.pem").write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")

    class Site:
        id, kind, name, domain = "city", "portal", "澄湖市人民政府", CITY

    with pytest.raises(KeyProblem, match="rsa.pem: not an Ed25519 or SM2 private key"):
        write_build_manifest(site_copy, Site(), {"GOVSITE_MANIFEST_KEY": str(tmp_path / "rsa.pem")})
    shutil.rmtree(site_copy / "news")
    path = write_build_manifest(site_copy, Site(), {"PATH": str(tmp_path)})
    assert not any(p.startswith("news/") for p in load_manifest(path).files)


def marked_live_manifest(tmp_path, names: tuple[str, ...]) -> tuple[Path, Path]:
    """A live site of ``names`` whose manifest entries carry a marker digest (an entry taken over
    unread keeps it), and an empty staging folder beside it."""
    live, staging = tmp_path / "live", tmp_path / "staging"
    for folder in (live, staging):
        (folder / "news").mkdir(parents=True)
    for name in names:
        (live / name).write_text(f"<p>{name}</p>", "utf-8")
    write_manifest(live, make_manifest(live, {"domain": "www.example.invalid"}))
    document = json.loads((live / ".govsite-manifest.json").read_text("utf-8"))
    for entry in document["files"]:
        entry["sha256"] = "0" * 64
    write_manifest(live, document)
    return live, staging


def test_linked_files_reuse_the_live_manifest_entries_and_others_are_hashed(tmp_path):
    live, staging = marked_live_manifest(tmp_path, ("news/kept.html", "news/copied.html"))
    os.link(live / "news/kept.html", staging / "news/kept.html")  # what an incremental build keeps
    shutil.copy2(live / "news/copied.html", staging / "news/copied.html")  # same bytes, another file
    known = linked_entries(staging, live)
    assert set(known) == {"news/kept.html"}
    files = {e["path"]: e for e in make_manifest(staging, {}, known=known)["files"]}
    assert files["news/kept.html"]["sha256"] == "0" * 64
    assert files["news/copied.html"]["sha256"] != "0" * 64  # read and hashed
    (live / ".govsite-manifest.json").write_text("damaged", "utf-8")
    assert linked_entries(staging, live) == {}  # no usable live manifest: every file is hashed


def test_kept_pages_reuse_the_live_entries_without_a_stat_until_replaced(tmp_path):
    live, staging = marked_live_manifest(tmp_path, ("news/kept.html", "news/replaced.html"))
    kept = {}
    for name in ("news/kept.html", "news/replaced.html"):
        os.link(live / name, staging / name)
        kept[name] = (staging / name).stat().st_ino
    replacement = staging / "news/replacement.tmp"  # a writer replacing a kept page (a new file, renamed over it)
    replacement.write_text("<p>new</p>", "utf-8")
    replacement.replace(staging / "news/replaced.html")
    assert set(kept_entries(live, kept)) == set(kept)
    write_build_manifest(staging, type("Site", (), {"domain": "www.example.invalid"})(), {"PATH": str(tmp_path)},
                         live, kept)
    files = load_manifest(staging / ".govsite-manifest.json").files
    assert files["news/kept.html"]["sha256"] == "0" * 64, "the live entry, unread"
    assert files["news/replaced.html"]["sha256"] == make_manifest(staging, {})["files"][1]["sha256"] != "0" * 64
    (live / ".govsite-manifest.json").write_text("damaged", "utf-8")
    assert kept_entries(live, kept) == {}  # no usable live manifest: every file is hashed


def test_the_source_commit_and_whether_the_site_folder_differs_from_it(tmp_path, monkeypatch):
    from govsite.archive.manifest import asked_source_commit, source_commit
    from test_compliance_rules import git_in

    repo = tmp_path / "repo"
    (repo / "site" / "articles").mkdir(parents=True)
    (repo / "site" / "articles" / "a.md").write_text("a", "utf-8")
    (repo / "other.txt").write_text("o", "utf-8")
    git = git_in(repo)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    head = git("rev-parse", "HEAD").stdout.decode().strip()
    assert source_commit(repo / "site") == (head, False)
    (repo / "other.txt").write_text("changed outside the site folder", "utf-8")
    assert source_commit(repo / "site") == (head, False)
    asked = asked_source_commit(repo / "site")
    assert asked() == (head, False) and asked() == (head, False), "answered once, then again"
    (repo / "site" / "articles" / "b.md").write_text("b", "utf-8")
    assert source_commit(repo / "site") == (head, True)
    assert source_commit(tmp_path) == ("", None), "outside git"
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert source_commit(repo / "site") == ("", None), "without git"

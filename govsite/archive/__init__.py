"""Archives and tamper detection: WACZ snapshots of built sites, verification, replay, build manifests.

Public entry points (the modules hold the details):

- ``snapshot_site(site_output_dir, domain, out_dir="archives", ...)``: a WACZ of a folder, no crawl
- ``verify_archive(path)``: re-hash, WARC digests, CDXJ offsets; raises ArchiveDamaged
- ``write_build_manifest(staging, site, settings)``: the build's hook (SHA-256 + SM3, optional signature)
- ``verify_deploy(folder, manifest_path=None, public_key=None)``: added, removed, changed files
"""


import importlib

#: Where each entry point lives; imported on first use, so a build that only writes its manifest
#: does not pay for warcio, pywb and the WACZ writer (about 3 s per site process).
_ENTRY_POINTS = {"snapshot_site": "snapshot", "snapshot_folder": "snapshot", "verify_archive": "verify",
                 "write_build_manifest": "manifest", "verify_deploy": "manifest"}

__all__ = list(_ENTRY_POINTS)


def __getattr__(name: str):
    if name not in _ENTRY_POINTS:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_ENTRY_POINTS[name]}", __name__), name)

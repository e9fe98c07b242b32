"""Archives and tamper detection: WACZ snapshots of built sites, verification, replay, build manifests.

Public entry points (the modules hold the details):

- ``snapshot_site(site_output_dir, domain, out_dir="archives", ...)``: a WACZ of a folder, no crawl
- ``verify_archive(path)``: re-hash, WARC digests, CDXJ offsets; raises ArchiveDamaged
- ``write_build_manifest(staging, site, settings)``: the build's hook (SHA-256 + SM3, optional signature)
- ``verify_deploy(folder, manifest_path=None, public_key=None)``: added, removed, changed files
"""

from .manifest import verify_deploy, write_build_manifest
from .snapshot import snapshot_folder, snapshot_site
from .verify import verify_archive

__all__ = ["snapshot_site", "snapshot_folder", "verify_archive", "write_build_manifest", "verify_deploy"]

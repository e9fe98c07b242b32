"""Migration of legacy government sites into platform content (``invoke migrate``).

Modules, one job each: ``sources`` (folder, WARC, WACZ readers), ``decoding``, ``fields``
(metadata tags and 发布时间/来源 blocks), ``layouts`` (TRS, Hanweb, 开普云, this platform),
``classify``, ``extract`` (one page), ``sanitize`` (nh3), ``markdown``, ``columns`` (mapping),
``assets``, ``content`` (safe writes and recorded hashes), ``draft`` (site.toml), ``redirects``,
``report``, ``run`` (one migration), ``console`` (the task's front-end).
"""

from .run import Outcome, Settings, migrate

__all__ = ["Outcome", "Settings", "migrate"]

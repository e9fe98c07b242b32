"""The platform's Pelican settings: what every site of a group is built with.

A group repository's ``pelicanconf.py`` starts with ``from govsite.defaults import *`` and overrides
what it must (docs/configuration.md); ``govsite build`` overlays each site's identity on the result
(govsite/settings.py): SITENAME, PATH, OUTPUT_PATH, CACHE_PATH, FEED_DOMAIN, GOVSITE_CONTENT,
GOVSITE_SITE_ID. Without a ``pelicanconf.py`` these defaults are used as they are.
"""

from pathlib import Path

from govsite import audiences
from govsite.stages import PLUGINS  # noqa: F401  (every stage, in the order govsite.stages declares)

THEME = str(Path(__file__).resolve().parent / "theme")

TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Every link is relative, so a built site works from any folder or host.
SITEURL = ""
RELATIVE_URLS = True

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "attachments"]
SLUGIFY_SOURCE = "basename"
# The column is always the explicit Category (a column slug), never the folder name.
USE_FOLDER_AS_CATEGORY = False

ARTICLE_URL = ARTICLE_SAVE_AS = "{category}/{date:%Y%m}/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
CATEGORY_URL = "{slug}/index.html"  # explicit index.html: links work from file:// too
CATEGORY_SAVE_AS = "{slug}/index.html"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ARCHIVES_SAVE_AS = ""

# Home page, the human site map (网站地图) and the error page.
DIRECT_TEMPLATES = ["index", "sitemap", "404", "accessibility", "maintenance", "search"]
SITEMAP_SAVE_AS = "sitemap.html"
SITEMAP_URL = "sitemap.html"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"category": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/index_{number}.html", "{base_name}/index_{number}.html"),
)

# One Atom feed for the site and one per column; no RSS duplicates.
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "{slug}/atom.xml"
FEED_ALL_RSS = CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50

# Pelican's content cache, kept per site across builds (CACHE_PATH is set per site).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "md5"
# Uncompressed cache files: gzip costs about 3.5 s per 1,000 articles on every build (bench/RESULTS.md).
GZIP_CACHE = False

# Untrusted text stays text: every template autoescapes (as Flask and Django do for .html), and only the
# platform's own markup is marked safe (the checked bodies `|safe`, macros' output, `tojson`).
# Pelican's defaults (trim_blocks, lstrip_blocks) are merged in by pelican.settings.
JINJA_ENVIRONMENT = {"autoescape": True}
# Metadata fields are plain text: a `Summary:` is not Markdown (Pelican's default ["summary"] passes
# raw HTML through); the automatic summary (from the body) still works.
FORMATTED_FIELDS = []

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# govsite settings (documented in docs/configuration.md).
# Load the per-site CONAC badge script (a third-party request) instead of a plain link.
GOVSITE_ALLOW_BADGE_SCRIPTS = False
# Items shown per column on the home page.
GOVSITE_HOME_ITEMS = 6

# The link check (govsite/plugins/links.py, govsite/checks/links_settings.py DEFAULTS; docs/compliance.md "Links"): every key
# is optional. Advertising domains are GOVSITE_A11Y["ad_domains"] (one list for both checks).
GOVSITE_LINKS = {}
# The annual report (govsite/plugins/annual_report.py; docs/compliance.md "Annual report"): `categories`, `due`.
GOVSITE_ANNUAL_REPORT = {}
# The quarterly inspection's scoring (`govsite inspect`; govsite/inspection.py DEFAULTS; docs/inspection.md):
# `pass_score`, `indicators` (weight and deductions per indicator); every key is optional.
GOVSITE_INSPECTION = {}

# 政策礼包 (govsite/audiences.py, govsite/plugins/audiences.py; docs/content.md "Audience"): the audience tags
# an article's `Audience:` may name, tag -> URL slug of its page (zclb/<slug>/index.html on the portal).
# Default: 企业 个人 教育 人才 就业 税务 小微企业 招商引资 (govsite/audiences.py DEFAULTS).
GOVSITE_AUDIENCES = dict(audiences.DEFAULTS)

# Service guides (govsite/plugins/service_guides.py, govsite/service_guides.py; docs/content.md "Service guides"):
# `code_pattern`, the regular expression a 事项编码 must match.
GOVSITE_SERVICE_GUIDES = {}

# Site search (govsite/plugins/search.py, govsite/search.py: DEFAULTS); keys in docs/search.md.
GOVSITE_SEARCH = {"enabled": True, "group": True}

# The accessibility gate (govsite/plugins/a11y_gate.py, govsite/checks/): every key is optional; see the
# docs/gate.md for each key and its default.
GOVSITE_A11Y = {
    "engine": "all",
    "pages": "smart",
    "modes": ["normal", "care", "contrast"],
    "fail_impacts": ["serious", "critical"],
}

# Publishing compliance (govsite/plugins/compliance.py, govsite/compliance/): every key is optional; the defaults
# (govsite/compliance/config.py DEFAULTS) are listed in docs/compliance.md.
GOVSITE_COMPLIANCE = {}

"""Platform-wide Pelican settings for every site of the group.

`invoke build` overlays each site's identity on these (see govsite/settings.py):
SITENAME, PATH, OUTPUT_PATH, CACHE_PATH, FEED_DOMAIN, GOVSITE_CONTENT, GOVSITE_SITE_ID.
"""

import sys
from pathlib import Path

# Let `pelican -s pelicanconf.py` find the govsite package and the plugins.
ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THEME = str(ROOT / "themes" / "govsite")
PLUGIN_PATHS = [str(ROOT / "plugins")]
# Order matters at `finalized`: lifecycle writes redirect pages before govsite_links checks every
# link of the output, then the accessibility gate runs. govsite_syndication adds the portal's
# syndicated items to department sites before categories are built.
# govsite_compliance checks the articles (syndicated ones included) before they are written; at
# `finalized` it runs after govsite_links, so its report scores the link check as the "links" family.
PLUGINS = ["govsite_identity", "govsite_lifecycle", "govsite_syndication", "govsite_links", "govsite_compliance",
           "govsite_sitemap", "govsite_search", "govsite_annual_report", "govsite_a11y_gate",
           "govsite_incremental"]
# govsite_incremental: Pelican's writer keeps unchanged article pages of the previous output (only
# when `invoke build` sets GOVSITE_INCREMENTAL; see docs/build.md).
# govsite_search indexes the built pages (Pagefind) before the gate, so the gate checks the search page too.

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

# The link check (plugins/govsite_links, checks/links_settings.py DEFAULTS; docs/compliance.md "Links"): every key
# is optional. Advertising domains are GOVSITE_A11Y["ad_domains"] (one list for both checks).
GOVSITE_LINKS = {}
# The annual report (plugins/govsite_annual_report; docs/compliance.md "Annual report"): `categories`, `due`.
GOVSITE_ANNUAL_REPORT = {}

# Site search (plugins/govsite_search, govsite/search.py: DEFAULTS); keys in docs/search.md.
GOVSITE_SEARCH = {"enabled": True, "group": True}

# The accessibility gate (plugins/govsite_a11y_gate, checks/): every key is optional; see the
# docs/gate.md for each key and its default.
GOVSITE_A11Y = {
    "engine": "both",
    "pages": "smart",
    "modes": ["normal", "care", "contrast"],
    "fail_impacts": ["serious", "critical"],
}

# Publishing compliance (plugins/govsite_compliance, compliance/): every key is optional; the defaults
# (compliance/config.py DEFAULTS) are listed in docs/compliance.md.
GOVSITE_COMPLIANCE = {}

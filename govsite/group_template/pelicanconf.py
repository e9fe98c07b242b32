"""The group's platform settings: govsite's defaults, with this group's changes below them.

`govsite build` reads this file from the folder it runs in. Every setting is documented in
govsite's docs/configuration.md; the ones a group most often changes are listed commented out.
"""

from govsite.defaults import *  # noqa: F401,F403

# PLUGINS lists the stages that run; govsite runs them in its own order whatever the order here.
# Leave one out to switch it off, e.g. site search:
# PLUGINS = [p for p in PLUGINS if p != "govsite.plugins.search"]

# The accessibility gate (docs/gate.md): engines, pages and modes checked, impacts that fail.
# GOVSITE_A11Y = {"engine": "all", "pages": "smart", "modes": ["normal", "care", "contrast"],
#                 "fail_impacts": ["serious", "critical"]}

# Publishing compliance (docs/compliance.md): deadlines, working days, the wording lexicon.
# GOVSITE_COMPLIANCE = {}

# 政策礼包 (docs/content.md): the audience tags an article's `Audience:` may name, tag -> URL slug.
# GOVSITE_AUDIENCES = {**GOVSITE_AUDIENCES, "科技创新": "kejichuangxin"}

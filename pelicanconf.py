"""The demo group's platform settings: the package defaults (govsite/defaults.py), unchanged.

A group repository keeps a file like this one beside its ``content/`` folder (``govsite init``
writes one); ``govsite build`` and ``invoke build`` read ``pelicanconf.py`` from the current folder.
"""

import sys
from pathlib import Path

# Let `pelican -s pelicanconf.py` find the govsite package in this checkout.
ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govsite.defaults import *  # noqa: E402,F401,F403

"""``python -m govsite``: the same as the ``govsite`` command."""

import sys

from govsite.cli import main

sys.exit(main())

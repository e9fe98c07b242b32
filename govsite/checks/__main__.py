"""Entry point for ``python -m govsite.checks``."""

import sys

from .cli import main

sys.exit(main())

"""Entry point for ``python -m checks``."""

import sys

from .cli import main

sys.exit(main())

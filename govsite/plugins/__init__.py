"""The platform's Pelican plugins, one module per stage (govsite.stages declares their order).

``PLUGINS = ["govsite.plugins"]`` loads every stage at once; ``govsite.plugins.<stage>`` (or, with
the package installed, the namespace plugin ``govsite_<stage>``) loads one.
"""

from importlib import import_module

from govsite.stages import STAGES


def register() -> None:
    """Register every stage."""
    for stage in STAGES:
        import_module(f"{__name__}.{stage}").register()

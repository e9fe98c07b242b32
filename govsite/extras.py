"""The package's optional parts (pip extras): a command that needs a missing one names the extra."""

from __future__ import annotations

from importlib.util import find_spec

from .errors import UsageError

#: extra -> the modules it provides (pyproject.toml ``[project.optional-dependencies]``).
EXTRAS: dict[str, tuple[str, ...]] = {
    "migrate": ("trafilatura", "lxml_html_clean", "nh3", "pypinyin", "charset_normalizer"),
    "replay": ("pywb",),
}


class MissingExtra(UsageError):
    """A command needs an optional part of the package that is not installed (exit 2)."""


def missing_modules(modules: tuple[str, ...]) -> list[str]:
    """The modules of ``modules`` that cannot be imported here."""
    return [name for name in modules if find_spec(name) is None]


def require(extra: str, command: str) -> None:
    """Raise :class:`MissingExtra` naming ``pip install 'govsite[extra]'`` when a module of ``extra`` is missing."""
    missing = missing_modules(EXTRAS[extra])
    if missing:
        raise MissingExtra(f"`{command}` needs the optional part {extra!r} of govsite, which is not installed "
                           f"(missing: {', '.join(missing)}): pip install 'govsite[{extra}]'")

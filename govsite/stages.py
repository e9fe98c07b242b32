"""The build's stages and the order they run in: declared here, once, for every way of listing them.

Each platform plugin (``govsite/plugins/<stage>.py``) hands its receivers to :func:`connect`
instead of connecting them to Pelican's signals itself. One dispatcher per signal then calls the
receivers of the loaded stages in the order of :data:`ORDER`, whatever order a ``pelicanconf.py``
lists the plugins in (``PLUGINS = ["govsite_search", "govsite_identity"]`` runs identity first).
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from pelican import signals

#: Every stage, in the order its receivers run at each signal two stages share, with the reason.
ORDER: tuple[tuple[str, str], ...] = (
    ("identity", "loads the site and its group at `initialized`, before any stage needs them"),
    ("lifecycle", "adds the notices (pretaxonomy) and writes redirect pages at `finalized`, before links "
                  "are checked"),
    ("syndication", "adds the portal's reprints before columns are built; they are then checked as the "
                    "site's own articles"),
    ("audiences", "lists the group's tagged policy items on the portal (政策礼包, a generator); at `initialized` "
                  "after identity, which loads the group, and before links reads the URLs it knows"),
    ("interaction", "adds the letter, statistics, interview and survey pages before compliance checks the pages "
                    "(the text rules see them; its report takes the reply findings); writes the replies feed at "
                    "`finalized`, before links are checked"),
    ("service_guides", "reads the guides at `initialized` and adds their pages (pages finalized) before compliance "
                       "checks the pages' texts and compares the guides across the group's sites"),
    ("links", "checks every link of the output, redirect pages included"),
    ("compliance", "checks the articles (reprints included) before they are written; at `finalized` it "
                   "scores the link check as its links family"),
    ("sitemap", "writes sitemap.xml and robots.txt with the other output (a generator)"),
    ("search", "indexes the built pages before the gate, so the gate checks the search page too"),
    ("annual_report", "adds the yearly report pages with the other pages"),
    ("inspection", "adds the portal's inspection notices and 年度监管报表 pages with the other pages (after the "
                   "compliance text rules: their texts are the inspection's own)"),
    ("a11y_gate", "checks the finished output, last of the output checks"),
    ("incremental", "keeps unchanged article pages of the previous output (a writer)"),
)
STAGES: tuple[str, ...] = tuple(name for name, _ in ORDER)
#: The plugins in a pelicanconf's ``PLUGINS`` (govsite/defaults.py): importable as they are, from a
#: checkout or an installed package. Installed, ``pelican.plugins.govsite_<stage>`` names them too.
PLUGINS: list[str] = [f"govsite.plugins.{name}" for name in STAGES]
#: Signals whose receivers return what Pelican uses (a writer, generators): connected directly.
RETURNING = frozenset({"get_writer", "get_generators"})

_receivers: dict[str, dict[str, list[Callable]]] = {}  # signal -> {stage: receivers}
_dispatchers: dict[str, Callable] = {}  # strong references: blinker holds receivers weakly


def connect(stage: str, receivers: Mapping[str, Callable | Sequence[Callable]]) -> None:
    """Register ``stage``'s receivers by signal name (``{"finalized": run_gate}``); idempotent."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")
    for name, given in receivers.items():
        functions = list(given) if isinstance(given, (list, tuple)) else [given]
        signal = getattr(signals, name)
        if name in RETURNING:
            for function in functions:
                signal.connect(function)
            continue
        _receivers.setdefault(name, {})[stage] = functions
        if name not in _dispatchers:
            _dispatchers[name] = _dispatcher(name)
            signal.connect(_dispatchers[name])


def _dispatcher(name: str) -> Callable:
    """The one receiver of signal ``name``: calls the stages' receivers in ``STAGES`` order."""
    def dispatch(sender, **kwargs):
        table = _receivers.get(name, {})
        for stage in STAGES:
            for function in table.get(stage, ()):
                function(sender, **kwargs)
    dispatch.__name__ = f"govsite_{name}"
    return dispatch


def dispatcher_ids(name: str) -> set[int]:
    """The ids by which blinker knows the platform's receiver of signal ``name`` (none: no stage listens)."""
    dispatcher = _dispatchers.get(name)
    return {id(dispatcher)} if dispatcher is not None else set()


def receivers_of(name: str) -> list[tuple[str, str]]:
    """``[(stage, receiver name)]`` that run at signal ``name``, in order (for docs and tests)."""
    table = _receivers.get(name, {})
    return [(stage, f.__name__) for stage in STAGES for f in table.get(stage, ())]

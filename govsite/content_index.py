"""The articles a process has read, kept for its next build of the same site (``govsite build --watch``).

Each build of a 10,000-article site had Pelican read every article again from its cache (a file
hash, its metadata and the ``Article`` rebuilt, URLs formatted): 2 s of a warm one-article
publish. Pelican has a hook for this, the generator's own cache (``get_cached_data`` /
``cache_data``, consulted before reading a file); here it is served from memory. Right after
Pelican has read and checked an article (before any stage has seen it), a *detached* copy is kept
with the file's identity; the next build of the same site, with the same render fingerprint
(``govsite.incremental``: theme, code, settings, every site.toml, the build day), gets a fresh
detached copy of it while the file is unchanged, and the stages then do to it what they do to a
newly read article. A copy shares no mutable value with the kept one or with the previous build:
its dict, metadata, lists, columns, tags and authors are its own, and it points at this build's
settings and context. What reading the file had logged (warnings) is logged again, and the
``content_object_init`` receivers (the identity stage's value checks) run again on the copy.
Making the copies (13 µs an article) is left out of the publish: after a build has reported, while
the watch waits, ``prepare_copies`` makes the next build's copies without settings, and a build
serves each once, pointing it and its URL wrappers at its own settings (a copy not prepared is made
when served).

Used only where it reproduces a read: Pelican's caching layer is ``reader`` (with ``generator``,
Pelican's own cache is used), nothing but the platform listens to ``content_object_init`` and
no one to the per-file reading signals, and the build is incremental (a ``--full`` build reads
every file). A file modified in the last ``RACY_SECONDS`` is not kept (its next change could
leave size and mtime as they were). At most ``LIMIT`` articles are kept per process.

Two costs of Pelican's reading are removed from every build too: each generator lists its files
once (``get_files``: the content folder was walked three times per build), and translations are
sorted out without a quadratic step (``process_translations``).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import date, datetime
from itertools import groupby
from operator import attrgetter
from typing import Callable

from markupsafe import Markup
from pelican import signals
from pelican.cache import FileDataCacher
from pelican.generators import ArticlesGenerator, Generator
from pelican.readers import Readers
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime, get_original_items

from . import site_files
from .file_memo import RACY_SECONDS
from .files import file_identity
from .dependencies import PLACEMENTS, placement
from .incremental import SETTING

#: Most articles kept (all sites built by this process).
LIMIT = 1 << 16
#: Where ``read_file`` leaves the warnings reading logged, on the content it returns.
READ_LOG = "_govsite_read_log"
_pelican_get_cached_data = ArticlesGenerator.get_cached_data
_pelican_cache_data = ArticlesGenerator.cache_data
_pelican_save_cache = FileDataCacher.save_cache
_pelican_cacher_init = FileDataCacher.__init__
#: ``{cache file: its cacher}``: Pelican's caches to save once the build has reported (``save_deferred``)
_deferred: dict[str, FileDataCacher] = {}
#: ``{cache file: (its identity once saved, what was saved)}``: taken by the next build instead of the file
#: (at most ``LIMIT`` entries in all: a watch of many sites keeps the last saved)
_saved: dict[str, tuple[tuple[int, int, int], dict]] = {}
_pelican_read_file = Readers.read_file
_pelican_get_files = Generator.get_files

#: ``{(site folder, get_files arguments): (the site folder's files then, the listing)}`` (``get_files``)
_listings: dict[tuple, tuple[frozenset[str], frozenset[str]]] = {}
#: ``{(site folder, source path): (file identity, render fingerprint, kept article, kept results)}``; the
#: results: ``{stage: value}`` the stages computed for the article (``kept_results``)
_kept: dict[tuple[str, str], tuple[tuple[int, int, int], str, object, dict]] = {}
#: ``{(site folder, source path): (kept entry, a detached copy of its article with no settings, the copy's
#: URL wrappers)}``: made while a watch waits (``prepare_copies``), each served once (``_served_copy``)
_spares: dict[tuple[str, str], tuple[tuple, object, list]] = {}
#: Where a build notes ``{source path: (index key, kept entry, whether its results may be taken)}`` of the
#: articles it was served or kept, and ``{stage: {source path: value}}`` its stages computed (committed
#: by ``commit_results`` once the build has succeeded).
SERVED, COMPUTED = "GOVSITE_INDEX_SERVED", "GOVSITE_INDEX_COMPUTED"
#: The ids of the platform's receivers of ``content_object_init`` (given by ``install``: the stages
#: live in the plugin layer, above this module).
_platform_receivers: Callable[[], set[int]] = set
#: How many articles builds of this process took from the index (``reused()``).
_reused = [0]


#: Values a copy shares with the original: immutable (Pelican's dates and Markup are subclasses).
_IMMUTABLE = (str, int, float, type(None), date)
#: The immutable types an article's values have, looked up before the ``isinstance`` test.
_SHARED = frozenset({str, int, float, bool, type(None), date, datetime, SafeDatetime, Markup})


def _detached(value, settings, seen: dict, wrappers: list | None = None):
    """``value`` with its own lists, dicts and URL wrappers (pointing at ``settings``; each copied wrapper
    also appended to ``wrappers``); the same object shared twice stays shared once in the copy."""
    if type(value) in _SHARED or isinstance(value, _IMMUTABLE):
        return value
    key = id(value)
    if key in seen:
        return seen[key][1]
    if isinstance(value, URLWrapper):
        copy = object.__new__(type(value))
        copy.__dict__.update(vars(value))
        copy.settings = settings
        if wrappers is not None:
            wrappers.append(copy)
    elif isinstance(value, list):
        copy = [_detached(v, settings, seen, wrappers) for v in value]
    elif isinstance(value, tuple) and type(value) is tuple:
        copy = tuple(_detached(v, settings, seen, wrappers) for v in value)
    elif isinstance(value, dict) and type(value) is dict:
        copy = {k: _detached(v, settings, seen, wrappers) for k, v in value.items()}
    else:
        return value
    seen[key] = (value, copy)  # the original is held so that its id is not reused during the copy
    return copy


def detached_copy(article, settings, context, wrappers: list | None = None):
    """A copy of ``article`` that shares nothing mutable with it, for ``settings`` and ``context``
    (``wrappers``: receives the copy's URL wrappers)."""
    seen: dict = {}
    copy = object.__new__(type(article))
    copy.__dict__.update({name: value if type(value) in _SHARED else _detached(value, settings, seen, wrappers)
                          for name, value in vars(article).items() if name not in ("settings", "_context")})
    copy.settings, copy._context = settings, context
    return copy


def prepare_copies() -> int:
    """Make the detached copy the next build will be served of each kept article that has none (after a
    build has reported, while the watch waits: a publish then only points a copy at its settings).
    The number made."""
    for key in [key for key, (kept, _, _) in _spares.items() if _kept.get(key) is not kept]:
        del _spares[key]
    made = 0
    for key, kept in _kept.items():
        if key not in _spares:
            wrappers: list = []
            _spares[key] = (kept, detached_copy(kept[2], None, None, wrappers), wrappers)
            made += 1
    return made


def _served_copy(key, kept, settings, context):
    """The copy of ``kept``'s article to serve: the one ``prepare_copies`` made (taken, so served once)
    pointed at ``settings`` and ``context``, else a new one."""
    spare = _spares.pop(key, None)
    if spare is None or spare[0] is not kept:
        return detached_copy(kept[2], settings, context)
    _, copy, wrappers = spare
    for wrapper in wrappers:
        wrapper.settings = settings
    copy.settings, copy._context = settings, context
    return copy


def _usable(generator) -> bool:
    """Whether a kept article reproduces reading its file in this build (see the module's docstring)."""
    settings = generator.settings
    if settings.get("CONTENT_CACHING_LAYER") != "reader" or not (settings.get(SETTING) or {}).get("previous"):
        return False
    if signals.article_generator_preread.receivers or signals.article_generator_context.receivers:
        return False
    platform = _platform_receivers()
    return all(key in platform for key in signals.content_object_init.receivers)


def _render(generator) -> str:
    return (generator.settings.get(SETTING) or {}).get("render", "")


#: whether this process builds again (``keep_between_builds``): a worker building one site once keeps nothing
_keeping = False


def keep_between_builds() -> None:
    """Keep the articles read from now on: this process builds again (``govsite build --watch``)."""
    global _keeping
    _keeping = True


def get_cached_data(generator, filename, default=None):
    """``ArticlesGenerator.get_cached_data``: a detached copy of the article kept for ``filename`` while
    the file and the render fingerprint are unchanged, else ``default``."""
    if generator.settings.get("CONTENT_CACHING_LAYER") == "generator":
        return _pelican_get_cached_data(generator, filename, default)
    kept = _kept.get((generator.path, filename))
    usable = generator.__dict__.get("_govsite_index_usable")
    if usable is None:  # decided once per generator (one build)
        usable = generator.__dict__["_govsite_index_usable"] = _usable(generator)
    if kept is None or not usable:
        return default  # (Pelican's own method hashed the file here for nothing: its cache is off)
    identity, render, article, _ = kept
    if render != _render(generator) or identity != _identity(generator, filename):
        return default
    copy = _served_copy((generator.path, filename), kept, generator.settings, generator.context)
    edits = (generator.settings.get(SETTING) or {}).get("edits")
    generator.settings.setdefault(SERVED, {})[copy.source_path] = (
        (generator.path, filename), kept, edits is not None and copy.source_path not in edits)
    for record in getattr(article, READ_LOG, ()):
        logging.getLogger(record.name).handle(record)
    signals.content_object_init.send(copy)
    _reused[0] += 1
    if copy.source_path in (edits or ()):
        # changed since the site's last successful build, yet the one kept (read by a build that failed,
        # or too soon after a save to tell): noted as one read is
        _note_placement(generator, copy)
    return copy


def _site_files(generator) -> dict[str, tuple[int, int, int]] | None:
    """The generator's folder's files as the build saw them (``site_files``; decided once per generator)."""
    found = generator.__dict__.get("_govsite_site_files", False)
    if found is False:
        found = generator.__dict__["_govsite_site_files"] = site_files.files_of(generator.path)
    return found


def _identity(generator, filename: str) -> tuple[int, int, int] | None:
    """The identity of the content file ``filename`` (relative to the generator's folder) as this build's
    fingerprint saw it (the build is of those files: a later save is the next build's), else stat'ed."""
    identities = _site_files(generator)
    known = identities.get(filename) if identities is not None else None
    return known if known is not None else file_identity(os.path.join(generator.path, filename))


def _note_placement(generator, article) -> None:
    """Note where ``article`` is placed (``dependencies.placement``), for telling an in-place edit."""
    generator.settings.setdefault(PLACEMENTS, {})[article.source_path] = placement(article)


def cache_data(generator, filename, data) -> None:
    """``ArticlesGenerator.cache_data``: keep a detached copy of the article just read (and note where it
    is placed: ``dependencies.placement``)."""
    if _keeping and getattr(data, "source_path", None):  # only a process that builds again compares them
        _note_placement(generator, data)
    if generator.settings.get("CONTENT_CACHING_LAYER") == "generator":
        return _pelican_cache_data(generator, filename, data)
    if not _keeping:
        return None
    identity = file_identity(os.path.join(generator.path, filename))
    if identity is None or identity[2] >= time.time_ns() - RACY_SECONDS * 1_000_000_000 or not _render(generator):
        _kept.pop((generator.path, filename), None)
        return None
    if len(_kept) >= LIMIT:
        _kept.clear()
        _spares.clear()
    # kept without this build's settings and context (a copy taken later gets the later build's), so
    # that nothing of this build stays alive through the index
    kept = _kept[(generator.path, filename)] = (identity, _render(generator), detached_copy(data, None, None), {})
    generator.settings.setdefault(SERVED, {})[data.source_path] = ((generator.path, filename), kept, False)
    return None


def kept_results(settings: dict, stage: str) -> dict[str, object]:
    """``{source path: value}``: what ``stage`` computed (``keep_results``) for the articles this build was
    served from the index, at the site's last successful build in this process, when this build may take
    it. That is when the only inputs changed since that build are articles (``SETTING["edits"]``: the
    same render fingerprint, record and other files) and the article is not one of them: a value that
    depends only on the article's file, the site folder's other files and the render fingerprint's
    inputs is then what computing it again would give. Values are shared between builds: immutable
    values only, holding nothing of a build (no settings, no site model)."""
    return {path: results[stage] for path, (_, (_, _, _, results), takes) in (settings.get(SERVED) or {}).items()
            if takes and stage in results}


def keep_results(settings: dict, stage: str, values: dict[str, object]) -> None:
    """Note ``{source path: value}`` that ``stage`` computed in this build, for ``kept_results`` in later
    builds once this one has succeeded (``commit_results``); only for articles of the index."""
    if _keeping and values:
        settings.setdefault(COMPUTED, {}).setdefault(stage, {}).update(values)


def commit_results(settings: dict) -> None:
    """After a successful build: keep what its stages computed with the articles they were computed for
    (each still the one kept for its file)."""
    served = settings.get(SERVED) or {}
    for stage, values in (settings.pop(COMPUTED, None) or {}).items():
        for path, value in values.items():
            key, kept, _ = served.get(path, (None, None, False))
            if kept is not None and _kept.get(key) is kept:
                kept[3][stage] = value


def save_cache(cacher) -> None:
    """``FileDataCacher.save_cache`` (Pelican's reader cache: every article read, pickled, 0.2 s at
    10,000 articles): in a process that builds again, left until its build has reported."""
    if _keeping and cacher._cache_data_policy:
        _deferred[cacher._cache_path] = cacher
    else:
        _pelican_save_cache(cacher)


def save_deferred() -> None:
    """Save the caches :func:`save_cache` left (after a build has reported, and before the next starts);
    each is kept with the saved file's identity, for :func:`load_cache`."""
    while _deferred:
        cacher = _deferred.pop(next(iter(_deferred)))
        _pelican_save_cache(cacher)
        identity = file_identity(cacher._cache_path)
        _saved.pop(cacher._cache_path, None)
        if identity is not None and len(cacher._cache) <= LIMIT:
            _saved[cacher._cache_path] = (identity, cacher._cache)
        while sum(len(cache) for _, cache in _saved.values()) > LIMIT:  # the oldest dropped first
            _saved.pop(next(iter(_saved)))


def load_cache(cacher, settings, cache_name, caching_policy, load_policy) -> None:
    """``FileDataCacher.__init__``: in a process that builds again, the cache it saved last (unpickling
    the reader cache of 10,000 articles, 268 MB, took 0.5 s of a publish) while the file is as it saved it;
    else Pelican's loading. Taken once: the build that takes it changes it and saves it again."""
    path = os.path.join(settings["CACHE_PATH"], cache_name)
    saved = _saved.pop(path, None)
    if not (_keeping and load_policy and saved is not None and saved[0] == file_identity(path)):
        return _pelican_cacher_init(cacher, settings, cache_name, caching_policy, load_policy)
    _pelican_cacher_init(cacher, settings, cache_name, caching_policy, False)
    cacher._cache = saved[1]
    return None


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def read_file(readers, *args, **kwargs):
    """``Readers.read_file``, leaving on the content the warnings logged while reading it."""
    recorder = _Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        content = _pelican_read_file(readers, *args, **kwargs)
    finally:
        root.removeHandler(recorder)
    if recorder.records and content is not None:
        setattr(content, READ_LOG, tuple(recorder.records))
    return content


def process_translations(content_list, translation_id=None):
    """``pelican.utils.process_translations`` without its quadratic last step (``x not in index`` on a
    list: 10,000 x 10,000 comparisons, 0.3 s of every build of a 10,000-article site); the same
    result in the same order."""
    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    index = []
    try:
        content_list.sort(key=attrgetter(*translation_id))
    except TypeError:
        raise TypeError(f"Cannot unpack {translation_id}, 'translation_id' must be falsy, a"
                        " string or a collection of strings") from None
    except AttributeError:
        raise AttributeError(f"Cannot use {translation_id} as 'translation_id', there "
                             "appear to be items without these metadata attributes") from None
    for id_vals, items in groupby(content_list, attrgetter(*translation_id)):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id).format(*id_vals)
        items = list(items)
        index.extend(get_original_items(items, with_str))
        for a in items:
            a.translations = [x for x in items if x != a]
    originals = set(map(id, index))
    return index, [x for x in content_list if id(x) not in originals]


def get_files(generator, paths, exclude=None, extensions=None) -> set[str]:
    """``Generator.get_files``, walked once per generator (one build): Pelican's reading and its
    check of disabled readers, and the identity stage's search for skipped files, each walked the
    content folder again (and could see different files, had an editor saved one in between). In a
    process that builds again, a listing is taken from its last build while the site folder holds the
    same files (``site_files``: a publish of articles edited in place)."""
    key = (paths if isinstance(paths, str) else tuple(paths), tuple(exclude or ()),
           extensions if extensions in (None, False) else tuple(extensions),
           tuple(generator.settings.get("IGNORE_FILES") or ()),
           tuple(generator.readers.extensions) if extensions is None else ())
    listed = generator.__dict__.setdefault("_govsite_files", {})
    if key not in listed:
        identities = _site_files(generator)
        if not _keeping or identities is None:
            listed[key] = frozenset(_pelican_get_files(generator, paths, exclude, extensions))
            return set(listed[key])
        folder = os.path.abspath(generator.path)
        kept = _listings.get((folder, key))
        if kept is None or kept[0] != identities.keys():
            kept = _listings[(folder, key)] = (frozenset(identities),
                                               frozenset(_pelican_get_files(generator, paths, exclude, extensions)))
        listed[key] = kept[1]
    return set(listed[key])


def install(platform_receivers: Callable[[], set[int]] = set) -> None:
    """Serve Pelican's article cache from this process's memory; idempotent.

    :param platform_receivers: the ids of the receivers of ``content_object_init`` whose work a kept
        article's replay reproduces (the platform's stages); any other receiver turns the index off."""
    import pelican.generators

    global _platform_receivers
    _platform_receivers = platform_receivers
    ArticlesGenerator.get_cached_data = get_cached_data
    ArticlesGenerator.cache_data = cache_data
    Readers.read_file = read_file
    Generator.get_files = get_files
    FileDataCacher.save_cache = save_cache
    FileDataCacher.__init__ = load_cache
    pelican.generators.process_translations = process_translations


def reused() -> int:
    """How many articles this process's builds took from the index instead of reading them."""
    return _reused[0]


def forget() -> None:
    """Drop every kept article and cache (tests; a process that wants its memory back)."""
    _kept.clear()
    _spares.clear()
    _saved.clear()
    _listings.clear()

"""Wording (表述规范): a lexicon of serious errors (wrong form → correct form) and sensitive words,
matched with an Aho-Corasick automaton (pyahocorasick) over every title, summary and body."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from govsite.errors import ContentInvalid, Problem
from govsite.toml_files import TomlUnreadable, read_toml

from .findings import Finding
from .items import Item, plain

DEFAULT_LEXICON = Path(__file__).with_name("lexicon.toml")


@dataclass
class Lexicon:
    """Serious errors with their correct forms, and sensitive words, in one automaton."""

    serious: dict[str, str]
    sensitive: frozenset[str]

    def __post_init__(self):
        entries = json.dumps([sorted(self.serious.items()), sorted(self.sensitive)], ensure_ascii=False)
        self.digest = hashlib.sha256(entries.encode("utf-8")).hexdigest()
        _LEXICONS[self.digest] = self
        self.automaton = ahocorasick.Automaton()
        for word in set(self.serious) | self.sensitive:
            self.automaton.add_word(word, word)
        if len(self.automaton):
            self.automaton.make_automaton()

    def scan(self, text: str) -> list[tuple[int, str]]:
        """(start, word) of every entry found in ``text``."""
        if not len(self.automaton) or not text:
            return []
        return [(end - len(word) + 1, word) for end, word in self.automaton.iter(text)]


def read_lexicon_file(path: Path) -> tuple[dict[str, str], list[str]]:
    """One lexicon file: ``[serious]`` wrong = right, ``[sensitive] words = [...]``."""
    try:
        data = read_toml(path)
    except OSError as exc:
        raise ContentInvalid([Problem(path, "", None, f"a readable TOML lexicon ({exc})")]) from exc
    except TomlUnreadable as exc:
        raise ContentInvalid([Problem(path, "", None, f"a TOML lexicon in {exc.expected}")]) from None
    serious = data.get("serious", {})
    words = data.get("sensitive", {}).get("words", [])
    if not all(isinstance(v, str) for v in serious.values()) or not all(isinstance(w, str) for w in words):
        raise ContentInvalid([Problem(path, "serious / sensitive.words", None,
                                      "wrong = \"right\" strings and a list of words")])
    return dict(serious), list(words)


def load_lexicon(config: dict) -> Lexicon:
    """The lexicon from GOVSITE_COMPLIANCE["wording"]: default file, extra files, extra entries, removals."""
    serious: dict[str, str] = {}
    sensitive: set[str] = set()
    files = ([DEFAULT_LEXICON] if config["default_lexicon"] else []) + [Path(p) for p in config["lexicon_files"]]
    for file in files:
        more, words = read_lexicon_file(file)
        serious.update(more)
        sensitive.update(words)
    serious.update(config["serious"])
    sensitive.update(config["sensitive"])
    for word in config["remove"]:
        serious.pop(word, None)
        sensitive.discard(word)
    return Lexicon(serious, frozenset(sensitive))


#: The lexicons built in this process, by digest of their entries (one per configuration: a few).
_LEXICONS: dict[str, "Lexicon"] = {}
#: Texts whose words ``words_in`` remembers: three fields for each of 40,000 articles.
TEXTS_REMEMBERED = 1 << 17


def words_in(lexicon: Lexicon, text: str, body: bool) -> tuple[str, ...]:
    """The lexicon's words in ``text`` (a body: in its text without tags), longest at each place;
    remembered by the lexicon's entries and the text, for a watching process's next build."""
    return _words(lexicon.digest, text, body)


@functools.lru_cache(maxsize=TEXTS_REMEMBERED)
def _words(digest: str, text: str, body: bool) -> tuple[str, ...]:
    return tuple(_longest(_LEXICONS[digest].scan(plain(text) if body else text)))


def check_wording(items: list[Item], lexicon: Lexicon, serious_level: str = "error",
                  sensitive_level: str = "warning") -> list[Finding]:
    """One finding per item, field and word found."""
    findings = []
    for item in items:
        for field, text in item.texts().items():
            seen = set()
            for word in words_in(lexicon, text, field == "body"):
                if word in seen:
                    continue
                seen.add(word)
                where = "正文" if field == "body" else field
                if word in lexicon.serious and serious_level != "off":
                    findings.append(Finding("wording", "serious-error", serious_level, item.file,
                                            f"{where}中有严重表述错误“{word}”", f"改为“{lexicon.serious[word]}”",
                                            veto=serious_level == "error"))
                elif word in lexicon.sensitive and word not in lexicon.serious and sensitive_level != "off":
                    findings.append(Finding("wording", "sensitive", sensitive_level, item.file,
                                            f"{where}中有敏感词“{word}”", "核实是否应当出现；不应出现的删除"))
    return findings


def _longest(found: list[tuple[int, str]]) -> list[str]:
    """Words found, without those inside a longer word found at the same place (政冶 in 中共中央政冶局)."""
    spans = [(start, start + len(word), word) for start, word in found]
    return [w for s, e, w in spans if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in spans)]

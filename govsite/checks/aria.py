"""WAI-ARIA 1.2 data (plus DPUB-ARIA and graphics roles): valid roles and attribute value types."""

from __future__ import annotations

import re

ROLES = frozenset("""
alert alertdialog application article banner blockquote button caption cell checkbox code columnheader
combobox comment complementary contentinfo definition deletion dialog directory document emphasis feed
figure form generic grid gridcell group heading img image insertion link list listbox listitem log main
mark marquee math meter menu menubar menuitem menuitemcheckbox menuitemradio navigation none note option
paragraph presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search
searchbox separator slider spinbutton status strong subscript suggestion superscript switch tab table
tablist tabpanel term textbox time timer toolbar tooltip tree treegrid treeitem
graphics-document graphics-object graphics-symbol
doc-abstract doc-acknowledgments doc-afterword doc-appendix doc-backlink doc-biblioentry doc-bibliography
doc-biblioref doc-chapter doc-colophon doc-conclusion doc-cover doc-credit doc-credits doc-dedication
doc-endnote doc-endnotes doc-epigraph doc-epilogue doc-errata doc-example doc-footnote doc-foreword
doc-glossary doc-glossref doc-index doc-introduction doc-noteref doc-notice doc-pagebreak doc-pagefooter
doc-pageheader doc-pagelist doc-part doc-preface doc-prologue doc-pullquote doc-qna doc-subtitle doc-tip doc-toc
""".split())

BOOLEAN = ("true", "false")
TRISTATE = ("true", "false", "mixed", "undefined")
TRUE_FALSE_UNDEFINED = ("true", "false", "undefined")

#: attribute -> kind: a tuple of allowed tokens, "tokens:<...>" lists, or a named kind.
ATTRIBUTES: dict[str, object] = {
    "aria-activedescendant": "idref", "aria-atomic": BOOLEAN,
    "aria-autocomplete": ("inline", "list", "both", "none"),
    "aria-braillelabel": "string", "aria-brailleroledescription": "string", "aria-busy": BOOLEAN,
    "aria-checked": TRISTATE, "aria-colcount": "integer", "aria-colindex": "integer",
    "aria-colindextext": "string", "aria-colspan": "integer", "aria-controls": "idrefs",
    "aria-current": ("page", "step", "location", "date", "time", "true", "false"),
    "aria-describedby": "idrefs", "aria-description": "string", "aria-details": "idref",
    "aria-disabled": BOOLEAN, "aria-dropeffect": ("tokens", "copy", "execute", "link", "move", "none", "popup"),
    "aria-errormessage": "idref", "aria-expanded": TRUE_FALSE_UNDEFINED, "aria-flowto": "idrefs",
    "aria-grabbed": TRUE_FALSE_UNDEFINED,
    "aria-haspopup": ("false", "true", "menu", "listbox", "tree", "grid", "dialog"),
    "aria-hidden": TRUE_FALSE_UNDEFINED, "aria-invalid": ("grammar", "false", "spelling", "true"),
    "aria-keyshortcuts": "string", "aria-label": "string", "aria-labelledby": "idrefs", "aria-level": "integer",
    "aria-live": ("assertive", "off", "polite"), "aria-modal": BOOLEAN, "aria-multiline": BOOLEAN,
    "aria-multiselectable": BOOLEAN, "aria-orientation": ("horizontal", "undefined", "vertical"),
    "aria-owns": "idrefs", "aria-placeholder": "string", "aria-posinset": "integer", "aria-pressed": TRISTATE,
    "aria-readonly": BOOLEAN, "aria-relevant": ("tokens", "additions", "all", "removals", "text"),
    "aria-required": BOOLEAN, "aria-roledescription": "string", "aria-rowcount": "integer",
    "aria-rowindex": "integer", "aria-rowindextext": "string", "aria-rowspan": "integer",
    "aria-selected": TRUE_FALSE_UNDEFINED, "aria-setsize": "integer",
    "aria-sort": ("ascending", "descending", "none", "other"),
    "aria-valuemax": "number", "aria-valuemin": "number", "aria-valuenow": "number", "aria-valuetext": "string",
}

#: The smallest value of integer attributes (WAI-ARIA 1.2; axe-core's standards agree): -1 means "unknown".
INTEGER_MINIMUM = {"aria-colcount": -1, "aria-colindex": 1, "aria-colspan": 1, "aria-level": 1, "aria-posinset": 1,
                   "aria-rowcount": -1, "aria-rowindex": 1, "aria-rowspan": 0, "aria-setsize": -1}
_INTEGER = re.compile(r"^[-+]?\d+$")  # "+22" is an integer too (axe-core agrees)
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def value_problem(name: str, value: str) -> str | None:
    """Why ``value`` is not valid for attribute ``name`` (None when valid or not checkable).

    ID references are not checked here (ACT rule 6a7281 leaves them out); empty values are
    treated as the attribute's default.
    """
    kind = ATTRIBUTES.get(name)
    value = value.strip()
    if kind is None or not value or kind in ("string", "idref", "idrefs"):
        return None
    if kind == "integer":
        least = INTEGER_MINIMUM.get(name)
        if not _INTEGER.match(value):
            return "an integer" if least is None else f"an integer of at least {least}"
        return None if least is None or int(value) >= least else f"an integer of at least {least}"
    if kind == "number":
        return None if _NUMBER.match(value) else "a number"
    allowed = kind[1:] if kind[0] == "tokens" else kind
    tokens = value.lower().split() if kind[0] == "tokens" else [value.lower()]
    bad = [t for t in tokens if t not in allowed]
    return ("one of: " + ", ".join(allowed)) if bad or not tokens else None

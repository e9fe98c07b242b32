"""Post-filters: axe-core results the gate drops as known false positives, decided in the page itself.

Each filter is measured on the W3C ACT Rules cases (bench/act_conformance.py) and has a failing and
a passing page in tests/test_axe_core.py; docs/gate.md lists them. A dropped node is counted in the
report (``axe.filtered``), never silently lost. ``GOVSITE_A11Y['axe_post_filters'] = False`` turns
them off.

- ``not-an-html-document``: rules about the HTML page (``html-has-lang``, ``document-title``, …) on a
  document that is not an HTML page (an SVG, MathML or other XML document; Chromium shows XML in an
  HTML viewer, so the content type decides): the ACT rules
  (b5c3f8, 2779a5) are inapplicable there.
- ``label-in-name-text``: ``label-content-name-mismatch`` when the visible label is, after removing
  punctuation and symbols (full-width Chinese punctuation included, axe-core issue 5308) and ignoring
  case, inside the accessible name: word by word, each visible word equal to the name's word, or its
  start when the visible word is an abbreviation ending in "."; Chinese, Japanese and Korean text as a
  plain substring (ACT 2ee8b8 passed cases "Next…", "University Ave.", "non-standard"; its failed
  cases "Discover It", "W C A G", "just ice" still fail).
- ``inert-frame``: ``frame-focusable-content`` on an iframe that is inert (behind an open modal
  ``<dialog>`` or inside ``[inert]``): nothing in it can take focus, whatever its tabindex (ACT
  akn7bn inapplicable cases).
"""

from __future__ import annotations

#: Rules that only apply to an HTML page's document element or head.
HTML_PAGE_RULES = ("html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "document-title",
                   "page-has-heading-one", "landmark-one-main", "region", "bypass", "meta-viewport",
                   "meta-refresh", "meta-refresh-no-exceptions")

#: JavaScript: ``postFilter(results)`` removes the false-positive nodes from axe's results (violations and
#: incomplete), drops rules left without nodes, and returns ``{filter id: nodes dropped}``.
POST_FILTER_JS = r"""
function postFilter(results) {
  var dropped = {}, htmlPageRules = %s;
  var root = document.documentElement;
  var isHtml = /^(text\/html|application\/xhtml\+xml)$/.test(document.contentType || '') && !!root
    && root.namespaceURI === 'http://www.w3.org/1999/xhtml' && root.localName === 'html';
  function note(id) { dropped[id] = (dropped[id] || 0) + 1; }
  function tokens(text) {  // words without punctuation or symbols; "Ave." marks an abbreviation
    return String(text || '').normalize('NFKC').toLowerCase().split(/\s+/).map(function (w) {
      return {word: w.replace(/[\p{P}\p{S}]/gu, ''), abbreviation: /\p{L}\.$/u.test(w)};
    }).filter(function (t) { return t.word; });
  }
  function labelInName(label, name) {
    var l = tokens(label), n = tokens(name).map(function (t) { return t.word; });
    if (!l.length) { return true; }
    var joined = l.map(function (t) { return t.word; }).join('');
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(joined)) {
      return n.join('').indexOf(joined) !== -1;  // no spaces between words to align on
    }
    for (var start = 0; start + l.length <= n.length; start++) {
      var ok = true;
      for (var i = 0; i < l.length && ok; i++) {
        var word = n[start + i];
        ok = word === l[i].word || (l[i].abbreviation && word.indexOf(l[i].word) === 0);
      }
      if (ok) { return true; }
    }
    return false;
  }
  function element(node) {
    var t = node.target;
    if (!t || t.length !== 1 || typeof t[0] !== 'string') { return null; }  // in a frame or shadow root: kept
    try { return document.querySelector(t[0]); } catch (e) { return null; }
  }
  function inert(el) {  // behind an open modal dialog, or in an [inert] subtree: out of the focus order
    if (el.closest('[inert]')) { return true; }
    var modal = null;
    try { modal = document.querySelector('dialog:modal'); } catch (e) { modal = null; }
    return !!modal && !modal.contains(el);
  }
  function falsePositive(rule, node) {
    if (!isHtml && htmlPageRules.indexOf(rule) !== -1) { return 'not-an-html-document'; }
    if (rule === 'label-content-name-mismatch') {
      var el = element(node);
      if (el && !setUp) { axe.setup(document); setUp = true; }  // accessible names need axe's virtual tree
      if (el && labelInName(el.innerText || el.textContent, axe.commons.text.accessibleText(el))) {
        return 'label-in-name-text';
      }
    }
    if (rule === 'frame-focusable-content') {
      var frame = null;  // the node is the frame's document: its target starts with the iframe's selector
      try { frame = typeof node.target[0] === 'string' ? document.querySelector(node.target[0]) : null; } catch (e) {}
      if (frame && frame.localName === 'iframe' && inert(frame)) { return 'inert-frame'; }
    }
    return '';
  }
  var setUp = false;
  try {
  ['violations', 'incomplete'].forEach(function (key) {
    results[key] = results[key].filter(function (rule) {
      if (rule.error) { return true; }
      rule.nodes = rule.nodes.filter(function (node) {
        var why = falsePositive(rule.id, node);
        if (why) { note(why); }
        return !why;
      });
      return rule.nodes.length > 0;
    });
  });
  } finally { if (setUp) { axe.teardown(); } }
  return dropped;
}
""" % (list(HTML_PAGE_RULES),)

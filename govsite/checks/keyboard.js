/* In-page measurements of the keyboard engine (checks/keyboard_engine.py): window.__govsiteKeys.
   Every function returns plain JSON data; nothing here moves focus except focusEach and refocus. */
(function () {
  if (window.__govsiteKeys) { return; }
  var K = window.__govsiteKeys = {token: String(Math.random()).slice(2), opened: [], looks: new Map()};
  window.open = function (url) { K.opened.push(String(url || '')); return null; };  // a new window is a change of context

  function unique(sel) { try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; } }
  function selector(el) {
    if (!el || el.nodeType !== 1) { return ''; }
    var parts = [];
    while (el && el.nodeType === 1 && el !== document.documentElement) {
      if (el.id && unique('#' + CSS.escape(el.id))) { parts.unshift('#' + CSS.escape(el.id)); break; }
      var part = el.localName, parent = el.parentElement;
      if (parent) {
        var same = Array.prototype.filter.call(parent.children, function (c) { return c.localName === el.localName; });
        if (same.length > 1) { part += ':nth-of-type(' + (same.indexOf(el) + 1) + ')'; }
      }
      parts.unshift(part);
      el = parent;
    }
    return parts.join(' > ');
  }
  K.selector = selector;

  function rgba(text) {
    var m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) { return null; }
    var v = m[1].split(/[ ,/]+/).filter(Boolean).map(parseFloat);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  }
  function over(top, below) {  // composite a colour over an opaque one
    var a = top[3];
    return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
  }
  function luminance(c) {
    var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function behind(el) {  // the opaque colour behind an element (its ancestors' backgrounds; white at the root)
    var layers = [];
    for (var e = el.parentElement; e; e = e.parentElement) {
      var c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) { break; } }
    }
    var colour = [255, 255, 255, 1];
    for (var i = layers.length - 1; i >= 0; i--) { colour = over(layers[i], colour); }
    return colour;
  }
  K.contrast = contrast;

  function look(el) {
    var s = getComputedStyle(el);
    return {outline: s.outlineStyle === 'none' ? 'none' : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
            outlineWidth: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth) || 0, outlineColor: s.outlineColor,
            shadow: s.boxShadow, bg: s.backgroundColor, color: s.color, deco: s.textDecorationLine,
            borders: ['Top', 'Right', 'Bottom', 'Left'].map(function (side) {
              return [s['border' + side + 'Style'] === 'none' ? 0 : parseFloat(s['border' + side + 'Width']) || 0,
                      s['border' + side + 'Color']]; }),
            before: getComputedStyle(el, '::before').content + getComputedStyle(el, '::before').backgroundColor,
            after: getComputedStyle(el, '::after').content + getComputedStyle(el, '::after').backgroundColor};
  }

  /* Why the focused look differs visibly from the unfocused one (3:1 contrast, at least a 1 px
     perimeter), or '' when the styles alone do not show it (the engine then compares screenshots). */
  function indicator(el, was, now) {
    var base = behind(el), own = rgba(now.bg), fill = own ? over(own, base) : base;
    var wasFill = rgba(was.bg) ? over(rgba(was.bg), base) : base;
    if (now.outline !== was.outline && now.outlineWidth >= 1) {
      var oc = rgba(now.outlineColor);
      if (oc && oc[3] > 0 && contrast(over(oc, base), base) >= 3) { return 'outline'; }
      if (oc && oc[3] > 0 && contrast(over(oc, fill), fill) >= 3) { return 'outline'; }
    }
    if (now.shadow !== was.shadow && now.shadow !== 'none') {
      var colours = now.shadow.match(/rgba?\([^)]+\)/g) || [];
      var sizes = now.shadow.replace(/rgba?\([^)]+\)/g, '').match(/-?[\d.]+px/g) || [];
      var big = sizes.some(function (v) { return Math.abs(parseFloat(v)) >= 1; });
      if (big && colours.some(function (c) { var k = rgba(c); return k && k[3] > 0 && contrast(over(k, base), base) >= 3; })) {
        return 'box-shadow';
      }
    }
    for (var i = 0; i < 4; i++) {
      var a = was.borders[i], b = now.borders[i];
      if (b[0] >= 1 && (a[0] !== b[0] || a[1] !== b[1])) {
        var bc = rgba(b[1]), ac = a[0] >= 1 && rgba(a[1]) ? over(rgba(a[1]), base) : base;
        if (bc && bc[3] > 0 && contrast(over(bc, base), ac) >= 3 && (i === 0 || i === 2)) { return 'border'; }
      }
    }
    if (now.bg !== was.bg && contrast(fill, wasFill) >= 3) { return 'background'; }
    var c1 = rgba(was.color), c2 = rgba(now.color);
    if (c1 && c2 && contrast(over(c1, wasFill), over(c2, fill)) >= 3) { return 'text colour'; }
    if (now.deco !== was.deco && /underline|overline/.test(now.deco) && !/underline|overline/.test(was.deco)) { return 'underline'; }
    return '';
  }

  function tabbable(el) {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) { return false; }
    var s = getComputedStyle(el);
    if (s.visibility !== 'visible' || !el.getClientRects().length) { return false; }
    return true;
  }
  var FOCUSABLE = 'a[href],area[href],button,input:not([type=hidden]),select,textarea,iframe,summary,[tabindex],[contenteditable]:not([contenteditable=false]),audio[controls],video[controls]';

  function box(el) {
    var r = el.getBoundingClientRect();
    return {x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height, vx: r.left, vy: r.top};
  }

  /* Before a walk: the tabbable elements in DOM order and their unfocused look. */
  K.prepare = function () {
    K.looks = new Map();
    var list = Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), tabbable);
    list.forEach(function (el) { K.looks.set(el, look(el)); });
    K.opened = [];
    K.ltr = getComputedStyle(document.documentElement).direction !== 'rtl';
    var positive = list.filter(function (el) { return el.tabIndex > 0; }).map(selector);
    return {token: K.token, url: location.href.split('#')[0], count: list.length, positive: positive,
            frames: document.querySelectorAll('iframe,frame').length,
            dom: list.map(selector).slice(0, 400), ltr: getComputedStyle(document.documentElement).direction !== 'rtl'};
  };

  /* Blur and clear the selection so that the next Tab starts from the top of the document. */
  K.restart = function () {
    if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
    if (window.getSelection) { getSelection().removeAllRanges(); }
    scrollTo(0, 0);
    K.last = null;
    K.recording = false;
    return true;
  };

  function deepActive() {
    var a = document.activeElement, frames = [];
    for (;;) {
      if (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; continue; }
      if (a && a.localName === 'iframe') {
        try { if (a.contentDocument && a.contentDocument.activeElement && a.contentDocument.activeElement !== a.contentDocument.body) {
          frames.push(selector(a)); a = a.contentDocument.activeElement; continue; } } catch (e) { /* cross-origin */ }
      }
      return {el: a, frames: frames};
    }
  }

  function obscured(el) {
    var r = el.getBoundingClientRect();
    if (!r.width || !r.height) { return ''; }
    var points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
                  [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
    var inside = 0, by = '';
    for (var i = 0; i < points.length; i++) {
      var x = points[i][0], y = points[i][1];
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { continue; }
      inside += 1;
      var hit = document.elementFromPoint(x, y);
      if (!hit || hit === el || el.contains(hit) || hit.contains(el) || (el.labels && Array.prototype.some.call(el.labels, function (l) { return l.contains(hit); }))) { return ''; }
      by = by || selector(hit);
    }
    return inside ? by : 'off-screen';
  }

  /* Note every element that gets focus (one that drops it at once is seen here, not at a stop). */
  K.listen = function () {
    if (K.log) { return true; }
    K.log = [];
    K.tabs = 0;
    K.record = [];
    // Each Tab records where focus is before it moves on: the stop the previous Tab reached.
    window.addEventListener('keydown', function (e) {
      if (e.key !== 'Tab') { return; }
      K.tabs += 1;
      if (K.recording && K.record.length < 400) { K.record.push(K.stop()); }
    }, true);
    document.addEventListener('focus', function (e) { if (K.log.length < 50 && e.target.nodeType === 1) { K.log.push(e.target); } }, true);
    // Whether the document changed while a stop had focus (a focus listener's doing: its indicator is not reused).
    K.changes = 0;
    K.observer = new MutationObserver(function (records) { K.changes += records.length; });
    K.observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    return true;
  };

  /* After a Tab: where focus is and what it looks like. */
  K.stop = function () {
    var found = deepActive(), el = found.el;
    var changed = K.changes + (K.observer ? K.observer.takeRecords().length : 0);
    K.changes = 0;
    var out = {token: K.token, url: location.href.split('#')[0], opened: K.opened.splice(0), mutated: changed > 0,
               passed: (K.log || []).splice(0).filter(function (e) { return e !== el && e.isConnected && e.nodeType === 1; })
                 .map(function (e) { return {selector: selector(e), html: e.outerHTML.slice(0, 240)}; })};
    if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) {
      out.body = true; return out;
    }
    out.selector = (found.frames.length ? found.frames.join(' >>> ') + ' >>> ' : '') + selector(el);
    out.frame = found.frames.length > 0 || el.localName === 'iframe';
    out.tabindex = el.tabIndex;
    out.box = box(el);
    if (found.frames.length) { return out; }
    var was = K.looks.get(el);
    out.indicator = was ? indicator(el, was, look(el)) : '';
    out.known = !!was;
    out.obscured = obscured(el);
    out.html = el.outerHTML.slice(0, 240);
    out.backward = K.last && K.last !== el && K.last.isConnected && backward(K.last, el) ? selector(K.last) : '';
    K.last = el;
    return out;
  };

  /* Record a stop at every Tab from now on (before the walk's first key is sent). */
  K.startRecording = function () {
    K.recording = true; K.record.length = 0; K.log.length = 0; K.changes = 0; K.observer.takeRecords();
    return K.tabs;
  };

  /* The stops recorded up to the n-th Tab (key events and this call are sent together): waits until
     the page has seen that Tab and ``settle`` ms more for the page's own reaction. */
  K.collect = function (n, settle) {
    return new Promise(function (resolve) {
      var waited = 0;
      (function poll() {
        if (K.tabs >= n) { setTimeout(function () { resolve({token: K.token, stops: K.record.splice(0)}); }, settle); return; }
        if ((waited += 1) > 500) { resolve({lost: true, token: K.token, stops: K.record.splice(0)}); return; }
        setTimeout(poll, 1);
      })();
    });
  };

  /* Focus went from ``a`` to ``b`` leftwards on the same line, inside one small component (2.4.3). */
  function backward(a, b) {
    var ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    if (!ra.height || !rb.height) { return false; }
    var overlap = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    var leftwards = K.ltr ? rb.right <= ra.left + 1 : rb.left >= ra.right - 1;
    if (overlap < 0.5 * Math.min(ra.height, rb.height) || !leftwards) { return false; }
    var depth = 0;
    for (var c = b.parentElement; c && !c.contains(a); c = c.parentElement) { depth += 1; }
    return depth <= 3;
  }

  /* Focus (or blur) the element ``sel`` (screenshots of both states). */
  K.refocus = function (sel, on) {
    var el = document.querySelector(sel);
    if (!el) { return false; }
    if (on) { el.focus(); } else { el.blur(); }
    if (K.log) { K.log.length = 0; }
    var at = box(el);
    at.keyboard = !on || el.matches(':focus-visible');  // script focus shows the keyboard focus style
    return at;
  };

  /* The box of the element ``sel`` if it has focus (``keyboard``: it matches :focus-visible), else null. */
  K.focused = function (sel) {
    var el = document.querySelector(sel);
    if (!el || document.activeElement !== el) { return null; }
    if (K.log) { K.log.length = 0; }
    var at = box(el);
    at.keyboard = el.matches(':focus-visible');
    return at;
  };

  /* The unfocused look of every tabbable element (in a new mode). */
  K.relook = function () {
    K.looks = new Map();
    Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), tabbable).forEach(function (el) { K.looks.set(el, look(el)); });
    return true;
  };

  /* Focus each listed element by script (after a real Tab, so :focus-visible applies): {undecided: the stops
     whose styles show no indicator, verified: digests of those that do, reused: stops not focused because
     ``reuse.verified`` has their digest}. ``reuse`` null: no digests. */
  K.focusEach = function (sels, reuse) {
    var out = [], verified = [], reused = 0, known = reuse ? new Set(reuse.verified) : null;
    var changing = new Set(reuse ? reuse.changing : []), page = reuse ? pageContext(reuse.scripts) : null, memo = new Map();
    sels.forEach(function (sel) {
      var el = document.querySelector(sel);
      var was = el && K.looks.get(el);
      if (!was) { return; }
      var key = page && !changing.has(sel) ? stopDigest(el, page, memo) : null;
      if (key && known.has(key)) { reused += 1; return; }
      el.focus();
      if (document.activeElement !== el) { return; }
      var why = indicator(el, was, look(el));
      if (!why) { out.push({selector: sel, box: box(el), html: el.outerHTML.slice(0, 240)}); }
      else if (key && el.matches(':focus-visible')) { verified.push(key); }
    });
    if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
    return {undecided: out, verified: verified, reused: reused};
  };

  /* Digests for reusing a stop's verified focus indicator on another page. */
  function hash(text, seed) {  // cyrb53: a 53-bit string hash
    var h1 = 0xdeadbeef ^ seed, h2 = 0x41c6ce57 ^ seed;
    for (var i = 0, ch; i < text.length; i++) {
      ch = text.charCodeAt(i); h1 = Math.imul(h1 ^ ch, 2654435761); h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
  function digest(text) { return hash(text, 1) + '.' + hash(text, 7); }  // 106 bits
  function rulesText(rules) {
    return Array.prototype.map.call(rules, function (r) {
      return r.styleSheet ? r.cssText + '{' + rulesText(r.styleSheet.cssRules) + '}' : r.cssText; }).join('\n');
  }
  /* What decides every element's computed style besides its own place in the document: the text of every
     stylesheet rule, the window, the URL fragment, what the pointer hovers and the page-wide focus listeners
     (``scripts``). Null when a stylesheet cannot be read or uses container queries or shadow parts.
     ``sibling``: the selectors of rules that look at siblings, positions or contents (+, ~, :nth-child,
     :first-child, :has, :empty...), pseudo-elements and focus/hover states taken out, each tested on every
     element of a stop's place; ``text``: every rule's text (an attribute it never names cannot change a style). */
  function pageContext(scripts) {
    var hovered = Array.prototype.map.call(document.querySelectorAll(':hover'), function (e) { return selector(e) + shallow(e, null); });
    // the page's scripts (URL or text) with the position of each page-wide focus listener: the listeners' identity
    var code = Array.prototype.filter.call(document.scripts, function (e) { return !e.type || /script|module/i.test(e.type); })
      .map(function (e) { return e.src || digest(e.textContent); }).join(' ');
    var parts = [innerWidth, innerHeight, devicePixelRatio, location.hash, scripts, code, hovered.join(' ')], sibling = [];
    var sheets = Array.prototype.slice.call(document.styleSheets).concat(Array.prototype.slice.call(document.adoptedStyleSheets || []));
    function collect(rules) {
      Array.prototype.forEach.call(rules, function (r) {
        if (r.styleSheet) { collect(r.styleSheet.cssRules); }
        if (r.cssRules) { collect(r.cssRules); }
        if (r.selectorText && /[+~]|:nth-|:(first|last|only)-(child|of-type)|:has\(|:empty/.test(r.selectorText)) {
          sibling.push(r.selectorText.replace(/::?(before|after|first-line|first-letter)\b|::[\w-]+(\([^)]*\))?/g, '')
                         .replace(/:(focus-visible|focus-within|focus|hover|active)\b/g, ':is(*)'));
        }
      });
    }
    for (var i = 0; i < sheets.length; i++) {
      var sheet = sheets[i], text;
      try { text = rulesText(sheet.cssRules); collect(sheet.cssRules); } catch (e) { return null; }  // cross-origin
      parts.push(sheet.href, sheet.disabled, sheet.media && sheet.media.mediaText, text);
    }
    var all = parts.join('\n');
    // (a focus or hover state under :not cannot be taken out: the selector would match less, not more)
    if (/@container|::slotted|::part/i.test(all)
        || sibling.some(function (sel) { return /:not\(/.test(sel) && /:is\(\*\)/.test(sel); })) { return null; }
    return {digest: digest(all), sibling: sibling, text: all};
  }
  var STATES = [':hover', ':active', ':checked', ':indeterminate', ':invalid', ':placeholder-shown', ':target', ':defined',
                ':autofill', ':open', ':popover-open', ':modal', ':fullscreen', ':default', ':disabled', ':read-only',
                ':required', ':link', ':in-range'];
  function state(el) {
    return STATES.map(function (p) { try { return el.matches(p) ? '1' : '0'; } catch (e) { return '-'; } }).join('');
  }
  /* An element's tag and attributes; with the page's rules' ``text``, data-* and aria-* attributes that no rule
     names are left out (they change no style: the browser's own stylesheet names none either). */
  function shallow(el, text) {
    return el.localName + '[' + Array.prototype.filter.call(el.attributes, function (a) {
      return !text || !/^(data|aria)-/.test(a.name) || text.indexOf(a.name) >= 0; })
      .map(function (a) { return a.name + '=' + a.value; }).sort().join(' ') + ']';
  }
  /* An element's place: its tag, attributes and state, which of the rules that look at siblings match it, and
     its parent's place; null for an element with focus listeners of its own, in or hosting a shadow tree, or
     where a sibling rule cannot be tested. */
  function place(el, context, memo) {
    if (!el) { return ''; }
    if (memo.has(el)) { return memo.get(el); }
    var parent = el.parentElement, out = null;
    var listened = (K.marked || []).some(function (m) {
      return m.el === el && m.types.some(function (t) { return /^focus|^blur/.test(t); }); });
    var above = parent ? place(parent, context, memo) : '';
    if (!listened && above !== null && !el.shadowRoot && !el.assignedSlot && el.getRootNode() === document) {
      try {
        var bits = context.sibling.map(function (sel) { return el.matches(sel) ? '1' : '0'; }).join('');
        out = digest(above + '/' + shallow(el, context.text) + state(el) + '{' + bits + '}');
      } catch (e) { out = null; }
    }
    memo.set(el, out);
    return out;
  }
  function stopDigest(el, context, memo) {
    var where = place(el, context, memo);
    if (where === null) { return null; }
    var fields = [el].concat(Array.prototype.slice.call(el.querySelectorAll('input,select,textarea,[contenteditable]')))
      .map(function (f) { return [f.value, f.checked, state(f)].join(','); }).join(';');
    return digest(context.digest + '|' + where + '|' + el.outerHTML + '|' + fields);
  }

  /* Elements the Tab walk never reached that have mouse listeners (marked by the engine as data). */
  K.mouseOnly = function (reached) {
    var seen = new Set(reached), out = [];
    (K.marked || []).forEach(function (item) {
      var el = item.el;
      if (!el || el === document.body || el === document.documentElement || !el.getClientRects().length) { return; }
      if (getComputedStyle(el).visibility !== 'visible' || el.closest('label')) { return; }
      if (el.matches(FOCUSABLE) && el.tabIndex >= 0) { return; }
      if (el.querySelector(FOCUSABLE) || el.closest('a[href],button,summary,[tabindex]:not([tabindex="-1"])')) { return; }
      var sel = selector(el);
      if (seen.has(sel) || !item.types.some(function (t) { return /^(click|mouse|pointer|dblclick)/.test(t); })) { return; }
      out.push({selector: sel, types: item.types, box: box(el), html: el.outerHTML.slice(0, 240)});
    });
    return out;
  };

  /* Visible, tabbable elements right now (what hovering revealed). */
  K.visibleTabbables = function () {
    return Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), tabbable).map(selector);
  };

  /* Text cut off by an element with overflow hidden or clip: [{selector, text, axis}]. */
  K.clipped = function () {
    var out = [], all = document.body ? document.body.getElementsByTagName('*') : [];
    for (var i = 0; i < all.length && out.length < 50; i++) {
      var el = all[i], s = getComputedStyle(el);
      var cx = s.overflowX === 'hidden' || s.overflowX === 'clip', cy = s.overflowY === 'hidden' || s.overflowY === 'clip';
      if (!cx && !cy) { continue; }
      if (el.clientWidth <= 2 || el.clientHeight <= 2 || s.visibility !== 'visible' || s.clip !== 'auto'
          || (s.clipPath && s.clipPath !== 'none')) { continue; }
      if (!((cx && el.scrollWidth > el.clientWidth + 1) || (cy && el.scrollHeight > el.clientHeight + 1))) { continue; }
      var r = el.getBoundingClientRect(), walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node, cut = '';
      while (!cut && (node = walker.nextNode())) {
        if (!node.data.trim() || !node.parentElement || getComputedStyle(node.parentElement).visibility !== 'visible') { continue; }
        var range = document.createRange(); range.selectNodeContents(node);
        var rects = range.getClientRects();
        for (var j = 0; j < rects.length; j++) {
          var t = rects[j];
          if (!t.width || !t.height) { continue; }
          if ((cx && (t.right > r.right + 1 || t.left < r.left - 1)) || (cy && (t.bottom > r.bottom + 1 || t.top < r.top - 1))) {
            cut = node.data.trim().slice(0, 80); break;
          }
        }
      }
      if (cut) { out.push({selector: selector(el), text: cut, box: box(el), ellipsis: s.textOverflow === 'ellipsis'}); }
    }
    return out;
  };

  var EXEMPT = 'table,pre,code,img,svg,video,canvas,iframe,math,object,embed,[role=img],[role=application]';
  /* Content wider than the viewport (the page scrolls sideways): the outermost offenders. */
  K.overflow = function () {
    var width = document.documentElement.clientWidth, out = [];
    if (document.scrollingElement.scrollWidth <= width + 1) { return {scrolls: false, width: width, offenders: out}; }
    var all = document.body.getElementsByTagName('*');
    for (var i = 0; i < all.length && out.length < 10; i++) {
      var el = all[i], r = el.getBoundingClientRect();
      if (r.right <= width + 1 || !r.width || el.closest(EXEMPT)) { continue; }
      var s = getComputedStyle(el);
      if (s.position === 'fixed' || s.visibility !== 'visible') { continue; }
      var parent = el.parentElement, pr = parent && parent.getBoundingClientRect();
      if (parent && parent !== document.body && pr.right > width + 1 && !parent.closest(EXEMPT)) { continue; }
      var clipped = false;
      for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        var o = getComputedStyle(a).overflowX;
        if (o !== 'visible') { clipped = true; break; }
      }
      if (!clipped) { out.push({selector: selector(el), box: box(el), html: el.outerHTML.slice(0, 240)}); }
    }
    return {scrolls: out.length > 0, width: width, offenders: out};
  };

  /* The rotation (degrees) of <html> and <body> from transform and rotate (null when not rendered). */
  K.angles = function () {
    return [document.documentElement, document.body].map(function (el) {
      if (!el || !el.getClientRects().length) { return null; }
      var s = getComputedStyle(el), m = new DOMMatrix(s.transform === 'none' ? undefined : s.transform);
      var angle = Math.atan2(m.b, m.a) * 180 / Math.PI, r = (s.rotate || 'none').trim().split(/\s+/);
      var unit = /^(-?[\d.e+-]+)(deg|rad|turn|grad)$/.exec(r[r.length - 1]);
      if (unit && (r.length === 1 || r.slice(0, 3).join(' ') === '0 0 1' || r[0] === 'z')) {
        angle += parseFloat(unit[1]) * {deg: 1, rad: 180 / Math.PI, turn: 360, grad: 0.9}[unit[2]];
      }
      return angle;
    });
  };

  var SPACING_CSS = '*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}' +
                    'p{margin-bottom:2em!important}';
  /* The WCAG 1.4.12 text-spacing override on (true) or off. */
  K.spacing = function (on) {
    var style = document.getElementById('__govsite_spacing');
    if (on && !style) {
      style = document.createElement('style'); style.id = '__govsite_spacing'; style.textContent = SPACING_CSS;
      document.documentElement.appendChild(style);
    } else if (!on && style) { style.remove(); }
    void document.documentElement.offsetHeight;
    return true;
  };

  /* Controls that may change context when their value changes: selects and fields with change or input listeners. */
  K.inputs = function () {
    return (K.marked || []).filter(function (item) {
      return item.el && item.el.matches('select,input,textarea') && tabbable(item.el)
        && item.types.some(function (t) { return t === 'change' || t === 'input'; }); })
                 .map(function (item) { return {selector: selector(item.el), tag: item.el.localName,
                                                value: item.el.value, box: box(item.el), html: item.el.outerHTML.slice(0, 240)}; });
  };
  K.restore = function (sel, value) {
    var el = document.querySelector(sel);
    if (el) { el.value = value; el.blur(); }
    return true;
  };

  /* How many pixels differ with 3:1 contrast between two PNG screenshots (base64) of the same box. */
  K.diff = function (a, b) {
    function load(text) {
      var bin = atob(text), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
      return createImageBitmap(new Blob([bytes], {type: 'image/png'}));
    }
    return Promise.all([load(a), load(b)]).then(function (images) {
      var w = Math.min(images[0].width, images[1].width), h = Math.min(images[0].height, images[1].height);
      var canvas = new OffscreenCanvas(w, h), ctx = canvas.getContext('2d');
      ctx.drawImage(images[0], 0, 0); var p = ctx.getImageData(0, 0, w, h).data;
      ctx.clearRect(0, 0, w, h); ctx.drawImage(images[1], 0, 0); var q = ctx.getImageData(0, 0, w, h).data;
      var count = 0;
      for (var i = 0; i < p.length; i += 4) {
        if (p[i] === q[i] && p[i + 1] === q[i + 1] && p[i + 2] === q[i + 2]) { continue; }
        if (contrast([p[i], p[i + 1], p[i + 2]], [q[i], q[i + 1], q[i + 2]]) >= 3) { count += 1; }
      }
      return count;
    });
  };

  /* Unfocused form fields whose boundary (border or fill) has under 3:1 contrast with what is behind them. */
  K.boundaries = function () {
    var out = [];
    document.querySelectorAll('input:not([type]),input[type=text],input[type=search],input[type=email],input[type=tel],input[type=url],input[type=password],input[type=number],textarea,select').forEach(function (el) {
      if (!tabbable(el) || document.activeElement === el) { return; }
      var s = getComputedStyle(el), base = behind(el), fill = rgba(s.backgroundColor);
      var filled = fill && fill[3] > 0 ? over(fill, base) : base;
      if (contrast(filled, base) >= 3) { return; }
      var seen = ['Top', 'Right', 'Bottom', 'Left'].some(function (side) {
        var w = s['border' + side + 'Style'] === 'none' ? 0 : parseFloat(s['border' + side + 'Width']);
        var c = rgba(s['border' + side + 'Color']);
        return w >= 1 && c && c[3] > 0 && contrast(over(c, base), base) >= 3;
      });
      if (!seen) { out.push({selector: selector(el), box: box(el), html: el.outerHTML.slice(0, 240)}); }
    });
    return out;
  };
  /* Switch to a display mode: remove every mode attribute (``every``) from <html>, set ``attrs``, lay out. */
  K.mode = function (every, attrs) {
    var r = document.documentElement;
    every.forEach(function (x) { r.removeAttribute(x); });
    Object.keys(attrs).forEach(function (x) { r.setAttribute(x, attrs[x]); });
    void r.offsetHeight;
    return true;
  };

  /* One layout measurement in one round trip, with nothing focused: the layout key and, unless a layout with that key was
     measured already at this size (``seen``), the clipped text and overlapping text (and with ``wide``
     the sideways overflow; with ``spaced`` the same again under the text-spacing override). */
  K.measure = function (seen, wide, spaced) {
    // the page at rest: a control drawn only while focused (a skip link over the header) is not the layout
    if (document.activeElement && document.activeElement !== document.body && document.activeElement.blur) {
      document.activeElement.blur();
    }
    var key = K.layoutKey();
    if (seen.indexOf(key) >= 0) { return {key: key, reused: true}; }
    var out = {key: key, reused: false, clipped: K.clipped(), overlaps: K.overlaps()};
    if (wide) { out.overflow = K.overflow(); }
    if (spaced) {
      K.spacing(true);
      try { out.spaced = {clipped: K.clipped(), overlaps: K.overlaps()}; } finally { K.spacing(false); }
    }
    return out;
  };

  /* A digest of the page's layout (every element's box, rounded to 1/4 px, its overflow and visibility): two
     modes with the same digest at one window size clip and overlap text alike (colour-only modes). */
  K.layoutKey = function () {
    var all = document.getElementsByTagName('*'), h = 0;
    for (var i = 0; i < all.length; i++) {
      var r = all[i].getBoundingClientRect(), s = getComputedStyle(all[i]);
      var line = i + ':' + Math.round(r.left * 4) + ',' + Math.round(r.top * 4) + ',' + Math.round(r.width * 4) + ','
        + Math.round(r.height * 4) + s.overflowX + s.overflowY + s.visibility + s.textOverflow;
      for (var j = 0; j < line.length; j++) { h = (h * 31 + line.charCodeAt(j)) | 0; }
    }
    return all.length + ':' + h + ':' + document.documentElement.scrollWidth + 'x' + document.documentElement.scrollHeight;
  };

  /* Lines of text drawn over other text (1.4.4, 1.4.10, 1.4.12: "overlapping"): pairs of visible text boxes
     of different elements, neither inside the other, overlapping by over a third of the smaller line.
     [{key, selector, other, text, box}]; the key names the pair, so only pairs a change newly made count. */
  /* The visible part of an element's box as its clipping ancestors leave it (overflow other than visible,
     a CSS clip or clip-path: screen-reader-only text), or null when nothing of it shows. */
  function clipBox(el, memo) {
    if (!el || el === document.body || el === document.documentElement) { return {top: -1e9, bottom: 1e9, left: -1e9, right: 1e9}; }
    if (memo.has(el)) { return memo.get(el); }
    var outer = clipBox(el.parentElement, memo), s = getComputedStyle(el), out = outer;
    if (outer && ((s.clip && s.clip !== 'auto') || (s.clipPath && s.clipPath !== 'none'))) {
      out = null;
    } else if (outer && (s.overflowX !== 'visible' || s.overflowY !== 'visible')) {
      var r = el.getBoundingClientRect();
      out = {top: Math.max(outer.top, r.top), bottom: Math.min(outer.bottom, r.bottom),
             left: Math.max(outer.left, r.left), right: Math.min(outer.right, r.right)};
      if (out.bottom - out.top < 2 || out.right - out.left < 2) { out = null; }
    }
    memo.set(el, out);
    return out;
  }

  K.overlaps = function () {
    var lines = [], body = document.body, memo = new Map();
    if (!body) { return []; }
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode()) && lines.length < 3000) {
      var parent = node.parentElement;
      if (!node.data.trim() || !parent || parent.closest('script,style,noscript,template,svg')) { continue; }
      var s = getComputedStyle(parent);
      if (s.visibility !== 'visible' || parseFloat(s.opacity) === 0) { continue; }
      var clip = clipBox(parent, memo);
      if (!clip) { continue; }
      var range = document.createRange(); range.selectNodeContents(node);
      var rects = range.getClientRects();
      for (var j = 0; j < rects.length; j++) {
        var t = rects[j];
        var top = Math.max(t.top, clip.top), bottom = Math.min(t.bottom, clip.bottom);
        var left = Math.max(t.left, clip.left), right = Math.min(t.right, clip.right);
        if (right - left > 1 && bottom - top > 1) { lines.push({el: parent, node: node, top: top, bottom: bottom, left: left, right: right}); }
      }
    }
    lines.sort(function (a, b) { return a.top - b.top; });
    var out = [], seen = new Set();
    for (var i = 0; i < lines.length && out.length < 20; i++) {
      var a = lines[i];
      for (var k = i + 1; k < lines.length && lines[k].top < a.bottom; k++) {
        var b = lines[k];
        if (a.node === b.node || a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) { continue; }
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        var smaller = Math.min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top));
        if (w <= 0 || h <= 0 || w * h < smaller / 3) { continue; }
        var first = selector(a.el), second = selector(b.el), key = first < second ? first + '|' + second : second + '|' + first;
        if (seen.has(key)) { continue; }
        seen.add(key);
        out.push({key: key, selector: first, other: second, text: a.node.data.trim().slice(0, 60),
                  box: {x: Math.min(a.left, b.left) + scrollX, y: Math.min(a.top, b.top) + scrollY,
                        w: Math.max(a.right, b.right) - Math.min(a.left, b.left), h: Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top)}});
      }
    }
    return out;
  };

  /* Single-character shortcuts (2.1.4): record the keys whose events changed the page while focus was on the
     page itself. Mutations are counted inside each event's own dispatch (a capturing listener on window clears
     them, a bubbling one counts them), so timers and animations never count. */
  K.watchKeys = function () {
    if (!K.keyLog) {
      // Records reach the callback at the microtask checkpoint after each listener: count them there too.
      var observer = new MutationObserver(function (records) { K.keyChanges += records.length; });
      observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
      var before = function () {
        observer.takeRecords();
        K.keyChanges = 0; K.keyUrl = location.href; K.keyFocus = document.activeElement;
      };
      var after = function (e) {
        var changed = K.keyChanges + observer.takeRecords().length;
        if (changed || location.href !== K.keyUrl || document.activeElement !== K.keyFocus) {
          K.keyLog.push({key: e.key, type: e.type, changed: changed});
        }
      };
      ['keydown', 'keypress', 'keyup'].forEach(function (t) {
        window.addEventListener(t, before, true);
        window.addEventListener(t, after, false);
      });
    }
    K.keyLog = [];
    if (document.activeElement && document.activeElement !== document.body) { document.activeElement.blur(); }
    return true;
  };
  K.keysFired = function () {
    var keys = [];
    K.keyLog.forEach(function (item) { if (keys.indexOf(item.key) < 0) { keys.push(item.key); } });
    return keys;
  };

  /* Visible controls whose name speaks of shortcuts (a way to turn them off or remap them): [{selector, link}]. */
  var SHORTCUT_WORDS = /short-?cut|hot ?key|access ?key|remap|\bctrl\b|control key|modifier|快捷键|热键|组合键|单键/i;
  K.shortcutControls = function () {
    var out = [];
    document.querySelectorAll('button,input[type=checkbox],input[type=radio],input[type=button],input[type=submit],' +
                              '[role=button],[role=switch],[role=checkbox],[role=menuitemcheckbox],a[href]').forEach(function (el) {
      if (!tabbable(el) && !(el.labels && el.labels.length)) { return; }
      if (getComputedStyle(el).visibility !== 'visible' || !el.getClientRects().length) { return; }
      var labels = el.labels ? Array.prototype.map.call(el.labels, function (l) { return l.innerText; }).join(' ') : '';
      var name = [labels, el.getAttribute('aria-label') || '', el.innerText || '', el.value || '', el.title || ''].join(' ');
      if (SHORTCUT_WORDS.test(name)) { out.push({selector: selector(el), link: el.matches('a[href]')}); }
    });
    return out.slice(0, 12);
  };
  K.activate = function (sel) {
    var el = document.querySelector(sel);
    if (!el) { return false; }
    el.click();
    return true;
  };
})();

/* govsite accessibility toolbar (无障碍工具条) and its widgets.
 *
 * Plain ES2017+, no dependencies, no build step. Each widget is a small class started on the
 * element whose data-module names it. The settings and the <html> attributes the CSS keys on
 * belong to window.govsiteA11y (a11y-early.js, loaded in <head>); widgets only ask it for
 * changes and follow its "govsite-a11y:change" events. Without JavaScript the page still works.
 */
(() => {
  "use strict";

  const a11y = window.govsiteA11y;
  const html = document.documentElement;
  const CHANGE = "govsite-a11y:change"; // detail: the settings (a11y-early.js)
  const COMMAND = "govsite-a11y:command"; // detail: "read-on" | "mute" | "stop", for the reader
  const READING = "govsite-a11y:reading"; // detail: true while reading on (连读)
  const SAY = "govsite-a11y:say"; // detail: the text being spoken, for the caption bar

  /** A widget could not start; the message names the widget and what is wrong. */
  class WidgetError extends Error {
    constructor(widget, message) {
      super(`${widget}: ${message}`);
      this.name = "WidgetError";
    }
  }

  /** Names shown for the values of the cycling buttons (配色, 行距, 语速). */
  const VALUE_NAMES = {
    scheme: { "": "标准", bw: "白底黑字", wb: "黑底白字", yb: "黑底黄字" },
    lineSpacing: { 0: "标准", 1: "2倍", 2: "2.25倍", 3: "2.5倍" },
    rate: { 0.7: "慢", 1: "中", 1.4: "快" },
  };
  /** Which setting each cycling button shows. */
  const CYCLES = { scheme: "scheme", "line-spacing": "lineSpacing", rate: "rate" };

  const next = (list, value) => list[(list.indexOf(value) + 1) % list.length];
  const toggle = (key) => (settings) => ({ [key]: !settings[key] });

  /** What each settings action changes, given the current settings. */
  const SETTING_ACTIONS = {
    "text-larger": (s) => ({ textStep: s.textStep + 1 }),
    "text-smaller": (s) => ({ textStep: s.textStep - 1 }),
    "text-reset": () => ({ textStep: 0 }),
    "line-spacing": (s) => ({ lineSpacing: (s.lineSpacing + 1) % (a11y.MAX.lineSpacing + 1) }),
    scheme: (s) => ({ scheme: next(a11y.SCHEMES, s.scheme) }),
    rate: (s) => ({ rate: next(a11y.RATES, s.rate) }),
    care: toggle("care"),
    "big-cursor": toggle("bigCursor"),
    crosshair: toggle("crosshair"),
    captions: toggle("captions"),
    "plain-text": toggle("plainText"),
    "point-read": toggle("pointRead"),
  };

  // ---- Readable text (指读, 连读, 大字幕) ------------------------------------------------

  /** Elements that 指读 and the caption bar resolve a pointer or focus target to. */
  const POINTABLE = "a, button, img, h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, caption, label";
  /** Blocks that 连读 reads one after another (innermost ones only). */
  const BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, caption, blockquote, pre";
  const ROLE_NAMES = { A: "链接", BUTTON: "按钮", IMG: "图片", H1: "标题", H2: "标题", H3: "标题", H4: "标题", H5: "标题", H6: "标题" };

  /** The text of an element: aria-label, title, alt, then its visible text (or its image's alt). */
  function readableText(element) {
    const image = element.querySelector("img[alt]");
    const text = element.getAttribute("aria-label") || element.getAttribute("title") || element.getAttribute("alt")
      || element.innerText || (image && image.alt) || "";
    return text.replace(/\s+/g, " ").trim();
  }

  /** The text to speak: the kind of element (链接, 按钮, ...) and its text. */
  function spokenText(element) {
    const text = readableText(element);
    const role = ROLE_NAMES[element.tagName];
    return role && text ? `${role}，${text}` : text;
  }

  /** The element a pointer or focus target stands for, or null. */
  function pointTarget(node) {
    return node instanceof Element ? node.closest(POINTABLE) : null;
  }

  /** The page's readable blocks in reading order, without the toolbar's own. */
  function readableBlocks() {
    return Array.from(document.body.querySelectorAll(BLOCKS)).filter((block) =>
      !block.closest(".a11y-ui") && !block.querySelector(BLOCKS) && block.getClientRects().length > 0
      && readableText(block) !== "");
  }

  // ---- Widgets ---------------------------------------------------------------------------

  /** The toolbar: its entry button, the 关怀版 switch and the panel of function buttons. */
  class Toolbar {
    constructor(root) {
      this.root = root;
      this.panel = root.querySelector(".a11y-toolbar[id]");
      this.opener = root.querySelector('button[data-action="toolbar"]');
      if (!this.panel) throw new WidgetError("govsite-toolbar", "no .a11y-toolbar panel with an id inside the widget");
      if (!this.opener || this.opener.getAttribute("aria-controls") !== this.panel.id) {
        throw new WidgetError("govsite-toolbar", `no button[data-action="toolbar"] with aria-controls="${this.panel.id}"`);
      }
      root.addEventListener("click", (event) => this.onClick(event));
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !event.shiftKey) this.close();
      });
      document.addEventListener(CHANGE, (event) => this.render(event.detail));
      document.addEventListener(READING, (event) => this.setPressed('[data-action="read-on"]', event.detail));
      this.render(a11y.get());
    }

    onClick(event) {
      const button = event.target.closest("[data-action]");
      if (!button || !this.root.contains(button)) return;
      const action = button.getAttribute("data-action");
      const change = SETTING_ACTIONS[action];
      if (change) a11y.apply(change(a11y.get()));
      else if (action === "toolbar") this.toggle();
      else if (action === "close") this.close();
      else if (action === "reset") this.reset();
      else if (action === "read-on" || action === "mute") command(action);
      else if (action !== "help") throw new WidgetError("govsite-toolbar", `unknown data-action "${action}"`);
    }

    toggle() {
      if (a11y.get().toolbar) this.close();
      else this.open();
    }

    /** Open the panel and move focus to its first button. */
    open() {
      a11y.apply({ toolbar: true });
      this.panel.querySelector("button, a").focus();
    }

    /** Close the panel, stop reading, and give focus back to the entry if it was inside. */
    close() {
      const hadFocus = this.panel.contains(document.activeElement);
      a11y.apply({ toolbar: false });
      command("stop");
      if (hadFocus) this.opener.focus();
    }

    /** Clear every setting (and stop reading); the panel stays open. */
    reset() {
      const open = a11y.get().toolbar;
      command("stop");
      a11y.reset();
      if (open) a11y.apply({ toolbar: true });
    }

    setPressed(selector, pressed) {
      for (const button of this.root.querySelectorAll(selector)) button.setAttribute("aria-pressed", String(pressed));
    }

    /** Show the settings: expanded state, pressed toggles, values of cycling buttons. */
    render(settings) {
      this.opener.setAttribute("aria-expanded", String(settings.toolbar));
      for (const button of this.root.querySelectorAll("[data-setting][aria-pressed]")) {
        button.setAttribute("aria-pressed", String(settings[button.getAttribute("data-setting")] === true));
      }
      for (const [action, key] of Object.entries(CYCLES)) {
        const button = this.root.querySelector(`[data-action="${action}"][data-label]`);
        if (button) button.textContent = `${button.getAttribute("data-label")}：${VALUE_NAMES[key][settings[key]]}`;
      }
    }
  }

  /** The prominent 关怀版 switch: its label says where it leads (关怀版 / 退出关怀版). */
  class CareSwitch {
    constructor(button) {
      this.button = button;
      this.labels = { on: button.getAttribute("data-label-on"), off: button.getAttribute("data-label-off") };
      if (!this.labels.on || !this.labels.off) {
        throw new WidgetError("govsite-care-switch", "the button needs data-label-on and data-label-off");
      }
      document.addEventListener(CHANGE, (event) => this.render(event.detail));
      this.render(a11y.get());
    }

    render(settings) {
      this.button.textContent = settings.care ? this.labels.on : this.labels.off;
    }
  }

  /** Read-aloud through speechSynthesis with a Chinese voice: 指读, 连读, speech rate.
   *  Its element is the live region for messages such as "no Chinese voice". */
  class Reader {
    constructor(status) {
      if (status.getAttribute("role") !== "status") {
        throw new WidgetError("govsite-reader", 'the message element needs role="status"');
      }
      this.status = status;
      this.run = 0; // a new run makes callbacks of a cancelled reading harmless
      this.reading = null;
      this.position = null;
      this.pointed = null;
      this.timer = 0;
      document.addEventListener("focusin", (event) => this.onPoint(event.target, 0));
      document.addEventListener("mouseover", (event) => this.onPoint(event.target, 300));
      document.addEventListener(COMMAND, (event) => this.onCommand(event.detail));
    }

    /** Looked up on every use, so a replaced speechSynthesis (or a stub in tests) is honoured. */
    get synth() {
      return window.speechSynthesis || null;
    }

    chineseVoice(synth) {
      const voices = synth.getVoices() || [];
      const lang = (voice) => String(voice.lang || "").replace("_", "-").toLowerCase();
      return voices.find((voice) => lang(voice) === "zh-cn")
        || voices.find((voice) => /^(zh|cmn)\b/.test(lang(voice))) || null;
    }

    message(text) {
      if (this.status.textContent !== text) this.status.textContent = text;
    }

    /** Speak one text; false (with a message) when there is no Chinese voice to speak it. */
    speak(text, onEnd) {
      const synth = this.synth;
      if (!synth || typeof SpeechSynthesisUtterance !== "function") {
        this.message("此浏览器不支持语音朗读。");
        return false;
      }
      const voice = this.chineseVoice(synth);
      if (!voice) {
        this.message("未找到中文（zh-CN）语音，无法朗读。请在系统设置中安装中文语音后重试。");
        return false;
      }
      this.message("");
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang;
      // Voices of a replaced speechSynthesis are plain objects an utterance rejects; lang still picks one.
      if (typeof SpeechSynthesisVoice === "function" && voice instanceof SpeechSynthesisVoice) utterance.voice = voice;
      utterance.rate = a11y.get().rate;
      if (onEnd) utterance.onend = onEnd;
      document.dispatchEvent(new CustomEvent(SAY, { detail: text }));
      synth.speak(utterance);
      return true;
    }

    /** 指读: read what is focused (at once) or pointed at (after a short rest). */
    onPoint(node, delay) {
      const target = pointTarget(node);
      if (target && !target.closest(".a11y-ui")) this.position = target;
      if (!a11y.get().pointRead || !target || target === this.pointed) return;
      this.pointed = target;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.stop();
        if (this.synth) this.synth.cancel();
        this.speak(spokenText(target));
      }, delay);
    }

    onCommand(name) {
      if (name === "read-on") this.toggleReading();
      else if (name === "mute") this.mute();
      else if (name === "stop") this.stop();
    }

    /** 连读: read the page on from the current position; a second press stops. */
    toggleReading() {
      if (this.reading) {
        this.stop();
        return;
      }
      const blocks = readableBlocks();
      const index = this.startIndex(blocks);
      if (index < 0) return;
      this.reading = { blocks, index, run: ++this.run };
      document.dispatchEvent(new CustomEvent(READING, { detail: true }));
      this.readCurrent();
    }

    /** The first block at or after the focus (or the last pointed element), else in view. */
    startIndex(blocks) {
      const focused = document.activeElement;
      const from = focused && focused !== document.body && !focused.closest(".a11y-ui") ? focused : this.position;
      if (from && from.isConnected) {
        return blocks.findIndex((block) => block.contains(from)
          || (from.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
      }
      return blocks.findIndex((block) => block.getBoundingClientRect().bottom > 0);
    }

    readCurrent() {
      const reading = this.reading;
      const block = reading.blocks[reading.index];
      if (!block) {
        this.stop();
        return;
      }
      block.classList.add("a11y-reading");
      block.scrollIntoView({ block: "nearest" });
      const spoken = this.speak(spokenText(block), () => {
        if (this.reading !== reading || reading.run !== this.run) return;
        block.classList.remove("a11y-reading");
        reading.index += 1;
        this.readCurrent();
      });
      if (!spoken) this.stop();
    }

    /** Stop reading on (连读) and clear its highlight. */
    stop() {
      if (!this.reading) return;
      this.run += 1;
      for (const block of document.querySelectorAll(".a11y-reading")) block.classList.remove("a11y-reading");
      this.reading = null;
      if (this.synth) this.synth.cancel();
      document.dispatchEvent(new CustomEvent(READING, { detail: false }));
    }

    /** 静音: stop all speech and switch 指读 off. */
    mute() {
      clearTimeout(this.timer);
      this.stop();
      if (this.synth) this.synth.cancel();
      this.pointed = null;
      a11y.apply({ pointRead: false });
    }
  }

  /** 十字线: two lines crossing at the pointer, or at the centre of the focused element. */
  class Crosshair {
    constructor(root) {
      if (root.getAttribute("aria-hidden") !== "true") {
        throw new WidgetError("govsite-crosshair", 'the crosshair is decoration: it needs aria-hidden="true"');
      }
      this.root = root;
      document.addEventListener("mousemove", (event) => this.moveTo(event.clientX, event.clientY), { passive: true });
      document.addEventListener("focusin", (event) => {
        const box = event.target.getBoundingClientRect();
        this.moveTo(box.left + box.width / 2, box.top + box.height / 2);
      });
    }

    moveTo(x, y) {
      if (!html.hasAttribute("data-crosshair")) return;
      this.root.style.setProperty("--a11y-x", `${Math.round(x)}px`);
      this.root.style.setProperty("--a11y-y", `${Math.round(y)}px`);
    }
  }

  /** 大字幕: the text under the pointer or focus (or being read) in large type. */
  class CaptionBar {
    constructor(bar) {
      if (bar.getAttribute("aria-hidden") !== "true") {
        throw new WidgetError("govsite-captions", 'the caption bar repeats page text: it needs aria-hidden="true"');
      }
      this.bar = bar;
      const follow = (event) => {
        const target = pointTarget(event.target);
        if (target) this.show(readableText(target));
      };
      document.addEventListener("mouseover", follow);
      document.addEventListener("focusin", follow);
      document.addEventListener(SAY, (event) => this.show(event.detail));
    }

    show(text) {
      if (html.hasAttribute("data-captions") && text) this.bar.textContent = text;
    }
  }

  // ---- Keyboard shortcuts ----------------------------------------------------------------

  /** The event.code values a shortcut key may arrive as ("1" from the top row or keypad). */
  function codesFor(key) {
    if (/^[0-9]$/.test(key)) return [`Digit${key}`, `Numpad${key}`];
    if (/^[a-z]$/i.test(key)) return [`Key${key.toUpperCase()}`];
    return { "`": ["Backquote"], "?": ["Slash"] }[key] || [key];
  }

  /** A parsed aria-keyshortcuts value, e.g. "Alt+Shift+?" -> {alt, shift, key, codes}. */
  function parseShortcut(text) {
    const parts = text.trim().split("+");
    const key = parts.pop() || "+";
    return { alt: parts.includes("Alt"), shift: parts.includes("Shift"), key, codes: codesFor(key) };
  }

  /** Alt + digit (etc.) shortcuts, read from the aria-keyshortcuts of the toolbar's controls;
   *  a shortcut presses its control. Never a printable character alone. */
  class Shortcuts {
    constructor(scope) {
      this.bindings = Array.from(scope.querySelectorAll("[aria-keyshortcuts]"), (control) => ({
        control, shortcut: parseShortcut(control.getAttribute("aria-keyshortcuts")),
      }));
      document.addEventListener("keydown", (event) => this.onKey(event));
    }

    static matches(shortcut, event) {
      return event.altKey === shortcut.alt && event.shiftKey === shortcut.shift && !event.ctrlKey && !event.metaKey
        && (shortcut.codes.includes(event.code) || event.key.toLowerCase() === shortcut.key.toLowerCase());
    }

    onKey(event) {
      if (event.defaultPrevented || !(event.altKey || event.shiftKey)) return;
      const binding = this.bindings.find(({ shortcut }) => Shortcuts.matches(shortcut, event));
      // Alt+↑/↓ opens a drop-down list in form fields: leave it to them.
      if (!binding || (event.key.startsWith("Arrow") && event.target.closest("input, select, textarea"))) return;
      event.preventDefault();
      binding.control.click();
    }
  }

  // ---- Start -----------------------------------------------------------------------------

  function command(name) {
    document.dispatchEvent(new CustomEvent(COMMAND, { detail: name }));
  }

  const WIDGETS = {
    "govsite-toolbar": Toolbar,
    "govsite-care-switch": CareSwitch,
    "govsite-reader": Reader,
    "govsite-crosshair": Crosshair,
    "govsite-captions": CaptionBar,
  };

  /** Start every widget on the page; one that fails is reported and the others still start. */
  function start() {
    if (!a11y) {
      console.error(new WidgetError("govsite-toolbar", "window.govsiteA11y is missing: load theme/js/a11y-early.js in <head>"));
      return;
    }
    for (const element of document.querySelectorAll("[data-module]")) {
      const name = element.getAttribute("data-module");
      if (!name.startsWith("govsite-") || element.hasAttribute("data-module-started")) continue;
      try {
        if (!WIDGETS[name]) throw new WidgetError(name, "no such widget");
        new WIDGETS[name](element); // eslint-disable-line no-new
        element.setAttribute("data-module-started", "");
      } catch (error) {
        console.error(error);
      }
    }
    const toolbar = document.querySelector('[data-module="govsite-toolbar"][data-module-started]');
    if (toolbar) new Shortcuts(toolbar); // eslint-disable-line no-new
  }

  window.govsiteWidgets = Object.freeze({ ...WIDGETS, WidgetError, readableText });
  start();
})();

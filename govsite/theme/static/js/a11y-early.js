/* govsite accessibility settings, applied before first paint.
 *
 * Loaded in <head> without defer. Reads the saved settings (localStorage "govsite-a11y"), or the
 * modes the address asks for (?mode=care, #mode=contrast: URL_MODES; then saved and dropped from
 * the address), reflects them as attributes on <html> (the CSS keys only on those) and exposes
 * window.govsiteA11y = { apply(changes), reset(), get() } for the toolbar (toolbar.js)
 * and for checkers. Every change fires "govsite-a11y:change" on document.
 */
(() => {
  "use strict";

  const STORAGE_KEY = "govsite-a11y";
  const DEFAULTS = Object.freeze({
    care: false, scheme: "", textStep: 0, lineSpacing: 0, bigCursor: false, crosshair: false,
    captions: false, plainText: false, pointRead: false, rate: 1, toolbar: false,
  });
  const SCHEMES = Object.freeze(["", "bw", "wb", "yb"]);
  const RATES = Object.freeze([0.7, 1, 1.4]);
  const MAX = Object.freeze({ textStep: 5, lineSpacing: 3 });
  /** On/off settings and the <html> attribute each one sets. */
  const FLAGS = Object.freeze({
    care: "data-care", bigCursor: "data-big-cursor", crosshair: "data-crosshair",
    captions: "data-captions", plainText: "data-plain-text", toolbar: "data-a11y-toolbar",
  });
  /** Stepped settings and their attribute (absent at 0). */
  const STEPS = Object.freeze({ textStep: "data-text-step", lineSpacing: "data-line-spacing" });

  /** Modes an address can ask for (?mode=care,contrast or #mode=care): the gate's names
   *  (checks/policy.py MODE_ATTRIBUTES) and plain-text; "normal" is every setting off. */
  const URL_MODES = Object.freeze({
    normal: {}, care: { care: true }, contrast: { scheme: "bw" }, dark: { scheme: "wb" }, yellow: { scheme: "yb" },
    "large-text": { textStep: MAX.textStep }, "plain-text": { plainText: true },
  });
  const URL_PARAMETER = "mode";

  const root = document.documentElement;

  /** A complete, valid settings object from any (possibly stale or hand-edited) input. */
  function normalise(raw) {
    const settings = { ...DEFAULTS };
    const source = raw && typeof raw === "object" ? raw : {};
    for (const key of Object.keys(FLAGS)) settings[key] = source[key] === true;
    for (const key of Object.keys(STEPS)) {
      const value = Math.round(Number(source[key]) || 0);
      settings[key] = Math.min(MAX[key], Math.max(0, value));
    }
    if (SCHEMES.includes(source.scheme)) settings.scheme = source.scheme;
    if (RATES.includes(source.rate)) settings.rate = source.rate;
    settings.pointRead = source.pointRead === true;
    return settings;
  }

  function isDefault(settings) {
    return Object.keys(DEFAULTS).every((key) => settings[key] === DEFAULTS[key]);
  }

  function load() {
    try {
      return normalise(JSON.parse(localStorage.getItem(STORAGE_KEY)));
    } catch (error) {
      return normalise(null); // storage blocked or unreadable: start from the defaults
    }
  }

  /** Save the settings; all-default settings leave nothing behind. */
  function save(settings) {
    try {
      if (isDefault(settings)) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch (error) {
      /* storage blocked: settings last for this page only */
    }
  }

  /** The address's ?mode= and #mode= values; the hash counts only as "#mode=..." (else it is an anchor). */
  function askedModes() {
    const asked = new URLSearchParams(location.search).getAll(URL_PARAMETER);
    if (location.hash.startsWith(`#${URL_PARAMETER}=`)) {
      asked.push(...new URLSearchParams(location.hash.slice(1)).getAll(URL_PARAMETER));
    }
    return asked.join(",").split(",").map((name) => name.trim().toLowerCase());
  }

  /** The settings of the modes the address asks for (only those on), or null when it names none.
   *  The value is untrusted: only the names of URL_MODES count; nothing of it reaches the page. */
  function settingsFromAddress() {
    const known = askedModes().filter((name) => Object.prototype.hasOwnProperty.call(URL_MODES, name));
    if (!known.length) return null;
    return normalise(Object.assign({}, DEFAULTS, ...known.map((name) => URL_MODES[name])));
  }

  /** Drop ?mode= and #mode= from the address (no reload), so later toolbar changes hold on reload. */
  function forgetAddressModes() {
    try {
      const url = new URL(location.href);
      url.searchParams.delete(URL_PARAMETER);
      if (url.hash.startsWith(`#${URL_PARAMETER}=`)) url.hash = "";
      history.replaceState(history.state, "", url.href);
    } catch (error) {
      /* an address that cannot be rewritten (some file:// pages): the mode is saved all the same */
    }
  }

  function setAttribute(name, value) {
    if (value === null) root.removeAttribute(name);
    else root.setAttribute(name, value);
  }

  /** Mirror the settings on <html>. */
  function reflect(settings) {
    for (const [key, name] of Object.entries(FLAGS)) setAttribute(name, settings[key] ? "" : null);
    for (const [key, name] of Object.entries(STEPS)) setAttribute(name, settings[key] ? String(settings[key]) : null);
    setAttribute("data-scheme", settings.scheme || null);
  }

  let current = load();
  const asked = settingsFromAddress();
  if (asked) {
    current = asked;
    save(current);
    forgetAddressModes();
  }

  function announce() {
    document.dispatchEvent(new CustomEvent("govsite-a11y:change", { detail: { ...current } }));
  }

  function update(settings) {
    current = settings;
    reflect(current);
    announce();
  }

  window.govsiteA11y = Object.freeze({
    STORAGE_KEY, DEFAULTS, SCHEMES, RATES, MAX,
    /** The current settings (a copy). */
    get: () => ({ ...current }),
    /** Merge changes into the settings, save, reflect; returns the new settings. */
    apply(changes) {
      update(normalise({ ...current, ...changes }));
      save(current);
      return { ...current };
    },
    /** Back to the defaults: attributes removed, nothing left in storage. */
    reset() {
      update(normalise(null));
      save(current);
      return { ...current };
    },
  });

  reflect(current);
  root.setAttribute("data-a11y-js", "");
  // Another tab changed the settings: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY || event.key === null) update(load());
  });
})();

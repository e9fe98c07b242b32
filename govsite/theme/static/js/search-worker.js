/* govsite site search engine (a module Web Worker started by search.js).
 *
 * Pagefind 1.5.2 segments Chinese at index time with jieba, and at query time with the
 * browser's Intl.Segmenter; the two disagree (Pagefind issue 1237): 优化营商环境 is indexed as
 * 优化|营商|环境 but Chromium splits the query into 优|化|营|商|环境, and Pagefind needs a word
 * starting with every query term, so a page containing the exact phrase is not found.
 *
 * Here the query is segmented against the index's own vocabulary instead. In a worker there is
 * no <html lang>, so Pagefind loads the index with the language "unknown" and searches the
 * terms exactly as given (space-separated, each matching the indexed words it is a prefix of).
 * A piece of a Chinese run is "known" when the index has a word starting with it (one Pagefind
 * search whose best results' text contains the piece, cached). Every segmentation of the run into known pieces (single characters only where
 * nothing longer is known; fewest pieces first, at most MAX_SEGMENTATIONS) is searched with all its pieces required; the pages found are then
 * checked against their indexed text: pages containing the query literally come first, then
 * pages containing all its words, then (when there are few) pages containing only some words.
 *
 * Messages in: {id, type: "search", config, scope, query} and {id, type: "page", from, count, list}.
 * Messages out: {id, ok, ...} (see respond()).
 */

const MAX_SEGMENTATIONS = 16;
const KNOWN_CHECKS = 3;       // results whose text is checked for a piece before it counts as known
const VERIFY_LIMIT = 60;      // candidates whose text is fetched and checked for the literal query
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;

const engines = new Map();    // scope -> Promise<{instance, known: Map}>
let last = null;              // {full: [...], partial: [...]} of the last search

function bundleUrl(url) {
  return new URL(url, self.location.href).href;  // search.js sends absolute URLs
}

async function engineFor(config, scope) {
  if (!engines.has(scope)) {
    engines.set(scope, (async () => {
      const bundle = bundleUrl(config.bundle);
      const pagefind = await import(bundle + "pagefind.js");
      const instance = pagefind.createInstance({ basePath: bundle, excerptLength: 40 });
      await instance.init();
      for (const part of await parts(bundle)) await instance.mergeIndex(part);
      const merged = [];
      if (scope === "group") {
        for (const site of config.group || []) {
          try {
            const other = bundleUrl(site.bundle);
            const more = await parts(other);  // fails first when the site has no bundle (e.g. offline)
            await instance.mergeIndex(other);
            for (const part of more) await instance.mergeIndex(part);
            merged.push(site.name);
          } catch (error) {
            merged.push(null);  // a site without a search bundle is skipped
          }
        }
      }
      // Across the group a department's reprint of a portal item (转载) would repeat the original.
      const options = scope === "group" ? { filters: { not: { reprint: "yes" } } } : {};
      return { instance, known: new Map(), merged, options };
    })());
  }
  return engines.get(scope);
}

/** A large site's index comes in parts (pagefind/part-N/, listed in govsite-search.json). */
async function parts(bundle) {
  const response = await fetch(bundle + "govsite-search.json");
  if (!response.ok) throw new Error(`${bundle}: no search bundle (${response.status})`);
  const stamp = await response.json();
  return (stamp.parts || []).map((part) => new URL(part, bundle).href);
}

/** The query as runs: [{text, cjk}], lower case, punctuation and symbols as separators. */
export function runs(query) {
  const out = [];
  for (const token of query.normalize("NFKC").toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    let current = "";
    let currentCjk = null;
    for (const ch of token) {
      const cjk = CJK.test(ch);
      if (currentCjk !== null && cjk !== currentCjk) {
        out.push({ text: current, cjk: currentCjk });
        current = "";
      }
      current += ch;
      currentCjk = cjk;
    }
    if (current) out.push({ text: current, cjk: currentCjk });
  }
  return out;
}

/**
 * Whether the index has a word starting with ``piece`` (cached per engine). Results alone do not
 * prove it: Pagefind splits a term no indexed word starts with into shorter words it knows (量子纠缠
 * finds the pages with a word 量), so the best results' indexed text must contain the piece.
 */
async function known(engine, piece) {
  if (!engine.known.has(piece)) {
    engine.known.set(piece, (async () => {
      const response = await engine.instance.search(piece);
      for (const result of response.results.slice(0, KNOWN_CHECKS)) {
        if (plainText((await result.data()).content).includes(piece)) return true;
      }
      return false;
    })());
  }
  return engine.known.get(piece);
}

/**
 * Segmentations of a Chinese run into pieces the index knows (fewest pieces first), and the known
 * pieces of two characters or more (for partial matches when the run cannot be covered).
 */
export async function segmentations(engine, run) {
  const chars = Array.from(run);
  const n = chars.length;
  // ends[i]: the ends j such that chars[i:j] is known. Known pieces are prefix-closed, so stop at
  // the first unknown extension; the starts are looked up side by side.
  const ends = await Promise.all(chars.map(async (_, i) => {
    const list = [];
    for (let j = i + 2; j <= n; j++) {
      if (!(await known(engine, chars.slice(i, j).join("")))) break;
      list.push(j);
    }
    if (list.length) return list.reverse();  // longest first
    // A single character is a piece only where nothing longer is known: 优|化 would match any
    // page with a word starting with 化, far beyond 优化. It is probed last: a single character
    // matches the most pages, so it is the slowest search.
    return (await known(engine, chars[i])) ? [i + 1] : [];
  }));
  const words = [];
  ends.forEach((list, i) => { for (const j of list) if (j - i > 1) words.push(chars.slice(i, j).join("")); });
  // fewest[i]: the fewest pieces covering chars[i:] (Infinity when impossible).
  const fewest = new Array(n + 1).fill(Infinity);
  fewest[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    for (const j of ends[i]) fewest[i] = Math.min(fewest[i], 1 + fewest[j]);
  }
  if (fewest[0] === Infinity) return { options: [], words };
  const found = [];
  // Depth-first over known pieces, longest first, pruning paths far above the fewest count.
  const limit = fewest[0] + 2;
  const walk = (i, pieces) => {
    if (found.length >= MAX_SEGMENTATIONS) return;
    if (i === n) { found.push(pieces.slice()); return; }
    for (const j of ends[i]) {
      if (pieces.length + 1 + fewest[j] > limit) continue;
      pieces.push(chars.slice(i, j).join(""));
      walk(j, pieces);
      pieces.pop();
    }
  };
  walk(0, []);
  found.sort((a, b) => a.length - b.length);
  return { options: found, words };
}

/** Every combination of the runs' segmentations (a run with several gives several queries). */
function combine(perRun) {
  let combos = [[]];
  for (const options of perRun) {
    const next = [];
    for (const combo of combos) {
      for (const option of options) {
        if (next.length < MAX_SEGMENTATIONS) next.push(combo.concat(option));
      }
    }
    combos = next;
  }
  return combos;
}

function plainText(content) {
  return (content || "").replace(/\u200b/g, "").normalize("NFKC").toLowerCase();
}

async function search(config, scope, query) {
  const engine = await engineFor(config, scope);
  const parts = runs(query);
  const perRun = [];
  const pieces = new Set();
  let complete = parts.length > 0;
  const found = await Promise.all(parts.map(async (part) => part.cjk ? segmentations(engine, part.text)
    : { options: (await known(engine, part.text)) ? [[part.text]] : [], words: [] }));
  for (const { options, words } of found) {
    if (options.length === 0) {
      complete = false;  // no page can have every word; its known words still find partial matches
      for (const word of words) pieces.add(word);
      continue;
    }
    perRun.push(options);
    for (const option of options) for (const piece of option) pieces.add(piece);
  }
  // Pages with every word: each segmentation, all its pieces required.
  const byId = new Map();
  if (complete) {
    for (const terms of combine(perRun)) {
      const response = await engine.instance.search(terms.join(" "), engine.options);
      for (const result of response.results) {
        const seen = byId.get(result.id);
        if (!seen || seen.score < result.score) byId.set(result.id, result);
      }
    }
  }
  let full = [...byId.values()].sort((a, b) => b.score - a.score);
  // Literal check on the best candidates: pages containing every run of the query come first.
  const literal = parts.map((p) => p.text);
  const checked = await Promise.all(full.slice(0, VERIFY_LIMIT).map(async (result) => {
    const data = await result.data();
    const text = plainText(data.content);
    return { result, data, exact: literal.every((t) => text.includes(t)) };
  }));
  const rest = full.slice(VERIFY_LIMIT).map((result) => ({ result, data: null, exact: false }));
  full = [...checked.filter((c) => c.exact), ...checked.filter((c) => !c.exact), ...rest];
  // Few full matches: also pages with only some of the words (two characters or more), most words first.
  let partial = [];
  if (full.length < config.lowResults) {
    const matched = new Map();
    for (const piece of pieces) {
      if (CJK.test(piece) && Array.from(piece).length < 2) continue;
      const response = await engine.instance.search(piece, engine.options);
      for (const result of response.results) {
        if (byId.has(result.id)) continue;
        const entry = matched.get(result.id) || { result, words: [], score: 0 };
        entry.words.push(piece);
        entry.score += result.score;
        matched.set(result.id, entry);
      }
    }
    partial = [...matched.values()]
      .sort((a, b) => b.words.length - a.words.length || b.score - a.score)
      .map((e) => ({ result: e.result, data: null, words: e.words }));
  }
  last = { full, partial };
  return {
    full: full.length, partial: partial.length, exact: checked.filter((c) => c.exact).length,
    pieces: [...pieces], merged: engine.merged,
  };
}

async function page(list, from, count) {
  const entries = (last && last[list] || []).slice(from, from + count);
  return Promise.all(entries.map(async (entry) => {
    entry.data = entry.data || await entry.result.data();
    const data = entry.data;
    return {
      url: data.url, title: (data.meta && data.meta.title) || data.url,
      excerpt: (data.excerpt || "").replace(/\u200b/g, ""),
      date: data.meta && data.meta.date || "", site: data.meta && data.meta.site || "",
      column: data.meta && data.meta.column || "", words: entry.words || null, exact: !!entry.exact,
    };
  }));
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  try {
    if (message.type === "search") {
      self.postMessage({ id: message.id, ok: true, summary: await search(message.config, message.scope, message.query) });
    } else if (message.type === "page") {
      self.postMessage({ id: message.id, ok: true, items: await page(message.list, message.from, message.count) });
    }
  } catch (error) {
    self.postMessage({ id: message.id, ok: false, error: String(error && error.message || error) });
  }
});

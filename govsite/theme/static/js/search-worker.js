/* govsite site search engine (a module Web Worker started by search.js).
 *
 * Exact substring search over the static index govsite/search_index.py writes (search-index/ on
 * every site, in parts): the query is normalised as the index was (normalise: NFKC, lower case,
 * letters and digits kept, anything else one boundary space), and a page matches a string of two
 * characters or more when the string's bigrams occur at consecutive positions in the page's text
 * (the positions are in the postings, so no page text is fetched to decide); one character is
 * looked up in its unigram postings. No segmentation, so no word is missed: recall is 100% by
 * construction.
 *
 * Results: pages containing the whole query literally first (title matches first, then newest),
 * then pages containing every word (space-separated part) of it; a word on no page is replaced by
 * its longest pieces found on some page (量子营商环境 -> 营商环境). When fewer than lowResults pages
 * match, pages with only some of the words follow as partial matches. Only the texts of the
 * results on screen are fetched, for the excerpts.
 *
 * Messages in: {id, type: "search", config, scope, query} and {id, type: "page", from, count, list,
 * excerpts (default true)}.
 * Messages out: {id, ok, ...} (see the listener at the end).
 */

/* Letters and digits, and a dot between two digits (search_text.py _WORD). */
const WORD = /(?:[\p{L}\p{N}]|(?<=\p{Nd})\.(?=\p{Nd}))+/gu;
const EXCERPT_BEFORE = 24;    // characters of context before the first match in an excerpt
const EXCERPT_LENGTH = 96;    // characters an excerpt shows at most

const sources = new Map();    // bundle URL -> Promise<source | null>
let last = null;              // {full: [...], partial: [...], terms} of the last search

/** The searchable form of a text, as govsite/search_text.py normalise writes it. */
export function normalise(text) {
  return (String(text).normalize("NFKC").toLowerCase().match(WORD) || []).join(" ");
}

/** 32-bit FNV-1a over the code points (govsite/search_index.py gram_hash). */
export function gramHash(gram) {
  let hash = 2166136261;
  for (const char of gram) hash = Math.imul(hash ^ char.codePointAt(0), 16777619) >>> 0;
  return hash;
}

async function fetchJson(url, missing) {
  const response = await fetch(url);
  if (response.ok) return response.json();
  if (missing !== undefined && response.status === 404) return missing;
  throw new Error(`${url}: ${response.status}`);
}

/** A site's index: its parts with their pages (null when the site has no bundle). */
function source(bundle) {
  if (!sources.has(bundle)) {
    sources.set(bundle, (async () => {
      const stamp = await fetchJson(bundle + "govsite-search.json");
      const root = new URL("../", bundle);
      const parts = await Promise.all(["", ...(stamp.parts || [])].map(async (directory) => {
        const base = new URL(directory, bundle).href;
        const index = await fetchJson(base + "pages.json");
        const part = { base, shards: index.shards, chunk: index.chunk, shardFiles: new Map(), postings: new Map(),
                       chunks: new Map(), pages: [] };
        part.pages = index.pages.map((row, id) => ({
          part, id, url: new URL(row[0], root).href, title: row[1], date: row[2], column: row[3], site: row[4],
          reprint: row[5] === 1, normTitle: normalise(row[1]),
        }));
        return part;
      }));
      return { parts };
    })().catch(() => null));  // a site without a search bundle is skipped
  }
  return sources.get(bundle);
}

async function sourcesFor(config, scope) {
  const bundles = [config.bundle, ...(scope === "group" ? (config.group || []).map((s) => s.bundle) : [])];
  const found = await Promise.all(bundles.map((bundle) => source(new URL(bundle, self.location.href).href)));
  if (!found[0]) throw new Error("this site has no search index");
  return found.filter(Boolean);
}

function shardFile(part, number) {
  if (!part.shardFiles.has(number)) part.shardFiles.set(number, fetchJson(`${part.base}s/${number}.json`, {}));
  return part.shardFiles.get(number);
}

/** A gram's postings in a part: Map page id -> Int32Array of positions (a unigram: -> null). */
async function posting(part, gram) {
  if (!part.postings.has(gram)) {
    part.postings.set(gram, shardFile(part, gramHash(gram) & (part.shards - 1)).then((shard) => {
      const flat = shard[gram] || [];
      const map = new Map();
      let id = 0;
      if (Array.from(gram).length === 1) {
        for (const delta of flat) { id += delta; map.set(id, null); }
        return map;
      }
      for (let i = 0; i < flat.length;) {
        id += flat[i++];
        const count = flat[i++];
        const positions = new Int32Array(count);
        let position = 0;
        for (let k = 0; k < count; k++) { position += flat[i++]; positions[k] = position; }
        map.set(id, positions);
      }
      return map;
    }));
  }
  return part.postings.get(gram);
}

function has(sorted, value) {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] === value) return true;
    if (sorted[middle] < value) low = middle + 1; else high = middle - 1;
  }
  return false;
}

/** The ids of the part's pages whose text contains the normalised string ``text``. */
async function matchPart(part, text) {
  const chars = Array.from(text);
  if (chars.length === 1) return [...(await posting(part, text)).keys()];
  // Bigrams at offsets 0, 2, 4, ... and the last one cover every character.
  const offsets = [];
  for (let k = 0; k + 2 <= chars.length; k += 2) offsets.push(k);
  if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
  const lists = await Promise.all(offsets.map((k) => posting(part, chars[k] + chars[k + 1])));
  const order = offsets.map((k, i) => ({ k, map: lists[i] })).sort((a, b) => a.map.size - b.map.size);
  if (order[0].map.size === 0) return [];
  const [rarest, ...others] = order;
  const found = [];
  for (const [id, positions] of rarest.map) {
    const spots = others.map((o) => o.map.get(id));
    if (spots.some((s) => s === undefined)) continue;
    for (const position of positions) {
      const start = position - rarest.k;
      if (others.every((o, i) => has(spots[i], start + o.k))) { found.push(id); break; }
    }
  }
  return found;
}

/** Pages of the searched sources containing ``text`` (Set of page objects), memoised per search. */
function matcher(searched, skipReprints) {
  const memo = new Map();
  return (text) => {
    if (!memo.has(text)) {
      memo.set(text, Promise.all(searched.flatMap((s) => s.parts.map(async (part) =>
        (await matchPart(part, text)).map((id) => part.pages[id])))).then((lists) =>
        new Set(lists.flat().filter((page) => !(skipReprints && page.reprint)))));
    }
    return memo.get(text);
  };
}

/** The longest pieces (two characters or more) of a word that occur on some page, left to right. */
async function pieces(word, match) {
  const chars = Array.from(word);
  const found = [];
  let covered = 0;
  for (let i = 0; i < chars.length;) {
    let best = 0;
    for (let j = i + 2; j <= chars.length; j++) {
      if ((await match(chars.slice(i, j).join(""))).size === 0) break;  // a piece's pieces occur too
      best = j;
    }
    if (best) { found.push(chars.slice(i, best).join("")); covered += best - i; i = best; } else i++;
  }
  return { words: found, complete: covered === chars.length };
}

function newestFirst(a, b) {
  return (b.date > a.date) - (b.date < a.date);
}

async function search(config, scope, query) {
  const searched = await sourcesFor(config, scope);
  const text = normalise(query);
  const terms = text ? text.split(" ") : [];
  // Across the group a department's reprint of a portal item (转载) would repeat the original.
  const match = matcher(searched, scope === "group");
  const literal = text ? await match(text) : new Set();
  const words = [];
  let complete = terms.length > 0;
  for (const term of terms) {
    if (literal.size || (await match(term)).size) { words.push(term); continue; }
    const split = await pieces(term, match);
    words.push(...split.words);
    complete = complete && split.complete;
  }
  const sets = await Promise.all(words.map(match));
  let all = new Set();
  if (complete && sets.length) {
    const [smallest, ...rest] = [...sets].sort((a, b) => a.size - b.size);
    all = new Set([...smallest].filter((page) => rest.every((set) => set.has(page))));
  }
  for (const page of literal) all.delete(page);
  const byTitleThenDate = (a, b) => (b.normTitle.includes(text) - a.normTitle.includes(text)) || newestFirst(a, b);
  const full = [...[...literal].sort(byTitleThenDate), ...[...all].sort(byTitleThenDate)]
    .map((page) => ({ page, exact: literal.has(page) }));
  let partial = [];
  if (full.length < config.lowResults) {
    const inFull = new Set(full.map((e) => e.page));
    const counts = new Map();
    words.forEach((word, i) => {
      if (Array.from(word).length < 2) return;  // one character would match nearly every page
      for (const page of sets[i]) {
        if (inFull.has(page)) continue;
        const entry = counts.get(page) || { page, words: [] };
        if (!entry.words.includes(word)) entry.words.push(word);
        counts.set(page, entry);
      }
    });
    partial = [...counts.values()].sort((a, b) => (b.words.length - a.words.length) || newestFirst(a.page, b.page));
  }
  last = { full, partial, terms: [text, ...words].filter(Boolean) };
  return { full: full.length, partial: partial.length, exact: literal.size, words };
}

async function pageText(page) {
  const part = page.part;
  const number = Math.floor(page.id / part.chunk);
  if (!part.chunks.has(number)) part.chunks.set(number, fetchJson(`${part.base}t/${number}.json`));
  return (await part.chunks.get(number))[page.id % part.chunk] || "";
}

/**
 * The excerpt of ``text`` around the first match of ``terms`` (longest first), as pieces
 * [{text, mark}] (the page renders them as text nodes and <mark>: nothing is parsed as HTML).
 */
export function excerpt(text, terms) {
  // ``text`` character by character in NFKC lower case, with where each UTF-16 unit comes from,
  // then its words joined by one space, as normalise() does (positions mapped along).
  let raw = "";
  const rawFrom = [];
  const rawTo = [];
  for (let i = 0; i < text.length;) {
    const char = String.fromCodePoint(text.codePointAt(i));
    const out = char.normalize("NFKC").toLowerCase();
    raw += out;
    for (let u = 0; u < out.length; u++) { rawFrom.push(i); rawTo.push(i + char.length); }
    i += char.length;
  }
  let norm = "";
  const from = [];
  const to = [];
  for (const word of raw.matchAll(WORD)) {
    if (norm) { norm += " "; from.push(rawFrom[word.index]); to.push(rawFrom[word.index]); }
    norm += word[0];
    for (let u = 0; u < word[0].length; u++) { from.push(rawFrom[word.index + u]); to.push(rawTo[word.index + u]); }
  }
  const wanted = [...new Set(terms)].filter(Boolean).sort((a, b) => b.length - a.length);
  const spans = [];
  for (const term of wanted) {
    for (let at = norm.indexOf(term); at >= 0; at = norm.indexOf(term, at + term.length)) {
      spans.push([from[at], to[at + term.length - 1]]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const first = spans.length ? spans[0][0] : 0;
  const start = Math.max(0, first - EXCERPT_BEFORE);
  const end = Math.min(text.length, start + EXCERPT_LENGTH);
  const out = [];
  if (start > 0) out.push({ text: "…", mark: false });
  let at = start;
  for (const [s, e] of spans) {
    if (s < at || s >= end) continue;
    if (s > at) out.push({ text: text.slice(at, s), mark: false });
    out.push({ text: text.slice(s, Math.min(e, end)), mark: true });
    at = Math.min(e, end);
  }
  if (at < end) out.push({ text: text.slice(at, end), mark: false });
  if (end < text.length) out.push({ text: "…", mark: false });
  return out;
}

/** Results ``from`` .. ``from + count`` of a list; ``excerpts`` false: without (no text fetched). */
async function page(list, from, count, excerpts) {
  const entries = (last && last[list] || []).slice(from, from + count);
  return Promise.all(entries.map(async (entry) => {
    const item = entry.page;
    return {
      url: item.url, title: item.title || item.url, date: item.date, site: item.site, column: item.column,
      excerpt: excerpts ? excerpt(await pageText(item), last.terms) : [], words: entry.words || null,
      exact: !!entry.exact,
    };
  }));
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  try {
    if (message.type === "search") {
      self.postMessage({ id: message.id, ok: true, summary: await search(message.config, message.scope, message.query) });
    } else if (message.type === "page") {
      self.postMessage({ id: message.id, ok: true, items: await page(message.list, message.from, message.count,
                                                                message.excerpts !== false) });
    }
  } catch (error) {
    self.postMessage({ id: message.id, ok: false, error: String(error && error.message || error) });
  }
});

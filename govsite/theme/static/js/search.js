/* govsite search page (search.html): reads ?q= (and ?scope= on a portal), asks the search
 * worker (search-worker.js) and renders an accessible result list: the count is announced in a
 * role="status" line, each result is a link with its title, site/column, date and excerpt;
 * 显示更多结果 appends the next page and moves focus to its first new link.
 * Configuration comes from data- attributes on [data-search-page] (no inline script). */
(function () {
  "use strict";

  var root = document.querySelector("[data-search-page]");
  if (!root || typeof Worker === "undefined") return;

  var form = root.querySelector("[data-search-form]");
  var input = root.querySelector("[data-search-input]");
  var status = root.querySelector("[data-search-status]");
  var fullList = root.querySelector("[data-search-results='full']");
  var partialSection = root.querySelector("[data-search-partial]");
  var partialList = root.querySelector("[data-search-results='partial']");
  var more = root.querySelector("[data-search-more]");
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 10;

  function groupSites() {
    var sites = [];
    try { sites = JSON.parse(root.getAttribute("data-group") || "[]"); } catch (e) { sites = []; }
    // In production each site is on its own domain; previewed by path (invoke serve) the sites are
    // sibling folders, so the other bundles are reached relatively.
    var onDomain = location.hostname === root.getAttribute("data-domain");
    return sites.map(function (site) {
      var bundle = onDomain ? location.protocol + "//" + site.domain + "/search-index/" : "../" + site.domain + "/search-index/";
      return { name: site.name, bundle: new URL(bundle, location.href).href };
    });
  }

  var config = {
    bundle: new URL(root.getAttribute("data-bundle"), location.href).href,
    group: groupSites(),
    lowResults: parseInt(root.getAttribute("data-low-results"), 10) || 0
  };
  var worker = new Worker(new URL(root.getAttribute("data-worker"), location.href).href, { type: "module" });
  var pending = {};
  var nextId = 1;
  worker.addEventListener("message", function (event) {
    var handler = pending[event.data.id];
    delete pending[event.data.id];
    if (handler) handler(event.data);
  });
  function ask(message) {
    return new Promise(function (resolve, reject) {
      message.id = nextId++;
      pending[message.id] = function (reply) { reply.ok ? resolve(reply) : reject(new Error(reply.error)); };
      worker.postMessage(message);
    });
  }

  var shown = { full: 0, partial: 0 };
  var totals = { full: 0, partial: 0, exact: 0 };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* The worker's excerpt is pieces of text, the matches marked: text nodes and <mark> only. */
  function excerptNode(pieces) {
    var p = element("p", "search-result__excerpt");
    pieces.forEach(function (piece) {
      p.appendChild(piece.mark ? element("mark", "", piece.text) : document.createTextNode(piece.text));
    });
    return p;
  }

  function resultItem(item) {
    var li = element("li", "search-result");
    var heading = element("h3", "search-result__title");
    var link = element("a", "", item.title);
    link.href = item.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var facts = element("p", "search-result__facts");
    [item.site, item.column].filter(Boolean).forEach(function (text) {
      facts.appendChild(element("span", "", text));
    });
    if (item.date) {
      var time = element("time", "", item.date);
      time.setAttribute("datetime", item.date.slice(0, 10));
      facts.appendChild(time);
    }
    if (facts.childNodes.length) li.appendChild(facts);
    if (item.excerpt && item.excerpt.length) li.appendChild(excerptNode(item.excerpt));
    if (item.words) {
      li.appendChild(element("p", "search-result__partial",
        "部分匹配：包含" + item.words.map(function (w) { return "“" + w + "”"; }).join("")));
    }
    return li;
  }

  function showPage(list, target, focusFirst) {
    var count = Math.min(pageSize, totals[list] - shown[list]);
    if (count <= 0) return Promise.resolve();
    return ask({ type: "page", list: list, from: shown[list], count: count }).then(function (reply) {
      var first = null;
      reply.items.forEach(function (item) {
        var li = resultItem(item);
        target.appendChild(li);
        first = first || li.querySelector("a");
      });
      shown[list] += reply.items.length;
      if (focusFirst && first) first.focus();
    });
  }

  function updateMore() {
    var left = (totals.full - shown.full) + (totals.partial - shown.partial);
    more.hidden = left <= 0;
  }

  function announce(query) {
    var text;
    if (totals.full === 0 && totals.partial === 0) {
      text = "没有找到与“" + query + "”相关的内容。请检查用字，或换用较短、较常用的词语再试。";
    } else if (totals.full === 0) {
      text = "没有找到包含“" + query + "”全部词语的内容；下面列出包含部分词语的 " + totals.partial + " 条结果。";
    } else {
      text = "找到 " + totals.full + " 条与“" + query + "”相关的结果" +
        (totals.exact && totals.exact < totals.full ? "（前 " + totals.exact + " 条包含完整的“" + query + "”）" : "") +
        (totals.partial ? "，另有 " + totals.partial + " 条部分匹配" : "") + "。";
    }
    status.textContent = text;
    root.setAttribute("data-search-state", "done");
  }

  var generation = 0;  // a newer search makes the replies of an older one stale

  function run(query, scope) {
    var mine = ++generation;
    root.setAttribute("data-search-state", "searching");
    status.textContent = "正在搜索“" + query + "”……";
    fullList.textContent = "";
    partialList.textContent = "";
    shown = { full: 0, partial: 0 };
    return ask({ type: "search", config: config, scope: scope, query: query }).then(function (reply) {
      if (mine !== generation) return;
      totals = { full: reply.summary.full, partial: reply.summary.partial, exact: reply.summary.exact };
      partialSection.hidden = totals.partial === 0;
      return showPage("full", fullList, false).then(function () {
        if (shown.full < pageSize) return showPage("partial", partialList, false);
      });
    }).then(function () {
      if (mine !== generation) return;
      updateMore();
      announce(query);
    }).catch(function () {
      if (mine !== generation) return;
      status.textContent = "搜索暂时无法使用，请稍后再试，或通过网站地图查找内容。";
      root.setAttribute("data-search-state", "error");
    });
  }

  more.addEventListener("click", function () {
    var list = shown.full < totals.full ? "full" : "partial";
    var target = list === "full" ? fullList : partialList;
    showPage(list, target, true).then(updateMore);
  });

  function scopeOf(params) {
    return params.get("scope") === "group" && form.querySelector("[name='scope'][value='group']") ? "group" : "site";
  }

  /* Show the search the address names (?q=, ?scope=): on load and on the browser's back and forward. */
  function fromAddress() {
    var params = new URLSearchParams(location.search);
    var query = (params.get("q") || "").trim().slice(0, 64);
    var scope = scopeOf(params);
    var scopeInput = form.querySelector("[name='scope'][value='" + scope + "']");
    if (scopeInput) scopeInput.checked = true;
    input.value = query;
    if (query) return run(query, scope);
    root.setAttribute("data-search-state", "idle");
  }

  /* A new search on this page keeps the loaded index: no reload; the address follows (bookmarkable). */
  form.addEventListener("submit", function (event) {
    var query = input.value.trim().slice(0, 64);
    if (!query || typeof history.pushState !== "function") return;  // the plain GET form
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    params.set("q", query);
    history.pushState(null, "", "?" + params.toString());
    run(query, scopeOf(params));
  });
  window.addEventListener("popstate", fromAddress);
  fromAddress();
})();

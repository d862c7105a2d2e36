/*
 * EFC resource centre: the site's search, on Pagefind (its index is written by generator/search.py).
 *
 * French that forgives: Pagefind folds accents and stems French words; this script also folds the ligatures œ/æ
 * (the index holds a folded copy of words written with them), drops elisions (« l'économie »), reads a hyphen as
 * a space (« tiers-lieux »), and, when a query finds nothing, asks again with doubled letters written once (the
 * index holds these keys of each record title: « biovalee » finds La Biovallée). Records whose title (or sigle)
 * holds every word of the query come first, then other records, then listing pages.
 * Everything typed or carried by the URL is text: results are built with textContent, and Pagefind's excerpt is
 * read as text between its <mark> tags, which are rebuilt here.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("..", script.src);  // this file is <root>/efc/search.js
  var box = document.querySelector("[data-efc-search]");
  if (!box) return;
  var input = box.querySelector(".efc-search__input");
  var form = box.querySelector(".efc-search__form");
  var output = box.querySelector(".efc-search__output");
  var status = box.querySelector(".efc-search__status");
  var list = box.querySelector(".efc-search__results");
  var opener = box.querySelector(".efc-search__open");
  var closer = box.querySelector(".efc-search__close");
  var PAGE = 10;
  var HEAD = 12;  // results whose data (one fragment each) is loaded to rank them: bytes against ranking depth
  var EXACT = 5;  // whole-title candidates whose data is loaded (two homonyms share a sigle: ECT)
  var pagefind = null;
  var loading = null;
  var serial = 0;
  var active = -1;
  var shown = [];

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 22 }).then(function () { return pagefind.init(); });
      });
    }
    return loading;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // what Pagefind is asked: ligatures folded, elisions dropped, hyphens read as spaces
  function normalise(text) {
    return text.normalize("NFC")
      .replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").replace(/Æ/g, "AE")
      .replace(/[’ʼ‘`]/g, "'")
      .replace(/(^|[^\p{L}])(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(?=\p{L})/giu, "$1")
      .replace(/(\p{L}|\d)[-‐‑–](?=\p{L}|\d)/gu, "$1 ")
      .replace(/\s+/g, " ").trim();
  }

  function words(text) {
    return fold(normalise(text)).split(/[^a-z0-9]+/).filter(Boolean);
  }

  // the typo keys of generator/search.py: doubled letters once
  function typoQuery(text) {
    return words(text).map(function (w) { return w.replace(/(.)\1+/g, "$1"); }).join(" ");
  }

  // the token of a whole title (generator/search.py: title_key)
  function titleKey(text) {
    return "zzt" + words(text).join("");
  }

  function stem(word) {
    return word.length > 3 ? word.replace(/(?:s|x)$/, "") : word;
  }

  var STOP = /^(?:a|au|aux|d|de|des|du|en|et|l|la|le|les|ou|par|pour|sur|dans|un|une)$/;

  // the words that count in a title, plural marks and doubled letters dropped (« Biovallée » = « biovalee »)
  function content(text) {
    return words(text).filter(function (w) { return !STOP.test(w); })
      .map(function (w) { return stem(w).replace(/(.)\1+/g, "$1"); });
  }

  // how much of the title the query is: 1 for a sigle or a whole title, 0 when a word of the query is not in the title
  function titleScore(query, data) {
    var sigles = (data.meta.sigles || "").split(" · ").map(fold);
    if (sigles.indexOf(fold(normalise(query))) >= 0) return 1;
    var mine = content(query);
    var theirs = content(data.meta.title || "");
    if (!mine.length || !theirs.length) return 0;
    var hit = function (q, t) { return t.indexOf(q) === 0 || (q.indexOf(t) === 0 && t.length >= 4); };
    if (!mine.every(function (q) { return theirs.some(function (t) { return hit(q, t); }); })) return 0;
    var covered = theirs.filter(function (t) { return mine.some(function (q) { return hit(q, t); }); }).length;
    return covered / theirs.length + (hit(mine[0], theirs[0]) ? 0.5 : 0);  // a title that begins with the query first
  }

  function uses(data) {
    return parseInt(data.meta.uses, 10) || 0;
  }

  // records whose title holds the query, the closest first; then listing pages whose title does; then the others
  // (in Pagefind's order; the results of the typo query after those of the query)
  function rank(query, datas, typos) {
    return datas.map(function (d, i) {
      return { d: d, i: i < datas.length - typos ? i : 1000 + i, s: titleScore(query, d), page: d.meta.type === "page" ? 1 : 0 };
    }).sort(function (a, b) {
      return (b.s > 0) - (a.s > 0) || a.page - b.page || b.s - a.s || (b.s > 0 && uses(b.d) - uses(a.d)) || a.i - b.i;
    }).map(function (x) { return x.d; });
  }

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (value) el.textContent = value;
    return el;
  }

  // the entities of Pagefind's escaped text, decoded by hand: nothing here is ever parsed as HTML
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };
  function decode(html) {
    return html.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));/gi, function (all, dec, hex, name) {
      if (dec || hex) {
        var code = dec ? parseInt(dec, 10) : parseInt(hex, 16);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name.toLowerCase()) ? ENTITIES[name.toLowerCase()] : all;
    });
  }

  // Pagefind's excerpt is escaped text with <mark> around the words found: read it as text, rebuild the marks.
  // The words found but not shown (overrides/main.html) follow a `zzt` word: the excerpt stops there, and is
  // left out when what remains marks nothing.
  function excerpt(html) {
    var p = text("span", "efc-search__excerpt");
    var visible = String(html).split(/(?:^|\s)(?:<mark>)?zzt/)[0];
    var marks = 0;
    visible.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      var value = decode(part).replace(/¶/g, "");  // the permalinks' pilcrows
      if (value && marked) marks++;
      if (value) p.appendChild(marked ? text("mark", "", value) : document.createTextNode(value));
      return marked;
    }, false);
    return marks ? p : null;
  }

  function safeUrl(url) {
    var target = new URL(url, root);
    return target.origin === root.origin && target.pathname.indexOf(root.pathname) === 0 ? target.href : root.href;
  }

  function item(data, index) {
    // the link is the listbox's option (the list item only holds it)
    var li = text("li", "efc-search__item");
    li.setAttribute("role", "presentation");
    var a = text("a", "efc-search__link");
    a.id = "efc-search-result-" + index;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.href = safeUrl(data.url);
    a.tabIndex = -1;
    var icon = /^[a-z-]+$/.test(data.meta.icon || "") ? data.meta.icon : "listing";
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "efc-search__icon");
    svg.setAttribute("aria-hidden", "true");
    var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
    use.setAttribute("href", new URL("efc/icons.svg#" + icon, root).href);
    svg.appendChild(use);
    var head = text("span", "efc-search__head");
    head.appendChild(svg);
    head.appendChild(text("span", "efc-search__type", data.meta.label || "Page"));
    a.appendChild(head);
    var title = text("span", "efc-search__title", data.meta.title || a.href);
    a.appendChild(title);
    if (data.meta.sigles) {
      var tags = text("span", "efc-search__tags");
      data.meta.sigles.split(" · ").forEach(function (s) { tags.appendChild(text("span", "efc-search__tag", s)); });
      a.appendChild(tags);
    }
    if (data.meta.summary) a.appendChild(text("span", "efc-search__summary", data.meta.summary));
    var shown = data.excerpt && excerpt(data.excerpt);
    if (shown) a.appendChild(shown);
    li.appendChild(a);
    return li;
  }

  function select(index) {
    var items = list.querySelectorAll(".efc-search__link");
    active = items.length ? Math.max(-1, Math.min(index, items.length - 1)) : -1;
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function say(message) {
    status.textContent = message;
  }

  function render(query, found, from) {
    if (from === 0) list.textContent = "";
    found.shown.slice(from, from + PAGE).forEach(function (data, i) { list.appendChild(item(data, from + i)); });
    var old = output.querySelector(".efc-search__more");
    if (old) old.remove();
    var count = found.total;
    say(count === 0 ? "Aucun résultat pour « " + query + " »"
      : count === 1 ? "1 résultat" : count + " résultats");
    if (from + PAGE < count) {
      var more = text("p", "efc-search__more");  // after the listbox, which holds options only
      var button = text("button", "md-button", "Afficher plus de résultats");
      button.type = "button";
      button.addEventListener("click", function () {
        var next = from + PAGE;
        var missing = Math.max(0, next + PAGE - found.shown.length);
        var load = found.rest.splice(0, missing);
        Promise.all(load.map(function (r) { return r.data(); })).then(function (more) {
          found.shown = found.shown.concat(more);
          render(query, found, next);
          var first = list.querySelectorAll(".efc-search__item a")[next];
          if (first) first.focus();
        });
      });
      more.appendChild(button);
      output.appendChild(more);
    }
  }

  function data(results) {
    return Promise.all(results.map(function (r) { return r.data(); }));
  }

  // exact: the first results of the whole-title token (asked[i]: the query found exact[i] too); main: the query's.
  // The data of these and of the HEAD first results of the query is loaded (one fragment each), enough to put the
  // title matches first. When no title matches, the typo query (doubled letters once: « biovalee ») adds its 5 best.
  function run(query, exact, asked, main, id) {
    var key = titleKey(query);
    var whole = function (d) { return (d.meta.keys || "").split(" ").indexOf(key) >= 0; };
    var seen = exact.concat(main).map(function (r) { return r.id; });
    var head = main.slice(0, HEAD);
    return data(exact.concat(head)).then(function (datas) {
      if (id !== serial) return null;
      var typo = typoQuery(query);
      var matched = datas.some(function (d) { return whole(d) || titleScore(query, d) > 0; });
      if (matched || !typo || typo === fold(normalise(query))) return [datas, []];
      return pagefind.search(typo).then(function (found) {
        var more = found.results.filter(function (r) { return seen.indexOf(r.id) < 0; }).slice(0, 5);
        return data(more).then(function (typos) { return [datas, typos]; });
      });
    }).then(function (loaded) {
      if (id !== serial || !loaded) return;
      var datas = loaded[0];
      var typos = loaded[1];
      // a candidate that is no whole-title match stays only if the query found it
      var candidates = datas.slice(0, exact.length).filter(function (d, i) { return whole(d) || asked[i]; });
      // of two homonyms (ECT), the meaning more pages use first
      var ordered = candidates.filter(whole).sort(function (a, b) { return uses(b) - uses(a); }).concat(
        rank(query, datas.slice(exact.length).concat(candidates.filter(function (d) { return !whole(d); }), typos),
          typos.length));
      // the rest keeps Pagefind's order, loaded when the reader asks for more
      render(query, { shown: ordered, rest: main.slice(HEAD), total: main.length + candidates.length + typos.length }, 0);
      finish(query, id);
    });
  }

  function finish(query, id) {
    if (id !== serial) return;
    select(-1);
    output.dataset.query = query;
    output.dataset.state = "done";
  }

  function search() {
    var raw = input.value;
    var id = ++serial;
    output.dataset.state = "busy";
    var query = normalise(raw);
    if (!query) {
      list.textContent = "";
      say("");
      output.hidden = true;
      input.setAttribute("aria-expanded", "false");
      finish(raw, id);
      return;
    }
    output.hidden = false;
    input.setAttribute("aria-expanded", "true");
    say("Recherche…");
    load().then(function () {
      return Promise.all([pagefind.search(query), pagefind.search(titleKey(raw))]);
    }).then(function (all) {
      if (id !== serial) return null;
      // the pages whose whole title (or alias) is the query come first (checked on their data, in run),
      // with the query's own result when it has one: its excerpt marks the words of the query
      var own = {};
      all[0].results.forEach(function (r) { own[r.id] = r; });
      // Pagefind answers a word it does not hold with the pages holding its longest known prefix: a token that is
      // no title (« zzteconomie ») finds every record, by the « zzt » they all hold, at a low score; a whole-title
      // match scores far higher and comes first, so only the EXACT first are candidates
      var exact = all[1].results.filter(function (r) { return r.score > 0; }).slice(0, EXACT);
      var asked = exact.map(function (r) { return Boolean(own[r.id]); });
      exact = exact.map(function (r) { return own[r.id] || r; });
      var ids = exact.map(function (r) { return r.id; });
      return run(raw, exact, asked, all[0].results.filter(function (r) { return ids.indexOf(r.id) < 0; }), id);
    }).catch(function () {
      if (id !== serial) return;
      say("La recherche n'a pas pu être chargée.");
      finish(raw, id);
    });
  }

  function open(value) {
    box.classList.add("efc-search--open");
    opener.setAttribute("aria-expanded", "true");
    if (typeof value === "string") input.value = value;
    input.focus();
    load().catch(function () {});
    if (input.value) search();
  }

  function close() {
    box.classList.remove("efc-search--open");
    opener.setAttribute("aria-expanded", "false");
    output.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(-1);
    if (document.activeElement === input) {
      input.blur();
      if (getComputedStyle(opener).display !== "none") opener.focus();
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 80);
  });
  input.addEventListener("focus", function () {
    box.classList.add("efc-search--open");
    load().catch(function () {});
    if (input.value && list.childElementCount) {
      output.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  opener.addEventListener("click", function () { open(); });
  closer.addEventListener("click", close);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var items = list.querySelectorAll(".efc-search__item a");
    var target = items[active >= 0 ? active : 0];
    if (target && output.dataset.query === input.value) location.href = target.href;
  });
  input.addEventListener("keydown", function (event) {
    var count = list.querySelectorAll(".efc-search__item").length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      select(active + 1 >= count ? 0 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      select(active <= 0 ? count - 1 : active - 1);
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "Escape" && box.classList.contains("efc-search--open")) {
      event.preventDefault();
      close();
    } else if ((event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      open();
    } else if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target) && box.classList.contains("efc-search--open")) close();
  });

  // ?q=… (the 404 page's form, a shared search): the search opens with it, as text; on the explorer's pages `q`
  // is the explorer's own text filter
  var asked = new URLSearchParams(location.search).get("q");
  if (asked && !document.querySelector(".efc-explorer[data-src]")) open(asked.slice(0, 200));

  // the 404 page: its search field gets the words of the address asked for (/glossaire/tiers-lieux/ -> tiers lieux)
  var notFound = document.getElementById("efc-notfound-q");
  if (notFound) {
    var path;
    try { path = decodeURIComponent(location.pathname); } catch (e) { path = location.pathname; }
    var last = (path.indexOf(root.pathname) === 0 ? path.slice(root.pathname.length) : path)
      .split("/").filter(Boolean).pop() || "";
    notFound.value = last.replace(/\.html?$/, "").replace(/[-_+]+/g, " ").trim().slice(0, 200);
  }
})();

/* The explorer (explorer/, and the methods and monographs indexes restricted to their type): filters every
   record by the facets of data/explorer.json (written by generator/explorer.py) and free text.

   The URL holds the state, one parameter per facet (the registry's `param`) with vocabulary ids as values, and
   `q` for the text: several values of one facet = any of them, several facets = all of them. Every value read
   from the URL, the hash or the text box is text: the DOM is built with createElement and textContent only. */
(function () {
  "use strict";
  const mount = document.querySelector(".efc-explorer[data-src]");
  if (!mount) return;

  const PAGE = 24;
  const only = mount.dataset.only || "";
  const fold = s => String(s).replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae").normalize("NFD")
    .replace(/\p{M}/gu, "").toLowerCase();
  const words = s => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const plural = (n, one, many) => `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;
  const clip = s => (s.length > 60 ? s.slice(0, 59) + "…" : s);

  const el = window.efcElement;  // efc/dom.js

  const icons = {};
  for (const span of document.querySelectorAll(".efc-x-icons [data-variant]")) icons[span.dataset.variant] = span;

  let facets, records, byParam;
  const state = {q: "", sel: {}};  // sel: param -> Set of value ids
  let shown = PAGE;
  const ui = {};

  /* --- the state and the URL ------------------------------------------------------------------------ */

  function readUrl() {
    const ignored = [];
    state.q = "";
    state.sel = {};
    for (const [key, value] of new URLSearchParams(location.search)) {
      if (key === "q") { state.q = value; continue; }
      const facet = byParam[key];
      if (!facet) ignored.push(`le paramètre «\u00a0${clip(key)}\u00a0»`);
      else if (!facet.byId[value]) ignored.push(`la valeur «\u00a0${clip(value)}\u00a0» du filtre «\u00a0${facet.label}\u00a0»`);
      else (state.sel[key] = state.sel[key] || new Set()).add(value);
    }
    showNotice(ignored);
  }

  function writeUrl(push) {
    const params = new URLSearchParams();
    for (const facet of facets) {
      const chosen = state.sel[facet.param];
      if (chosen) for (const value of facet.values) if (chosen.has(value.id)) params.append(facet.param, value.id);
    }
    if (state.q.trim()) params.set("q", state.q);
    const query = params.toString();
    const url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function showNotice(ignored) {
    ui.notice.replaceChildren();
    ui.notice.hidden = !ignored.length;
    if (!ignored.length) return;
    ui.notice.append(el("p", {class: "admonition-title", text: "Adresse en partie ignorée"}),
      el("p", {text: `L'explorateur ne connaît pas ${ignored.slice(0, 5).join(", ")}${ignored.length > 5 ? "…" : ""}\u00a0: `
        + "ce filtre n'est pas appliqué."}));
  }

  /* --- matching and counting ------------------------------------------------------------------------ */

  function textMatch(record, terms) {
    return terms.every(t => record.hay.includes(t));
  }

  function matches(record, terms, except) {
    for (const param in state.sel) {
      const chosen = state.sel[param];
      if (param === except || !chosen.size) continue;
      const values = record.facets[param];
      if (!values || !values.some(v => chosen.has(v))) return false;
    }
    return textMatch(record, terms);
  }

  function active() {
    return Object.keys(state.sel).filter(p => state.sel[p].size);
  }

  /* --- building the page ---------------------------------------------------------------------------- */

  function build() {
    const form = el("div", {class: "efc-x-form", role: "search", "aria-label": "Filtrer les fiches"});
    ui.q = el("input", {type: "search", id: "efc-x-q", class: "efc-x-q", autocomplete: "off", spellcheck: "false",
                        placeholder: "titre, résumé, lieu…"});
    let timer;
    ui.q.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.q = ui.q.value; shown = PAGE; writeUrl(false); render(); }, 200);
    });
    const panel = el("div", {class: "efc-x-panel"});
    for (const facet of facets) {
      const list = el("ul", {class: "efc-x-values"});
      facet.values.forEach((value, i) => {
        const id = `efc-x-${facet.index}-${i}`;
        const box = el("input", {type: "checkbox", id, "aria-describedby": `${id}-def`});
        box.addEventListener("change", () => {
          const chosen = state.sel[facet.param] = state.sel[facet.param] || new Set();
          if (box.checked) chosen.add(value.id); else chosen.delete(value.id);
          shown = PAGE;
          writeUrl(true);
          render();
        });
        value.box = box;
        value.count = el("span", {class: "efc-x-count"});
        value.row = el("li", {class: "efc-x-value"}, box,
          el("label", {for: id}, el("span", {class: "efc-x-label", text: value.label}), " ", value.count),
          el("span", {class: "efc-x-def", id: `${id}-def`, role: "tooltip", text: value.definition || value.label}));
        list.append(value.row);
      });
      facet.badge = el("span", {class: "efc-x-badge"});
      facet.details = el("details", {class: "efc-x-facet"},
        el("summary", {}, el("span", {text: facet.label}), facet.badge),
        el("fieldset", {}, el("legend", {class: "efc-sr-only", text: facet.label}), list));
      panel.append(facet.details);
    }
    ui.clear = el("button", {type: "button", class: "md-button efc-x-clear", text: "Effacer les filtres"});
    ui.clear.addEventListener("click", () => {
      state.sel = {}; state.q = ""; ui.q.value = ""; shown = PAGE; writeUrl(true); render(); ui.q.focus();
    });
    ui.count = el("span", {class: "efc-x-badge"});
    ui.filters = el("details", {class: "efc-x-filters", open: ""},
      el("summary", {class: "efc-x-filters-title"}, "Filtres", ui.count), panel);
    if (window.matchMedia("(max-width: 44.9375em)").matches) ui.filters.open = false;
    form.append(el("div", {class: "efc-x-text"}, el("label", {for: "efc-x-q", text: "Rechercher dans les fiches"}), ui.q),
      ui.filters);
    ui.notice = el("div", {class: "admonition warning efc-x-notice", hidden: ""});
    ui.status = el("p", {class: "efc-x-status", role: "status", "aria-live": "polite", tabindex: "-1"});
    ui.chips = el("ul", {class: "efc-x-active", "aria-label": "Filtres appliqués"});
    ui.list = el("ol", {class: "efc-x-results"});
    ui.empty = el("div", {class: "efc-x-empty", hidden: ""});
    ui.more = el("button", {type: "button", class: "md-button efc-x-more"});
    ui.more.addEventListener("click", () => {
      const first = shown;
      shown += PAGE;
      render();
      const link = ui.list.children[first] && ui.list.children[first].querySelector("a");
      if (link) link.focus();
    });
    const results = el("section", {class: "efc-x-main", "aria-labelledby": "efc-x-results-title"},
      el("h2", {id: "efc-x-results-title", class: "efc-sr-only", text: "Résultats"}),
      el("div", {class: "efc-x-bar"}, ui.status, ui.clear), ui.chips, ui.empty, ui.list, ui.more);
    mount.replaceChildren(ui.notice, el("div", {class: "efc-x-layout"}, form, results));
  }

  function card(record) {
    const icon = icons[record.variant] || icons[record.type];
    const link = el("a", {href: new URL(mount.dataset.root + record.path, location.href).href}, record.title);
    const item = el("li", {class: "efc-x-card"},
      el("p", {class: "efc-x-kind"}, icon ? icon.cloneNode(true) : null, el("span", {text: record.kind})),
      el("h3", {class: "efc-x-title"}, link));
    if (record.summary) item.append(el("p", {class: "efc-x-summary", text: record.summary}));
    if (record.facts.length) {
      const facts = el("dl", {class: "efc-x-facts"});
      for (const [name, text] of record.facts) facts.append(el("div", {}, el("dt", {text: name}), el("dd", {text})));
      item.append(facts);
    }
    return item;
  }

  function chip(text, onclick) {
    const button = el("button", {type: "button", class: "efc-x-chip"}, el("span", {class: "efc-sr-only", text: "Retirer "}),
      text, el("span", {"aria-hidden": "true", text: " ×"}));
    button.addEventListener("click", onclick);
    return el("li", {}, button);
  }

  function removeFacet(param) {
    return () => { delete state.sel[param]; shown = PAGE; writeUrl(true); render(); ui.status.focus(); };
  }

  function removeText() {
    state.q = ""; ui.q.value = ""; shown = PAGE; writeUrl(true); render(); ui.q.focus();
  }

  function render() {
    const terms = words(state.q);
    const found = records.filter(r => matches(r, terms, null));
    for (const facet of facets) {
      const chosen = state.sel[facet.param] || new Set();
      const counts = {};
      for (const record of records) {
        const values = record.facets[facet.param];
        if (values && matches(record, terms, facet.param)) for (const v of values) counts[v] = (counts[v] || 0) + 1;
      }
      let visible = 0;
      for (const value of facet.values) {
        const n = counts[value.id] || 0;
        value.box.checked = chosen.has(value.id);
        value.count.textContent = `(${n})`;
        value.row.classList.toggle("efc-x-zero", n === 0 && !value.box.checked);
        if (n || value.box.checked) visible++;
      }
      facet.badge.textContent = chosen.size ? ` · ${chosen.size}` : "";
      facet.details.hidden = visible === 0;
    }
    if (ui.q.value !== state.q && document.activeElement !== ui.q) ui.q.value = state.q;

    const params = active();
    ui.status.textContent = !found.length ? "Aucune fiche ne correspond."
      : params.length || terms.length
        ? `${plural(found.length, "fiche correspond", "fiches correspondent")} sur ${records.length.toLocaleString("fr-FR")}.`
        : `${plural(found.length, "fiche", "fiches")}, sans filtre.`;
    const selected = params.reduce((n, p) => n + state.sel[p].size, 0);
    ui.count.textContent = selected ? ` · ${selected}` : "";
    ui.clear.hidden = !params.length && !terms.length;
    ui.chips.replaceChildren();
    for (const param of params) {
      const facet = byParam[param];
      const labels = facet.values.filter(v => state.sel[param].has(v.id)).map(v => v.label);
      ui.chips.append(chip(`${facet.label}\u00a0: ${labels.join(" ou ")}`, removeFacet(param)));
    }
    if (terms.length) ui.chips.append(chip(`Texte\u00a0: «\u00a0${clip(state.q.trim())}\u00a0»`, removeText));
    ui.chips.hidden = !ui.chips.children.length;

    ui.list.replaceChildren(...found.slice(0, shown).map(card));
    const rest = found.length - Math.min(shown, found.length);
    ui.more.hidden = rest <= 0;
    ui.more.textContent = `Voir plus (${plural(Math.min(rest, PAGE), "fiche", "fiches")} sur ${rest.toLocaleString("fr-FR")} restantes)`;

    ui.empty.hidden = found.length > 0;
    ui.empty.replaceChildren();
    if (!found.length) {
      // what removing each filter alone would give back, the most fruitful first
      const options = params.map(param => {
        const saved = state.sel[param];
        delete state.sel[param];
        const n = records.filter(r => matches(r, terms, null)).length;
        state.sel[param] = saved;
        return {n, text: `Retirer le filtre «\u00a0${byParam[param].label}\u00a0»`, action: removeFacet(param)};
      });
      if (terms.length) {
        options.push({n: records.filter(r => matches(r, [], null)).length, text: "Retirer le texte cherché", action: removeText});
      }
      const list = el("ul", {});
      for (const option of options.sort((a, b) => b.n - a.n)) {
        const button = el("button", {type: "button", class: "efc-x-chip",
                                     text: `${option.text} (${plural(option.n, "fiche", "fiches")})`});
        button.addEventListener("click", option.action);
        list.append(el("li", {}, button));
      }
      ui.empty.append(el("p", {text: "Aucune fiche ne réunit tous ces critères. Retirez un filtre\u00a0:"}), list);
    }
  }

  /* --- start ------------------------------------------------------------------------------------------ */

  fetch(new URL(mount.dataset.src, location.href))
    .then(response => { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(data => {
      records = data.records.filter(r => !only || r.type === only);
      facets = data.facets.filter(f => !only || (f.param !== "type" && f.types.includes(only)));
      if (only) {  // only the values the type's records carry
        for (const facet of facets) {
          const used = new Set(records.flatMap(r => r.facets[facet.param] || []));
          facet.values = facet.values.filter(v => used.has(v.id));
        }
        facets = facets.filter(f => f.values.length);
      }
      byParam = {};
      facets.forEach((facet, index) => {
        facet.index = index;
        facet.byId = {};
        for (const value of facet.values) facet.byId[value.id] = value;
        byParam[facet.param] = facet;
      });
      for (const record of records) {
        const labels = [];
        for (const param in record.facets) {
          const facet = byParam[param];
          if (facet) for (const v of record.facets[param]) if (facet.byId[v]) labels.push(facet.byId[v].label);
        }
        record.hay = fold([record.title, record.summary, record.kind, ...labels,
                           ...record.facts.map(f => f[1])].join(" "));
      }
      for (const hidden of document.querySelectorAll(".efc-x-static")) hidden.hidden = true;
      for (const link of document.querySelectorAll(".md-nav--secondary a[href^='#']")) {  // and its headings leave the TOC
        const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (target && target.closest(".efc-x-static")) link.parentElement.hidden = true;
      }
      build();
      readUrl();
      const opened = (mount.dataset.open || "").split(" ");
      for (const facet of facets) if (state.sel[facet.param] || opened.includes(facet.param)) facet.details.open = true;
      ui.q.value = state.q;
      render();
      window.addEventListener("popstate", () => { readUrl(); shown = PAGE; ui.q.value = state.q; render(); });
    })
    .catch(() => {
      mount.replaceChildren(el("p", {class: "efc-x-nojs",
        text: "Les fiches n'ont pas pu être chargées\u00a0; les pages de classement ci-dessous mènent aux mêmes fiches."}));
    });
})();

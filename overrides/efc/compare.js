/* « Comparer des dynamiques » (comparer/?ids=a,b,c): two to four monographs side by side, from data/comparer.json
   (written by generator/compare.py). The URL holds the choice, `ids` as a comma-separated list (the form's
   repeated `ids=` are read too); unknown ids are ignored with a notice, four at most are kept. Every value read
   from the URL is text: the DOM is built with createElement and textContent only. */
(function () {
  "use strict";
  const mount = document.querySelector(".efc-compare[data-src]");
  if (!mount) return;

  const form = mount.querySelector(".efc-compare-form");
  const notice = mount.querySelector(".efc-compare-notice");
  const out = mount.querySelector(".efc-compare-out");
  const root = mount.dataset.root || "./";
  const clip = s => (s.length > 60 ? s.slice(0, 59) + "…" : s);
  const quote = s => "«\u00a0" + clip(s) + "\u00a0»";
  let data, byId, max, chosen = [];

  const el = window.efcElement;  // efc/dom.js

  /* --- the choice and the URL ------------------------------------------------------------------------- */

  function readUrl() {
    const asked = [];
    for (const value of new URLSearchParams(location.search).getAll("ids")) {
      for (const part of value.split(",")) if (part.trim() && !asked.includes(part.trim())) asked.push(part.trim());
    }
    const unknown = asked.filter(id => !byId[id]);
    const known = asked.filter(id => byId[id]);
    chosen = known.slice(0, max);
    const messages = [];
    if (unknown.length) {
      messages.push((unknown.length > 1 ? "Fiches inconnues, ignorées\u202f: " : "Fiche inconnue, ignorée\u202f: ")
        + unknown.slice(0, 5).map(quote).join(", ") + (unknown.length > 5 ? "…" : "") + ".");
    }
    if (known.length > max) messages.push(`Quatre fiches au plus\u202f: seules les ${max} premières de l'adresse sont comparées.`);
    showNotice(messages);
  }

  function writeUrl() {
    const query = chosen.length ? "?ids=" + chosen.map(encodeURIComponent).join(",") : "";
    const url = location.pathname + query + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.pushState(null, "", url);
  }

  function showNotice(messages) {
    notice.replaceChildren(...messages.map(text => el("p", {text})));
    notice.classList.toggle("efc-compare-notice--on", messages.length > 0);
  }

  /* --- the form and the table -------------------------------------------------------------------------- */

  function syncForm() {
    for (const box of form.querySelectorAll("input[type=checkbox]")) {
      box.checked = chosen.includes(box.value);
      box.disabled = !box.checked && chosen.length >= max;
    }
  }

  function cell(value) {
    if (value === undefined) return el("span", {class: "efc-compare-none", text: "non renseigné"});
    if (typeof value === "string") return document.createTextNode(value);
    const list = el("ul");
    for (const [title, path] of value) list.append(el("li", {}, el("a", {href: root + path, text: title})));
    return list;
  }

  function render() {
    syncForm();
    out.replaceChildren();
    if (!chosen.length) {
      out.append(el("p", {class: "efc-compare-hint", text: "Cochez au moins deux fiches pour les comparer."}));
      return;
    }
    const records = chosen.map(id => byId[id]);
    const names = records.map(r => r.title).join(", ");
    const head = el("tr", {}, el("td", {class: "efc-compare-corner"}));
    for (const r of records) head.append(el("th", {scope: "col"}, el("a", {href: root + r.path, text: r.title})));
    const body = el("tbody");
    for (const row of data.rows) {
      if (records.every(r => r.facts[row.key] === undefined)) continue;
      const tr = el("tr", {}, el("th", {scope: "row", text: row.label}));
      for (const r of records) tr.append(el("td", {}, cell(r.facts[row.key])));
      body.append(tr);
    }
    const table = el("table", {class: "efc-compare-table"},
      el("caption", {class: "efc-sr-only", text: "Comparaison de " + names}), el("thead", {}, head), body);
    const box = el("div", {class: "efc-compare-scroll", role: "region", tabindex: "0",
                           "aria-label": "Tableau de comparaison (défile horizontalement sur un petit écran)"}, table);
    if (chosen.length < 2) out.append(el("p", {class: "efc-compare-hint", text: "Cochez une autre fiche pour la mettre à côté."}));
    out.append(box);
  }

  /* --- start ----------------------------------------------------------------------------------------- */

  function start(json) {
    data = json;
    max = data.max || 4;
    byId = Object.create(null);
    for (const r of data.records) byId[r.id] = r;
    for (const hidden of document.querySelectorAll(".efc-compare-nojs, .efc-compare-list")) hidden.hidden = true;
    form.hidden = false;
    form.addEventListener("submit", event => event.preventDefault());
    form.addEventListener("change", event => {
      const box = event.target;
      if (!box || box.type !== "checkbox") return;
      if (box.checked && !chosen.includes(box.value) && chosen.length < max && byId[box.value]) chosen.push(box.value);
      if (!box.checked) chosen = chosen.filter(id => id !== box.value);
      showNotice(chosen.length >= max ? [`Quatre fiches au plus\u202f: décochez-en une pour en choisir une autre.`] : []);
      writeUrl();
      render();
    });
    window.addEventListener("popstate", () => { readUrl(); render(); });
    readUrl();
    render();
  }

  fetch(mount.dataset.src, {credentials: "same-origin"})
    .then(response => { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
    .then(start)
    .catch(() => showNotice(["Les données de la comparaison n'ont pas pu être chargées."]));
})();

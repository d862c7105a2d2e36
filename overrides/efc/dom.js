/* The one DOM helper of the page scripts (explorer.js, compare.js), loaded before them on their pages
   (efc_scripts): an element built with createElement, textContent and setAttribute only, never innerHTML, so
   that what a URL or a data file carries stays text. el("a", {href: "…", text: "…", class: "…"}, child, …) */
(function () {
  "use strict";
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") e.className = value;
      else if (key === "text") e.textContent = value;
      else e.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) e.append(child);
    return e;
  }
  window.efcElement = el;
})();

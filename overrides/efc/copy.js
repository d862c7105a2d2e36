/*
 * EFC resource centre: « Copier » buttons of the citation block and of the open data page.
 *
 * A button names the element whose text it copies (data-efc-copy="id"). The buttons are
 * hidden in the HTML and shown here, so that a page without script shows no dead button
 * (the text stays selectable and the files downloadable). Native buttons: Tab and Enter
 * or Space work. Nothing is fetched; the clipboard API, else a selection and execCommand.
 */
(function () {
  "use strict";

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function say(button, message) {
    var status = button.parentNode.querySelector(".efc-copy-status");
    if (status) {
      status.textContent = message;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-efc-copy"));
    if (!source) return;
    var text = source.textContent;
    var ok = function () { say(button, "Copié dans le presse-papiers."); };
    var ko = function () { say(button, fallback(text) ? "Copié dans le presse-papiers." : "Copie impossible : sélectionnez le texte."); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(ok, ko);
    } else {
      ko();
    }
  }

  document.querySelectorAll("button.efc-copy[data-efc-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();

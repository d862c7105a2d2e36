/*
 * EFC resource centre: glossary terms on touch screens.
 *
 * Material shows a term's definition (its title) in a tooltip on hover and on keyboard
 * focus. A finger has no hover: the first tap on a term shows its definition, the
 * second tap on the same term follows the link to its page. A tap elsewhere closes it.
 */
(function () {
  "use strict";
  var touch = false;
  var shown = null;

  document.addEventListener("pointerdown", function (event) {
    touch = event.pointerType === "touch" || event.pointerType === "pen";
  }, true);

  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest("a.efc-term");
    var byTouch = touch;
    touch = false;
    if (!term || !byTouch || term === shown) return;
    event.preventDefault();
    shown = term;
    term.focus();  // Material's tooltip opens on focus, and says so to screen readers
  }, true);

  document.addEventListener("focusout", function (event) {
    if (event.target === shown) shown = null;
  }, true);
})();

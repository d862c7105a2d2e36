/*
 * EFC resource centre: French search that forgives accents and plurals.
 *
 * Material for MkDocs' search worker loads `lunr.fr.min.js` before it builds the
 * index. The generator appends this file to that script (see generator/site.py), so
 * it runs inside the worker, where `lunr` is global:
 *   - index side: every token is folded ("Économie" -> "economie", "œ" -> "oe");
 *   - query side: the query lexer folds the text and drops a final plural mark
 *     before a wildcard ("externalités*" -> "externalite*"), so that plural and
 *     singular, accented and plain queries find the same pages.
 */
(function () {
  "use strict";
  if (typeof lunr === "undefined" || !lunr.fr || lunr.fr.efcFolded) return;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/æ/g, "ae").replace(/Æ/g, "AE")
      .replace(/[’ʼ]/g, "'");
  }

  function foldQuery(text) {
    return fold(text).replace(/([A-Za-z]{3,}?)[sx](?=\*)/g, "$1");
  }

  var foldToken = function (token) {
    return token.update(function (value) { return fold(value); });
  };
  lunr.Pipeline.registerFunction(foldToken, "efcFold");

  var french = lunr.fr;
  lunr.fr = function () {
    french.apply(this, arguments);
    this.pipeline.add(foldToken);
    this.searchPipeline.add(foldToken);
  };
  Object.keys(french).forEach(function (key) { lunr.fr[key] = french[key]; });
  lunr.fr.efcFolded = true;

  var Lexer = lunr.QueryLexer;
  lunr.QueryLexer = function (text) {
    Lexer.call(this, foldQuery(String(text)));
  };
  lunr.QueryLexer.prototype = Lexer.prototype;
  Object.keys(Lexer).forEach(function (key) { lunr.QueryLexer[key] = Lexer[key]; });
})();

/*
 * EFC resource centre: French search that forgives accents and plurals.
 *
 * Material for MkDocs' search worker loads `lunr.fr.min.js` before it builds the
 * index. The generator appends this file to that script (see generator/site.py), so
 * it runs inside the worker, where `lunr` is global:
 *   - index side: every token is folded ("Économie" -> "economie", "œ" -> "oe");
 *   - query side: the query lexer folds the text and drops a final plural mark
 *     before a wildcard ("externalités*" -> "externalite*"), so that plural and
 *     singular, accented and plain queries find the same pages, and reads a hyphen
 *     inside a word ("tiers-lieux") as a space, not as lunr's "exclude" operator;
 *   - ranking: a page whose whole title is the query ("cooperation" -> "Coopération",
 *     "tiers lieu" -> "Tiers-lieu") comes before pages that merely contain the words.
 *     Lunr alone prefers rarer words ("coopérations") and ignores title length.
 *     Sigles (PTCE, ECT) are search tags of their glossary terms (see record.md.j2).
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
    // "tiers-lieux": a hyphen inside a word joins two words, it does not exclude the second one
    return fold(text).replace(/([A-Za-z0-9])-(?=[A-Za-z0-9])/g, "$1 ").replace(/([A-Za-z]{3,}?)[sx](?=\*)/g, "$1");
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

  // every word of the page title is matched by the query (sections, whose location has a "#", excluded)
  function wholeTitle(index, result) {
    var vector = index.fieldVectors["title/" + result.ref];
    if (result.ref.indexOf("#") >= 0 || !vector || !vector.elements.length) return false;
    var metadata = result.matchData.metadata;
    var matched = Object.keys(metadata).filter(function (term) { return metadata[term].title; }).length;
    return matched * 2 >= vector.elements.length;  // elements: [position, weight] pairs, one per word
  }

  var search = lunr.Index.prototype.search;
  lunr.Index.prototype.search = function () {
    var index = this;
    return search.apply(this, arguments).map(function (result) {
      if (wholeTitle(index, result)) result.score *= 100;
      return result;
    }).sort(function (a, b) { return b.score - a.score; });
  };
})();

"""Reuse and trust, for the emitter: what record pages get (citation, JSON-LD, completeness) and the files and
pages written once (open data, citation files, the Atom feed, « Nouveautés », the contributor board).

The decisions are in citation.py, jsonld.py, opendata.py, feed.py and completeness.py; this module hands their
results to the templates, as Markup where we built the HTML ourselves.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import citation, completeness, feed, indexing, jsonld, opendata, schemas, urls

TITLES = {opendata.PAGE: "Données ouvertes", feed.PAGE: "Nouveautés", completeness.BOARD: "Fiches à compléter"}


def _code(text: str) -> Markup:
    """Text for a <pre> in a Markdown page: escaped, on one line (a blank line would end the HTML block)."""
    return Markup(str(escape(text.replace("\r\n", "\n").rstrip("\n"))).replace("\n", "&#10;"))


def record(emitter, entry) -> dict:
    """Extra context of a record page."""
    cite = citation.view(entry, emitter.config, entry.page)
    for item in cite["formats"]:
        item["html"] = _code(item["content"])
        item["href"] = Markup(escape(item["href"]))
    emitter.files.update(cite.pop("contents"))
    return dict(cite=cite, jsonld=jsonld.script(jsonld.record(emitter.corpus, entry, emitter.config)),
                missing=completeness.labels(entry), board=completeness.BOARD)


def emit(emitter) -> None:
    corpus, config = emitter.corpus, emitter.config
    entries = list(corpus.entries.values())
    # open data
    emitter.files.update(opendata.files(corpus, config, indexing.by_title))
    prefix = f"{schemas.SCHEMA_DIR}/"  # the schemas the emitter has just written
    downloads = opendata.downloads(corpus, config, sorted(k.removeprefix(prefix) for k in emitter.files if k.startswith(prefix)))
    for item in downloads:
        item["href"] = Markup(escape(urls.relative_url(opendata.PAGE, item["path"])))
        item["rows"] = [(Markup("<code>%s</code>") % name, text or "—") for name, text in item["columns"]]
    version = opendata.version(corpus)
    feed_href = Markup(escape(urls.relative_url(opendata.PAGE, feed.FEED)))
    emitter.render("donnees.md.j2", opendata.PAGE, title=TITLES[opendata.PAGE], downloads=downloads, version=version,
                   version_text=citation.french_date(version) if version else "", feed_href=feed_href,
                   attribution=opendata.attribution(config, version),
                   dataset=jsonld.script(opendata.dataset(corpus, config, downloads)))
    # what is new
    emitter.files[feed.FEED] = feed.atom(entries, config)
    emitter.render("nouveautes.md.j2", feed.PAGE, title=TITLES[feed.PAGE], groups=feed.by_date(entries),
                   day_text=citation.french_date, feed_href=Markup(escape(urls.relative_url(feed.PAGE, feed.FEED))))
    # the contributor board
    emitter.render("a-completer.md.j2", completeness.BOARD, title=TITLES[completeness.BOARD],
                   board=completeness.board(entries))

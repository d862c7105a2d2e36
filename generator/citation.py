"""« Citer cette fiche »: one record as a French text, BibTeX (biblatex), RIS and CSL-JSON.

Every format carries the stable address (urls.public), the version date (`updated`) and the licence. A resource
is cited twice: the record page, and the source document itself (its type from registry.KIND_FORMATS).
BibTeX is written and escaped by bibtexparser: biblatex in UTF-8 (accents kept, as biber and Zotero read them),
the characters LaTeX gives a meaning to escaped in the text fields by its LaTeX-encoding middleware (with
pylatexenc's encoder restricted to them), the `url` field verbatim, as biblatex reads it. RIS is a few tag
lines and CSL-JSON plain JSON: both written here (rispy reads RIS back in the tests).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.middlewares import AddEnclosingMiddleware, LatexEncodingMiddleware
from pylatexenc.latexencode import RULE_DICT, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from . import urls
from .config import SiteConfig
from .model import Entry
from .registry import DEFAULT_KIND_FORMATS, KIND_FORMATS, LICENCE

FOLDER = "citer"  # citer/<id>.bib, .ris, .json in the site
FORMATS = (("bibtex", "BibTeX", "bib", "application/x-bibtex"), ("ris", "RIS", "ris", "application/x-research-info-systems"),
           ("csl", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json"))
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def french_date(day: dt.date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def files(entry: Entry) -> dict[str, str]:
    """format key -> docs path of the downloadable file."""
    return {key: f"{FOLDER}/{entry.id}.{ext}" for key, _, ext, _ in FORMATS}


def text(entry: Entry, config: SiteConfig) -> str:
    """The page cited in French: author, « title », kind of record, version date, address, licence."""
    updated = entry.meta.updated
    parts = [f"{config.site_name}, « {entry.title} »", f"fiche {entry.type_label.lower()}"]
    if updated:
        parts.append(f"version du {french_date(updated)}")
    return ", ".join(parts) + f", {urls.public(entry.page, config.site_url)}. Contenu sous licence {LICENCE[0]}."


def document_text(entry: Entry) -> str:
    """The source document cited in French: the reference the source gives, else authors, « title », publisher, year."""
    meta = entry.meta
    if meta.citation:
        return meta.citation
    parts = [", ".join(meta.authors)] if meta.authors else []
    parts.append(f"« {meta.title} »")
    parts += [p for p in (meta.publisher, str(meta.year) if meta.year else None) if p]
    return ", ".join(parts) + (f", {meta.link}" if meta.link else "") + "."


# --- BibTeX -------------------------------------------------------------------------------------------------

def _key(entry: Entry, document: bool = False) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"efc-{entry.id}" + ("-document" if document else ""))


SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
ENCODER = UnicodeToLatexEncoder(conversion_rules=[UnicodeToLatexConversionRule(RULE_DICT, {ord(k): v for k, v in SPECIALS.items()})],
                                unknown_char_policy="keep", unknown_char_warning=False,
                                replacement_latex_protection="braces-after-macro")
SPECIAL = re.compile("[" + re.escape("".join(SPECIALS)) + "]")
BIBTEX_FORMAT = bibtexparser.BibtexFormat()
BIBTEX_FORMAT.indent = "  "
BIBTEX_FORMAT.block_separator = "\n"
ENCLOSE = AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{",
                                 allow_inplace_modification=True)


def _encoded(fields: dict[str, str]) -> dict[str, str]:
    """Text fields escaped by bibtexparser's LaTeX-encoding middleware (& % # _ { } $ ~ ^ \\; UTF-8 kept)."""
    special = {k: v for k, v in fields.items() if SPECIAL.search(v)}  # the encoder reads character by character: slow
    if not special:
        return dict(fields)
    library = bibtexparser.Library([bib.Entry("misc", "x", [bib.Field(k, v) for k, v in special.items()])])
    encoded = LatexEncodingMiddleware(encoder=ENCODER).transform(library)
    return fields | {f.key: f.value for f in encoded.entries[0].fields}


def _bib_entry(entry_type: str, key: str, authors: list[str], text_fields: dict[str, str], verbatim: dict[str, str]) -> bib.Entry:
    encoded = _encoded({f"author{i}": name for i, name in enumerate(authors)} | {k: v for k, v in text_fields.items() if v})
    names = [encoded.pop(f"author{i}") for i in range(len(authors))]
    fields = [bib.Field("author", " and ".join("{" + name + "}" for name in names))] if names else []  # names kept whole
    fields += [bib.Field(k, v) for k, v in encoded.items()]
    fields += [bib.Field(k, v.replace("{", "%7B").replace("}", "%7D")) for k, v in verbatim.items() if v]
    return bib.Entry(entry_type, key, fields)


def bibtex(entry: Entry, config: SiteConfig) -> str:
    updated = entry.meta.updated
    page = _bib_entry("online", _key(entry), [config.site_name], {
        "title": entry.title, "titleaddon": f"fiche {entry.type_label.lower()}", "organization": config.site_name,
        "note": f"Contenu sous licence {LICENCE[0]} ({LICENCE[1]})", "langid": "french"},
        {"date": updated.isoformat() if updated else "", "version": updated.isoformat() if updated else "",
         "url": urls.public(entry.page, config.site_url)})
    entries = [page]
    if entry.type == "resource":
        meta = entry.meta
        kind = KIND_FORMATS.get(meta.kind, DEFAULT_KIND_FORMATS)
        entries.append(_bib_entry(kind.bibtex, _key(entry, True), meta.authors, {
            "title": meta.title, "publisher": meta.publisher or "", "note": meta.licence or "", "langid": "french"},
            {"date": meta.date if meta.date and re.fullmatch(r"\d{4}(-\d\d){0,2}", meta.date) else
             (str(meta.year) if meta.year else ""), "url": meta.link or ""}))
    # fields are encoded above: the only write step left is enclosing values in braces, in place (no copy)
    return bibtexparser.write_string(bibtexparser.Library(entries), unparse_stack=[ENCLOSE], bibtex_format=BIBTEX_FORMAT)


# --- RIS ----------------------------------------------------------------------------------------------------

def _ris_record(tags: list[tuple[str, str | None]]) -> list[str]:
    lines = [f"{tag}  - {' '.join(str(value).split())}" for tag, value in tags if value]
    return [*lines, "ER  - ", ""]


def ris(entry: Entry, config: SiteConfig) -> str:
    updated = entry.meta.updated
    lines = _ris_record([
        ("TY", "ELEC"), ("ID", _key(entry)), ("TI", entry.title), ("AU", config.site_name), ("PB", config.site_name),
        ("PY", str(updated.year) if updated else None), ("DA", updated.strftime("%Y/%m/%d") if updated else None),
        ("ET", f"version du {french_date(updated)}" if updated else None), ("M3", f"Fiche {entry.type_label.lower()}"),
        ("UR", urls.public(entry.page, config.site_url)), ("LA", "fr"), ("N1", f"Contenu sous licence {LICENCE[0]} ({LICENCE[1]})"),
        ("AB", entry.summary)])
    if entry.type == "resource":
        meta = entry.meta
        kind = KIND_FORMATS.get(meta.kind, DEFAULT_KIND_FORMATS)
        lines += _ris_record([("TY", kind.ris), ("ID", _key(entry, True)), ("TI", meta.title),
                              *[("AU", a) for a in meta.authors], ("PB", meta.publisher), ("PY", str(meta.year) if meta.year else None),
                              ("UR", meta.link), ("LA", "fr"), ("N1", meta.licence)])
    return "\r\n".join(lines)  # RIS lines end with CR LF


# --- CSL-JSON -----------------------------------------------------------------------------------------------

def csl(entry: Entry, config: SiteConfig) -> list[dict]:
    updated = entry.meta.updated
    page = {"id": _key(entry), "type": "webpage", "title": entry.title, "author": [{"literal": config.site_name}],
            "container-title": config.site_name, "publisher": config.site_name, "genre": f"Fiche {entry.type_label.lower()}",
            "URL": urls.public(entry.page, config.site_url), "language": "fr",
            "license": f"{LICENCE[0]} ({LICENCE[1]})"}
    if updated:
        page |= {"issued": {"date-parts": [[updated.year, updated.month, updated.day]]}, "version": updated.isoformat()}
    if entry.summary:
        page["abstract"] = entry.summary
    items = [page]
    if entry.type == "resource":
        meta = entry.meta
        document = {"id": _key(entry, True), "type": KIND_FORMATS.get(meta.kind, DEFAULT_KIND_FORMATS).csl, "title": meta.title,
                    "author": [{"literal": a} for a in meta.authors], "language": "fr"}
        document |= {k: v for k, v in (("publisher", meta.publisher), ("URL", meta.link), ("license", meta.licence)) if v}
        if meta.year:
            document["issued"] = {"date-parts": [[meta.year]]}
        items.append(document)
    return items


def view(entry: Entry, config: SiteConfig, here: str) -> dict:
    """What the « Citer cette fiche » block shows: the texts, each format's content and its file's address."""
    contents = {"bibtex": bibtex(entry, config), "ris": ris(entry, config),
                "csl": json.dumps(csl(entry, config), ensure_ascii=False, indent=1)}
    paths = files(entry)
    return dict(text=text(entry, config), document=document_text(entry) if entry.type == "resource" else None,
                formats=[dict(key=key, label=label, ext=ext, content=contents[key], href=urls.relative_url(here, paths[key]))
                         for key, label, ext, _ in FORMATS], contents={paths[k]: v for k, v in contents.items()})

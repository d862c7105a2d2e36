"""Search on Pagefind: what is indexed of each page, and the indexing of the built site.

The core decides what a search finds: `page_data` is written into each page's front matter (`efc_search`), and
`overrides/main.html` turns it into Pagefind's attributes (the indexed body, metadata, filters, weighted words),
so that any builder that renders `page.meta` (MkDocs + Material, Zensical) gives Pagefind the same pages.
`index_site` runs the Pagefind binary of the `pagefind[bin]` wheel on the built site, in the build's temporary
folder (site.py), so the swap into `site/` stays atomic.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from . import typography
from .model import Entry
from .registry import FACETS, TYPES
from .text import fold, is_acronym, plain

OUTPUT = "pagefind"  # the index folder, inside the site
ICONS = "efc/icons.svg"  # one <symbol> per record type and variant, for the results' type icons
LIGATURE_WORD = re.compile(r"\w*[œæŒÆ]\w*")
WORD = re.compile(r"[a-z0-9]+")
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’](?=\w)", re.IGNORECASE)


def title_key(title: str) -> str:
    """One token for a whole title (or alias): a query that is the whole title finds it first.
    overrides/efc/search.js makes the same token of the query (elisions dropped, accents and ligatures folded)."""
    return "zzt" + "".join(WORD.findall(fold(ELISION.sub("", title))))


def dedouble(word: str) -> str:
    """A typo-tolerant key of a folded word: doubled letters once ('biovallee' -> 'biovale', 'biovalee' -> 'biovale').
    overrides/efc/search.js computes the same key of each query word when the query finds nothing."""
    return re.sub(r"(.)\1+", r"\1", word)


def page_data(entry: Entry, body: str, uses: int = 0) -> dict:
    """What Pagefind gets of a record besides its visible page: type and summary (metadata of the results),
    the registry's facets (filters, vocabulary ids), sigles and aliases (weighted like the title), the words
    written with a ligature in their folded form (Pagefind does not fold œ/æ), the title's typo keys, and how many
    pages mention it (of two homonyms, the more used meaning comes first)."""
    record_type = TYPES[entry.type]
    label = record_type.variants[entry.variant][0] if entry.variant in record_type.variants else record_type.singular
    filters = {"type": [entry.type]}
    for facet in FACETS:
        if entry.type in facet.types and (values := facet.values(entry.meta)):
            filters[facet.param] = [str(v) for v in values]
    aliases = list(getattr(entry.meta, "aliases", []) or [])
    text = " ".join([entry.title, entry.summary or "", *aliases, body])
    ligatures = sorted({fold(w) for w in LIGATURE_WORD.findall(text)})
    title_words = WORD.findall(fold(entry.title))
    typo_keys = sorted({dedouble(w) for w in title_words if len(w) >= 4} - set(title_words))
    return {
        "type": entry.type,
        "label": label,
        "icon": entry.variant,
        "title": typography.french(entry.title),  # shown in the results, with French spacing like the page
        "summary": typography.french(plain(entry.summary or "")),
        "sigles": [a for a in aliases if is_acronym(a)],
        "aliases": [a for a in aliases if not is_acronym(a)],
        "folded": " ".join(ligatures),
        "typo": " ".join(typo_keys),
        "title_keys": " ".join(dict.fromkeys(title_key(t) for t in [entry.title, *aliases])),
        "uses": uses,
        "filters": [[key, value] for key, values in filters.items() for value in values],
    }


def icon_sprite() -> str:
    """Material's SVG icons of the record types (and variants), as <symbol>s named after the type."""
    import material

    folder = Path(material.__file__).parent / "templates" / ".icons"
    icons = {"listing": "material-format-list-bulleted"}
    for record_type in TYPES.values():
        icons[record_type.name] = record_type.icon
        icons.update({name: variant[1] for name, variant in record_type.variants.items()})
    symbols = []
    for name, icon in icons.items():
        family, _, shape = icon.partition("-")
        path = folder / family / f"{shape}.svg"
        svg = path.read_text(encoding="utf-8")
        view_box = re.search(r'viewBox="([^"]+)"', svg)
        inner = re.sub(r"^<svg[^>]*>|</svg>\s*$", "", svg.strip())
        symbols.append(f'<symbol id="{name}" viewBox="{view_box.group(1) if view_box else "0 0 24 24"}">{inner}</symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n"


def index_command(site: Path) -> list[str]:
    """The Pagefind command that indexes the built site (benchmarks/run.py times it alone)."""
    from pagefind_bin import get_executable

    return [str(get_executable()), "--site", str(site), "--output-subdir", OUTPUT, "--silent"]


def index_site(site: Path) -> bool:
    """Pagefind's index of the built site, in site/pagefind/. False (with Pagefind's output) when it failed."""
    result = subprocess.run(index_command(site), capture_output=True, text=True)
    if result.returncode != 0 or not (site / OUTPUT / "pagefind.js").is_file():
        print(f"L'indexation de la recherche (Pagefind) a échoué :\n{result.stdout}{result.stderr}", file=sys.stderr)
        return False
    return True

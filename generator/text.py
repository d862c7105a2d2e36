"""Small text helpers: accent folding, slugs, suggestions."""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "’": "'"})


def fold(value: str) -> str:
    """Lowercase, strip accents and ligatures: 'Économie' -> 'economie'."""
    value = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    return "".join(c for c in value if not unicodedata.combining(c)).lower()


def slugify(value: str) -> str:
    """A record id from a title: 'Forum ouvert !' -> 'forum-ouvert'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def suggest(value: str, candidates: list[str] | set[str] | dict) -> str | None:
    """The closest candidate by edit distance on folded strings, if close enough."""
    folded = {fold(c): c for c in candidates}
    match = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def did_you_mean(value: str, candidates) -> str:
    best = suggest(value, candidates)
    return f"vouliez-vous dire « {best} » ?" if best else ""


def sort_key(value: str) -> str:
    """French-friendly sort key: accents ignored, é files under E."""
    return fold(value).lstrip("«» \"'")


def initial(value: str) -> str:
    """The A–Z letter a title is filed under."""
    key = sort_key(value)
    letter = key[:1].upper()
    return letter if letter.isalpha() else "#"


def is_acronym(value: str) -> bool:
    """A sigle: one word, at least two capitals, at most one lowercase letter ('PTCE', 'NOTRe'; not 'Tiers-lieu')."""
    return (re.fullmatch(r"[A-Z][A-Za-z0-9&]*", value) is not None
            and sum(c.isupper() for c in value) >= 2 and sum(c.islower() for c in value) <= 1)


def plain(markdown: str) -> str:
    """Markdown to plain text for attributes (tooltips, descriptions)."""
    text = re.sub(r"\[\[([^\]|]+)\|([^\]]+)\]\]", r"\2", markdown)
    text = re.sub(r"\[\[([^\]]+)\]\]", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#>]", "", text)
    return " ".join(text.split())


# --- field values in generated Markdown (defence in depth: `check` refuses HTML in fields, a forced build does not)

MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]{}])")  # links, references, abbreviations, attribute lists, code


@functools.lru_cache(maxsize=65536)  # pure, and called for every wiki link to the same few titles
def md_text(value: str) -> str:
    """A field as inert Markdown text: HTML escaped, on one line (no block can start), link, attribute-list and
    code syntax escaped. MkDocs renders raw HTML inside Markdown, so a title written as is would be HTML."""
    return MARKDOWN_ACTIVE.sub(r"\\\1", html.escape(value.replace("\n", " "), quote=False))


def meta_text(value: str) -> str:
    """A value for a page's front matter: Material writes `title` and `description` into the HTML unescaped."""
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@functools.lru_cache(maxsize=65536)
def tooltip(markdown: str) -> str:
    """A definition as the title of a Markdown link. Material shows that title as a tooltip by injecting the
    attribute's decoded value as HTML: the text is escaped twice, and no quote can end the title."""
    text = plain(markdown).replace('"', "”").replace("\\", "\\\\")
    return html.escape(html.escape(text, quote=False), quote=False)


def fenced(text: str) -> str:
    """Text shown as it is written, in a fenced code block that no line of it can close."""
    fence = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", text)])
    text = text.strip("\n")
    return f"{fence}text\n{text}\n{fence}\n"

"""Cross-linking in record bodies: wiki links and glossary terms found in running text.

The output is ordinary Markdown: `[[id]]` becomes `[Title](../section/id.md)`, and the
first occurrence of a glossary term becomes `[mot](../glossaire/id.md "définition"){ .efc-term }`
(Material shows the title attribute as a tooltip). Headings, code, existing links and
HTML are never touched.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Entry
from .text import plain

WIKI = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
PROTECTED = re.compile(
    r"<([a-zA-Z][\w-]*)\b[^>]*>.*?</\1\s*>"  # inline HTML elements and their content
    r"|`+[^`]*`+"  # inline code
    r"|\[\[[^\]]*\]\]"  # wiki links (before rendering)
    r"|!?\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)(?:\{[^}]*\})?"  # Markdown links and images
    r"|<[^>]*>"  # HTML tags and autolinks
    r"|https?://\S+"
)
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
SMALL_WORDS = {"de", "du", "des", "d'", "à", "au", "aux", "en", "pour", "sur", "par", "entre", "et", "la", "le", "les", "l'"}
STOP_PLURAL = {"de", "du", "des", "à", "au", "aux", "en", "pour", "sur", "par", "entre"}


CODE_SPAN = re.compile(r"`+[^`]*`+")


def _outside_code(line: str, transform: Callable[[str], str]) -> str:
    pieces, last = [], 0
    for code in CODE_SPAN.finditer(line):
        pieces += [transform(line[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join(pieces) + transform(line[last:])


def relative(from_page: str, to_page: str) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _inflect(word: str, plural: bool) -> str:
    low = word.lower()
    if plural:
        if low.endswith(("s", "x", "z")):
            return word
        if low.endswith("al"):
            return word[:-2] + "aux"
        if low.endswith(("eau", "eu")):
            return word + "x"
        return word + "s"
    if low.endswith("aux") and len(low) > 4:
        return word[:-3] + "al"
    if low.endswith(("s", "x")) and len(low) > 3 and not low.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def variants(form: str) -> set[str]:
    """A form, its plural and its singular: only the head of the phrase is inflected."""
    out = {form}
    if _is_acronym(form):
        return out
    parts = re.split(r"(\s+|-)", form)
    for plural in (True, False):
        inflected, stop = [], False
        for part in parts:
            if part.strip() in ("", "-") or stop:
                inflected.append(part)
                continue
            if part.lower() in STOP_PLURAL or "'" in part:
                stop = True
                inflected.append(part)
                continue
            inflected.append(_inflect(part, plural) if len(part) > 2 and part.lower() not in SMALL_WORDS else part)
        out.add("".join(inflected))
    return out


def surface_forms(term: Entry) -> set[str]:
    forms = set()
    title = term.meta.title
    bare = re.sub(r"\s*\(([^)]*)\)\s*$", "", title).strip()
    for form in {title, bare, *term.meta.aliases}:
        form = form.strip()
        if len(form) >= 3 and "(" not in form:
            forms |= variants(form)
    paren = re.search(r"\(([^)]*)\)\s*$", title)
    if paren and _is_acronym(paren.group(1)):
        forms.add(paren.group(1))
    return forms


@dataclass
class TermMatcher:
    exact: dict[str, set[str]] = field(default_factory=dict)  # acronyms, case-sensitive
    folded: dict[str, set[str]] = field(default_factory=dict)  # other forms, by casefold
    pattern: re.Pattern | None = None

    @classmethod
    def build(cls, terms: list[Entry]) -> TermMatcher:
        matcher = cls()
        for term in terms:
            if not term.meta.autolink:
                continue
            for form in surface_forms(term):
                if _is_acronym(form):
                    matcher.exact.setdefault(form, set()).add(term.id)
                else:
                    matcher.folded.setdefault(form.casefold(), set()).add(term.id)
        alternatives = [(f, True) for f in matcher.exact] + [(f, False) for f in matcher.folded]
        alternatives.sort(key=lambda a: -len(a[0]))
        if alternatives:
            body = "|".join(re.escape(f) if exact else f"(?i:{re.escape(f)})" for f, exact in alternatives)
            matcher.pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
        return matcher

    def candidates(self, text: str) -> set[str]:
        return self.exact.get(text) or self.folded.get(text.casefold(), set())


@dataclass
class Rendered:
    body: str
    wiki: list[tuple[str, int]]  # (target id, line) for every wiki link, resolved or not
    terms: list[tuple[str, int]]  # (term id, line) of terms linked in the text


def render_body(
    entry: Entry,
    entries: dict[str, Entry],
    matcher: TermMatcher,
    prefer: Callable[[Entry, set[str]], str | None],
) -> Rendered:
    """Resolve wiki links and link glossary terms in one entry's body."""
    wiki: list[tuple[str, int]] = []
    used: list[tuple[str, int]] = []
    linked: set[str] = set()
    out_lines = []
    in_fence = False
    here = entry.page

    def wiki_sub(match: re.Match, line_no: int) -> str:
        target_id, text = match.group(1).strip(), match.group(2)
        wiki.append((target_id, line_no))
        target = entries.get(target_id)
        if target is None:
            return text or target_id
        label = (text or target.title).replace("]", "\\]")
        title = ""
        if target.type == "term":
            title = ' "' + plain(target.meta.definition).replace('"', "”") + '"'
            linked.add(target.id)
        return f"[{label}]({relative(here, target.page)}{title})"

    def term_sub(match: re.Match, line_no: int) -> str:
        found = match.group(0)
        ids = matcher.candidates(found)
        if not ids or entry.id in ids:  # never link a term on its own page
            return found
        term_id = next(iter(ids)) if len(ids) == 1 else prefer(entry, ids)
        if term_id is None or term_id in linked:
            return found
        linked.add(term_id)
        used.append((term_id, line_no))
        term = entries[term_id]
        definition = plain(term.meta.definition).replace('"', "”")
        return f'[{found}]({relative(here, term.page)} "{definition}"){{ .efc-term }}'

    for offset, line in enumerate(entry.raw.body.split("\n")):
        line_no = entry.raw.body_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
            out_lines.append(line)
            continue
        if in_fence:
            out_lines.append(line)
            continue
        line = _outside_code(line, lambda text: WIKI.sub(lambda m: wiki_sub(m, line_no), text))
        if matcher.pattern is not None and not line.lstrip().startswith("#"):
            pieces, last = [], 0
            for protected in PROTECTED.finditer(line):
                pieces += [matcher.pattern.sub(lambda m: term_sub(m, line_no), line[last:protected.start()]),
                           protected.group(0)]
                last = protected.end()
            line = "".join(pieces) + matcher.pattern.sub(lambda m: term_sub(m, line_no), line[last:])
        out_lines.append(line)
    return Rendered("\n".join(out_lines), wiki, used)

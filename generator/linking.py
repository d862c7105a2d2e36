"""Cross-linking in record bodies: wiki links and glossary terms found in running text.

The output is ordinary Markdown: `[[id]]` becomes `[Title](../section/id.md)`, and the
first occurrence of a glossary term becomes `[mot](../glossaire/id.md "définition"){ .efc-term }`
(Material shows the title attribute as a tooltip). Headings, code, existing links and
HTML are never touched.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import ahocorasick

from . import mdcode
from .model import Entry
from .text import md_text, tooltip
from .urls import relative

WIKI = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
# Spans where nothing is auto-linked. Every branch starts with a literal character, so that `re` jumps from
# one candidate character to the next instead of trying each branch at every position; and each gives up at
# the next "<", "[", "(" or line end (or after 500 characters): a body full of unclosed "<a" or "[" must not
# cost one scan to the end of the text per occurrence.
_LINK = r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\n]|\([^()\n]*\))*\)(?:\{[^{}\n]*\})?"
PROTECTED = re.compile(
    r"#[^\n]*"  # headings (a '#' inside a line is skipped by `protected_spans`)
    r"|<(?P<tag>[a-zA-Z][\w-]*)\b[^<>]*>.{0,500}?</(?P=tag)\s*>"  # inline HTML elements and their content
    r"|<[^<>]*>"  # other HTML tags and autolinks
    r"|\[\[[^\[\]\n]*\]\]"  # wiki links (before rendering)
    r"|!" + _LINK + r"|" + _LINK +  # Markdown images and links
    r"|https?://\S+"
)
# a wiki link after an article (« dans la [[biovallee]] ») drops the article its title starts with (« La Biovallée »)
ARTICLE_BEFORE = re.compile(r"(?:^|[^\w'’])(le|la|les|l['’]|du|au|des|aux) ?$", re.IGNORECASE)
TITLE_ARTICLE = re.compile(r"^(les|le|la|l['’])(?: (?=\w)|(?<=['’]))", re.IGNORECASE)
SAME_ARTICLE = {"le": "le", "la": "la", "les": "les", "l'": "l'", "l’": "l'", "du": "le", "au": "le", "des": "les", "aux": "les"}
STOP_PLURAL = {"de", "du", "des", "à", "au", "aux", "en", "pour", "sur", "par", "entre"}  # the complement starts here


def _exact_case(form: str) -> bool:
    """Acronyms and forms with inner capitals (PTCE, NOTRe, Start-Up) are matched with their exact case.
    (Wider than text.is_acronym, which tells a sigle for the search tags.)"""
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and (all(c.isupper() for c in letters) or any(c.isupper() for c in form[1:]))


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
    if _exact_case(form):
        return out
    parts = re.split(r"(\s+|-)", form)
    for plural in (True, False):
        if not plural and len(parts) == 1 and len(form) < 8:  # "communs" must not link every "commun"
            continue
        inflected, stop = [], False
        for part in parts:
            if part.strip() in ("", "-") or stop:
                inflected.append(part)
                continue
            if part.lower() in STOP_PLURAL or "'" in part:
                stop = True
                inflected.append(part)
                continue
            inflected.append(_inflect(part, plural) if len(part) > 2 else part)
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
    if paren and _exact_case(paren.group(1)):
        forms.add(paren.group(1))
    return forms


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the spans where nothing is auto-linked, in order, not overlapping: code spans
    (mdcode, as Python-Markdown finds them), headings, HTML, links, addresses."""
    spans = mdcode.inline_spans(text)
    pos = 0
    while match := PROTECTED.search(text, pos):
        start = match.start()
        if text[start] == "#" and text[text.rfind("\n", 0, start) + 1:start].strip(" ") != "":
            pos = start + 1  # a '#' inside a line ("C#", "n° #3") is not a heading
            continue
        spans.append((start, match.end()))
        pos = match.end()
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass
class TermMatcher:
    exact: dict[str, set[str]] = field(default_factory=dict)  # acronyms, case-sensitive
    folded: dict[str, set[str]] = field(default_factory=dict)  # other forms, by casefold
    automaton: ahocorasick.Automaton | None = None  # every form, lowercased

    @classmethod
    def build(cls, terms: list[Entry]) -> TermMatcher:
        matcher = cls()
        for term in terms:
            if not term.meta.autolink:
                continue
            for form in surface_forms(term):
                if _exact_case(form):
                    matcher.exact.setdefault(form, set()).add(term.id)
                    if form[0].isupper() and form[1:2].islower():  # "Loi NOTRe" also as "loi NOTRe"
                        matcher.exact.setdefault(form[0].lower() + form[1:], set()).add(term.id)
                else:
                    matcher.folded.setdefault(form.casefold(), set()).add(term.id)
        forms = {f.lower() for f in matcher.exact} | set(matcher.folded)
        if forms:
            # Aho-Corasick: one pass over the lowercased text finds every form, whatever their number.
            matcher.automaton = ahocorasick.Automaton()
            for form in forms:
                matcher.automaton.add_word(form, len(form))
            matcher.automaton.make_automaton()
        return matcher

    def candidates(self, text: str) -> set[str]:
        return self.exact.get(text) or self.folded.get(text.casefold(), set())

    def find(self, chunk: str) -> list[tuple[int, int, set[str]]]:
        """Leftmost-longest term occurrences (start, end, term ids) outside protected spans."""
        if self.automaton is None:
            return []
        lowered = chunk.lower()
        if len(lowered) != len(chunk):  # rare letters whose lowercase changes length: keep offsets exact
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in chunk)
        protected = protected_spans(chunk)
        starts = [start for start, _ in protected]
        found: dict[int, tuple[int, set[str]]] = {}  # start -> (end, ids) of the longest valid form there
        for last, length in self.automaton.iter(lowered):
            start, end = last + 1 - length, last + 1
            if start in found and found[start][0] >= end:
                continue
            if (start and (lowered[start - 1].isalnum() or lowered[start - 1] in "_-")) or \
                    (end < len(chunk) and (lowered[end].isalnum() or lowered[end] in "_-")):
                continue
            i = bisect.bisect_right(starts, start) - 1
            if i >= 0 and protected[i][1] > start or i + 1 < len(starts) and starts[i + 1] < end:
                continue
            ids = self.candidates(chunk[start:end])
            if ids:
                found[start] = (end, ids)
        out, reached = [], 0
        for start in sorted(found):
            end, ids = found[start]
            if start >= reached:
                out.append((start, end, ids))
                reached = end
        return out


def _after_article(before: str, title: str) -> str:
    """The title as a link text after `before`: without its article when the text already says it."""
    said, own = ARTICLE_BEFORE.search(before[-8:]), TITLE_ARTICLE.match(title)
    if said and own and SAME_ARTICLE[said.group(1).lower()] == SAME_ARTICLE[own.group(1).lower()]:
        return title[own.end():]
    return title


@dataclass
class Rendered:
    body: str | None  # None in the cache, which keeps rendered bodies apart
    wiki: list[tuple[str, int]]  # (target id, line) for every wiki link, resolved or not
    terms: list[tuple[str, int]]  # (term id, line) of terms linked in the text


def render_body(
    entry: Entry,
    entries: dict[str, Entry],
    matcher: TermMatcher,
    prefer: Callable[[Entry, set[str]], str | None],
) -> Rendered:
    """Resolve wiki links and link glossary terms in one entry's body.

    Works on the stretches between block code (fenced and indented blocks, see mdcode), one regex pass each.
    """
    body = mdcode.normalize(entry.raw.body)
    wiki: list[tuple[str, int]] = []
    used: list[tuple[str, int]] = []
    linked: set[str] = set()
    here = entry.page

    def wiki_sub(match: re.Match, base: int) -> str:
        target_id, text = match.group(1).strip(), match.group(2)
        wiki.append((target_id, entry.raw.body_line + body.count("\n", 0, base + match.start())))
        target = entries.get(target_id)
        if target is None:
            return text or target_id
        label = text.replace("]", "\\]") if text else md_text(_after_article(match.string[:match.start()], target.title))
        title = ""
        if target.type == "term":
            title = f' "{tooltip(target.meta.definition)}"'
            linked.add(target.id)
        return f"[{label}]({relative(here, target.page)}{title})"

    def wikis(chunk: str, base: int) -> str:
        code = mdcode.inline_spans(chunk)
        out, last = [], 0
        for match in WIKI.finditer(chunk):
            if any(start <= match.start() < end for start, end in code):
                continue
            out += [chunk[last:match.start()], wiki_sub(match, base)]
            last = match.end()
        return "".join(out) + chunk[last:]

    def render(chunk: str, base: int) -> str:
        if "[[" in chunk:
            chunk = wikis(chunk, base)
        out, last = [], 0
        for start, end, ids in matcher.find(chunk):
            if entry.id in ids:  # never link a term on its own page
                continue
            term_id = next(iter(ids)) if len(ids) == 1 else prefer(entry, ids)
            if term_id is None or term_id in linked:
                continue
            linked.add(term_id)
            used.append((term_id, entry.raw.body_line + body.count("\n", 0, base) + chunk.count("\n", 0, start)))
            term = entries[term_id]
            link = f'[{chunk[start:end]}]({relative(here, term.page)} "{tooltip(term.meta.definition)}"){{ .efc-term }}'
            out += [chunk[last:start], link]
            last = end
        return "".join(out) + chunk[last:]

    code, _ = mdcode.block_spans(body)
    out, last = [], 0
    for start, end in code:
        out += [render(body[last:start], last), body[start:end]]
        last = end
    out.append(render(body[last:], last))
    return Rendered("".join(out), wiki, used)

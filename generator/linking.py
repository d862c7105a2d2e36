"""Cross-linking in record bodies: wiki links and glossary terms found in running text.

The output is ordinary Markdown: `[[id]]` becomes `[Title](../section/id.md)`, and the
first occurrence of a glossary term becomes `[mot](../glossaire/id.md "définition"){ .efc-term }`
(Material shows the title attribute as a tooltip). Headings, code, existing links and
HTML are never touched.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Entry
from .text import md_text, tooltip

WIKI = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
# Each alternative gives up at the next "<", "[", "(" or line end (or after 500 characters): a body full of
# unclosed "<a" or "[" must not cost one scan to the end of the text per occurrence.
PROTECTED = re.compile(
    r"#[^\n]*"  # headings (a '#' inside a line also protects the rest of that line)
    r"|<(?P<tag>[a-zA-Z][\w-]*)\b[^<>]*>.{0,500}?</(?P=tag)\s*>"  # inline HTML elements and their content
    r"|`+[^`\n]*`+"  # inline code
    r"|\[\[[^\[\]\n]*\]\]"  # wiki links (before rendering)
    r"|!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\n]|\([^()\n]*\))*\)(?:\{[^{}\n]*\})?"  # Markdown links and images
    r"|<[^<>]*>"  # HTML tags and autolinks
    r"|https?://\S+"
)
FENCED = re.compile(r"^[ \t]{0,3}(```|~~~)[^\n]*\n.*?(?:^[ \t]{0,3}\1[^\n]*$|\Z)", re.M | re.S)
WIKI_OR_CODE = re.compile(r"`+[^`\n]*`+|" + WIKI.pattern)
STOP_PLURAL = {"de", "du", "des", "à", "au", "aux", "en", "pour", "sur", "par", "entre"}  # the complement starts here



def relative(from_page: str, to_page: str) -> str:
    """Relative link between two pages of the docs folder ("methodes/a.md" -> "../glossaire/b.md")."""
    to_dir, _, name = to_page.rpartition("/")
    return _relative_dir(from_page.rpartition("/")[0], to_dir) + name


@functools.lru_cache(maxsize=1024)
def _relative_dir(from_dir: str, to_dir: str) -> str:
    path = posixpath.relpath(to_dir or ".", from_dir or ".")
    return "" if path == "." else path + "/"


def _is_acronym(form: str) -> bool:
    """Acronyms and forms with inner capitals (PTCE, NOTRe, Start-Up) are matched with their exact case."""
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
    if _is_acronym(form):
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
    if paren and _is_acronym(paren.group(1)):
        forms.add(paren.group(1))
    return forms


def trie_pattern(forms: list[str]) -> str:
    """One regex alternative per shared prefix: matching cost no longer grows with the number of terms."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        if optional:
            body = ("(?:" + "|".join(branches) + ")?") if len(branches) > 1 or len(branches[0]) > 1 else body + "?"
        return body

    return build(trie)


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
                    if form[0].isupper() and form[1:2].islower():  # "Loi NOTRe" also as "loi NOTRe"
                        matcher.exact.setdefault(form[0].lower() + form[1:], set()).add(term.id)
                else:
                    matcher.folded.setdefault(form.casefold(), set()).add(term.id)
        forms = {f.lower() for f in matcher.exact} | set(matcher.folded)
        if forms:
            # One pass over the lowercased text: protected spans are matched (and kept) before terms can
            # match inside them; the case of acronyms and the left word boundary are checked in Python.
            terms = trie_pattern(sorted(forms))
            matcher.pattern = re.compile(f"(?P<protected>{PROTECTED.pattern})|(?P<term>{terms})(?![\\w-])")
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
    """Resolve wiki links and link glossary terms in one entry's body.

    Works on whole chunks between fenced code blocks (one regex pass each), not line by line.
    """
    body = entry.raw.body
    wiki: list[tuple[str, int]] = []
    used: list[tuple[str, int]] = []
    linked: set[str] = set()
    here = entry.page

    def wiki_sub(match: re.Match, base: int) -> str:
        if match.group(0).startswith("`"):
            return match.group(0)
        target_id, text = match.group(1).strip(), match.group(2)
        wiki.append((target_id, entry.raw.body_line + body.count("\n", 0, base + match.start())))
        target = entries.get(target_id)
        if target is None:
            return text or target_id
        label = text.replace("]", "\\]") if text else md_text(target.title)
        title = ""
        if target.type == "term":
            title = f' "{tooltip(target.meta.definition)}"'
            linked.add(target.id)
        return f"[{label}]({relative(here, target.page)}{title})"

    def term_sub(match: re.Match, chunk: str, base: int) -> str:
        found = chunk[match.start():match.end()]
        if match.group("term") is None:
            return found
        before = chunk[match.start() - 1] if match.start() else " "
        if before.isalnum() or before in "_-":
            return found
        ids = matcher.candidates(found)
        if not ids or entry.id in ids:  # never link a term on its own page
            return found
        term_id = next(iter(ids)) if len(ids) == 1 else prefer(entry, ids)
        if term_id is None or term_id in linked:
            return found
        linked.add(term_id)
        used.append((term_id, entry.raw.body_line + body.count("\n", 0, base) + chunk.count("\n", 0, match.start())))
        term = entries[term_id]
        return f'[{found}]({relative(here, term.page)} "{tooltip(term.meta.definition)}"){{ .efc-term }}'

    def render(chunk: str, base: int) -> str:
        if "[[" in chunk:
            chunk = WIKI_OR_CODE.sub(lambda m: wiki_sub(m, base), chunk)
        if matcher.pattern is None:
            return chunk
        lowered = chunk.lower()
        if len(lowered) != len(chunk):  # rare letters whose lowercase changes length: keep offsets exact
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in chunk)
        out, last = [], 0
        for match in matcher.pattern.finditer(lowered):
            if match.group("term") is not None:
                out += [chunk[last:match.start()], term_sub(match, chunk, base)]
                last = match.end()
        return "".join(out) + chunk[last:]

    out, last = [], 0
    for fence in FENCED.finditer(body):
        out += [render(body[last:fence.start()], last), fence.group(0)]
        last = fence.end()
    out.append(render(body[last:], last))
    return Rendered("".join(out), wiki, used)

"""The HTML safety scanner: what in a record could run script in a reader's browser."""

from __future__ import annotations

import html
import re

from . import mdcode

# The scanner is more suspicious than any parser on the way (Python-Markdown, then the browser), because
# they disagree on the edges: every "<" followed by a letter is read as a tag, wherever it stands (inside a
# comment, a CDATA section, another tag, a <style>…); attributes are split as the HTML standard says (quotes,
# slashes, line breaks); the same checks run on the text once its entities are decoded (a link title or an
# abbreviation becomes a Material tooltip, which the browser decodes and Material injects as HTML). Only code
# that Python-Markdown is certain to leave as code is skipped.

FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
                  "base", "form", "svg", "math", "template", "noscript")
NOT_A_TAG = r"(?:[^\s/>=<]|<(?!/?[a-zA-Z]))"  # a "<" that starts a tag ends the current one (and is read on its own)
TAG_START = re.compile(r"<(/?)([a-zA-Z][^\s/><]*)")
ATTRIBUTE = re.compile(rf"""[\s/]*(={NOT_A_TAG}*|{NOT_A_TAG}+)(?:\s*=\s*("[^"]*"?|'[^']*'?|(?:[^\s><]|<(?!/?[a-zA-Z]))*))?""")
MD_URL = re.compile(r"\]\s*\(\s*<?([^)>]*)")  # inline links and images, a destination may span lines
MD_REF_URL = re.compile(r"\[[^\[\]\n]*\]:\s*<?(\S*)")  # reference definitions, the destination may be on the next line
EVENT_TEXT = re.compile(r"(?<![^\s\"'/])on[a-z]+\s*=", re.I)  # an event handler wherever it is (link titles…)
# What makes a text worth examining. Two expressions: the first has a literal first character in every branch,
# so `re` skips ahead to candidates; the second (no literal start) only runs on a text with an "=".
SUSPECT = re.compile(r"<|&|\]\s*[(:]|\{")
SUSPECT_EVENT = re.compile(r"(?<![a-z])on[a-z]+\s*=", re.I)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


def _bad_url(url: str) -> bool:
    if ":" not in url and "&" not in url:  # a scheme needs a colon, written as such or as an entity
        return False
    cleaned = re.sub(r"[\s\x00-\x20]+", "", html.unescape(html.unescape(url.strip("\"'<>")))).lower()
    return cleaned.startswith(BAD_SCHEMES)


def _attribute_problems(name: str, value: str | None) -> list[str]:
    found = []
    if name.lower().startswith("on"):
        found.append(f"attribut de script ({name.lower()}=)")
    if name.lower() == "style":
        found.append("attribut style")
    if value is not None and _bad_url(value):
        found.append(f"adresse dangereuse dans l'attribut {name.lower()}")
    return found


def _dangers(text: str) -> list[tuple[int, str]]:
    """(position, message) for every construct that could run script in a reader's browser."""
    found = []
    for tag in TAG_START.finditer(text):
        name = tag.group(2).lower()
        if name in FORBIDDEN_TAGS:
            found.append((tag.start(), f"balise <{name}> interdite"))
        if ":" in name and _bad_url(name):
            found.append((tag.start(), "lien automatique vers une adresse dangereuse"))
        pos = tag.end()
        while attribute := ATTRIBUTE.match(text, pos):
            found += [(attribute.start(1), f"{message} dans <{name}>") for message in _attribute_problems(*attribute.groups())]
            pos = attribute.end()
    for line in re.finditer(r"[^\n]+", text):  # attr_list reads from a "{" to the last "}" of the line
        start, end = text.find("{", line.start(), line.end()) + 1, text.rfind("}", line.start(), line.end())
        for attribute in ATTRIBUTE.finditer(text, start, end) if 0 < start <= end else ():
            found += [(start, f"{message} dans une liste d'attributs {{ }}") for message in _attribute_problems(*attribute.groups())]
    for pattern in (MD_URL, MD_REF_URL):
        found += [(url.start(1), "lien Markdown vers une adresse javascript:, data: ou vbscript:")
                  for url in pattern.finditer(text) if _bad_url(url.group(1))]
    found += [(event.start(), "attribut de script (on…=)") for event in EVENT_TEXT.finditer(text)]
    return found


def _without_code(text: str) -> str:
    """The text with what Python-Markdown is certain to render as code blanked (see mdcode)."""
    text = mdcode.normalize(text)
    return mdcode.blank(text, mdcode.code_spans(text, certain=True))


def _decoded(text: str) -> str:
    """Entities decoded line by line (a decoded line break must not shift the lines)."""
    return "\n".join(html.unescape(line).replace("\n", " ") for line in text.split("\n"))


def html_problems(text: str, code: bool = True) -> list[tuple[int, str]]:
    """(line offset, message) for every construct that could run script; code is skipped when `code` is true."""
    # no tag, no link target, no entity, no attribute list, no "on…=": nothing to examine
    if not SUSPECT.search(text) and not ("=" in text and SUSPECT_EVENT.search(text)):
        return []
    if code:
        text = _without_code(text)
    found = set()
    for candidate in {text, _decoded(text)} if "&" in text else {text}:
        found |= {(candidate.count("\n", 0, pos), message) for pos, message in _dangers(candidate)}
    return sorted(found)


def unsafe_field(value: str) -> bool:
    """Fields (and vocabulary labels) are plain text: no tag at all, no dangerous address, no link, no attribute list."""
    return bool(TAG_START.search(value) or _bad_url(value) or html_problems(value, code=False))

"""French typography of generated pages, at render time: the non-breaking spaces French requires.

- U+202F (espace fine insécable) before « ; : ! ? » and inside « guillemets »;
- U+00A0 (espace insécable) between a number and its unit (18,5 M€, 30 %, 12 km) and between digit groups (1 000).

Applied by the emitter to the whole Markdown of a page (bodies and field values alike) except where a space
would change meaning or syntax: front matter, code (mdcode: fenced, indented and inline, as Python-Markdown
reads it), HTML tags and their attributes, link destinations and titles, attribute lists, addresses, HTML
entities and emoji shortcodes. A ':' or '?' not followed by a space (https://, ?q=, 10:30) is never touched.
"""

from __future__ import annotations

import bisect
import functools
import re

from . import mdcode

NNBSP, NBSP = "\u202f", "\u00a0"
PROTECTED = re.compile(
    r"\A---\n.*?\n---\n"  # front matter
    r"|<script\b[^>]*>.*?</script\s*>"  # data and scripts (JSON-LD): not text
    r"|<[^<>\n]*>"  # HTML tags (attributes) and autolinks
    r"|\]\((?:[^()\n]|\([^()\n]*\))*\)"  # link destinations and titles
    r"|\{[^{}\n]*\}"  # attribute lists
    r"|https?://[^\s<>()\]]+|www\.[^\s<>()\]]+"  # addresses written as text
    r"|&#?\w+;"  # entities
    r"|:[\w+-]+:",  # emoji and icon shortcodes (:material-tag-outline:)
    re.DOTALL,
)
# one pass; each branch is a space to replace or a place to insert one, never inside a protected span. Each branch
# starts with a cheap test (the space, a lookahead) and the whole with a test of the characters that can start one:
# `re` tries every position of the page, and lookbehinds first made this the slowest step of emitting a page.
THIN = re.compile(
    r" (?<=\S )(?=[;:!?](?:[\s<*_)\]]|$))"  # a space before ; : ! ? becomes fine
    r"|(?=[;:!?](?:[\s<*_)\]]|$))(?<=[^\W_])"  # none at all: one is added
    r"| (?<=\S )(?=»)|(?<=«) "  # inside guillemets
    r"|(?=»)(?<=[^\s«])|(?<=«)(?=[^\s»])",
    re.MULTILINE,
)
WIDE = re.compile(
    r" (?<=\d )(?=(?:M€|k€|Md€|€|%|km²|km|m²|ha|kg|kWh|MWh|GWh|kW|MW)(?!\w))"  # a number and its unit
    r"| (?<=\d )(?=\d{3}(?![\d,.]?\d))"  # digit groups (1 000, 18 500; not 2019 2020)
)
TOKENS = re.compile(f"(?=[ ;:!?»]|(?<=«))(?:(?P<thin>{THIN.pattern})|(?P<wide>{WIDE.pattern}))", re.MULTILINE)


def protected(text: str) -> list[tuple[int, int]]:
    spans = mdcode.code_spans(text) + [m.span() for m in PROTECTED.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@functools.lru_cache(maxsize=16384)  # pure; serve emits every page again on each change
def french(markdown: str) -> str:
    """The page's Markdown with French non-breaking spaces (idempotent)."""
    text = mdcode.normalize(markdown)
    spans = protected(text)
    starts = [start for start, _ in spans]

    def replace(match: re.Match) -> str:
        i = bisect.bisect_right(starts, match.start()) - 1
        if i >= 0 and match.start() < spans[i][1] and (match.start() > spans[i][0] or match.group(0)):
            return match.group(0)  # inside a protected span (an insertion at its very start is outside it)
        return NNBSP if match.lastgroup == "thin" else NBSP

    return TOKENS.sub(replace, text)

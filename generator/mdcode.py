"""What Python-Markdown (as MkDocs configures it) renders as code: the one definition for the term linker
and the HTML safety scanner.

- Fenced blocks: Python-Markdown's own `fenced_code` expression, on its normalized text (tabs expanded, lines of
  spaces emptied): a fence of three or more backticks or tildes at the start of a line, closed by the same
  fence (a ```` ```` ```` block is not closed by ```` ``` ````); an opening `{…}` that does not parse is no fence.
- Indented blocks: a block (after a blank line) whose first line starts with four spaces, unless it continues a
  list, a definition list or an admonition, where it takes eight.
- Code spans: Python-Markdown's backtick pairing (a run of N backticks closes on the next run of exactly N, or
  falls back to the longest shorter run), within one inline unit (a paragraph may span lines; a list item,
  a heading or a table row is a unit of its own).

Two readings of the same rules. `possible` (for the linker, which must never write a link inside code) keeps
every span that may be code; `certain` (for the scanner, which may only skip what is surely code) drops
code spans when the text holds HTML (inside a raw HTML block backticks are text) and indented blocks that
may be the continuation of something else, and code spans that run across lines.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor

FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
TAB = 4
BLANK_LINE = re.compile(r"\n[ ]*\n")
CONTINUED = re.compile(r"^ {0,3}(?:[-*+][ ]|\d+\.[ ]|!!!|\?\?\?|:[ ]|<)")  # lists, admonitions, definitions, HTML
HTML = re.compile(r"<[a-zA-Z!?/]")
QUOTE = re.compile(r"^ *(?:(?:[-*+]|\d+\.)[ ]+)* *>", re.M)  # a quote starts at any line, in a list item or an admonition too


def normalize(text: str) -> str:
    """Python-Markdown's NormalizeWhitespace: tabs expanded, lines of spaces emptied. Keeps every line."""
    if "\t" in text:
        text = text.expandtabs(TAB)
    return re.sub(r"(?<=\n) +\n", "\n", text) if " \n" in text else text


def fenced_blocks(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, code start, code end) of each fenced block of a normalized text."""
    if "```" not in text and "~~~" not in text:
        return []
    out, index = [], 0
    while fence := FENCED_BLOCK.search(text, index):
        if fence.group("attrs") and get_attrs_and_remainder(fence.group("attrs"))[1]:
            index = fence.end("attrs")  # not a fence for Python-Markdown
            continue
        out.append((fence.start(), fence.end(), fence.start("code"), fence.end("code")))
        index = fence.end()
    return out


def _blocks(text: str, start: int, end: int):
    """(start, end) of the blank-line separated blocks of text[start:end] (several blank lines are one gap)."""
    pos = start
    for gap in BLANK_LINE.finditer(text, start, end):
        if text[pos:gap.start()].strip("\n"):
            yield pos, gap.start()
        pos = gap.end() - 1
    if text[pos:end].strip("\n"):
        yield pos, end


# a hash heading, a line and its setext underline, a rule
HEADING = re.compile(r"^#[^\n]*\n|^(?!\n)[^\n]*\n[=-]+[ ]*\n|^(?:[ ]{0,3}[-*+][ ]+)*(?:[-*_][ ]*){3,}\n", re.M)


def _after_headings(text: str, start: int, end: int):
    """A block cut after each heading: Python-Markdown reads what follows a heading as a block of its own (four
    spaces there start code). Only for the `possible` reading: inside a list item the lines after a heading
    belong to the item."""
    pos = start
    for heading in HEADING.finditer(text, start, end):
        if heading.end() < end:
            yield pos, heading.end() - 1
            pos = heading.end() - 1
            yield pos, pos  # an empty block: what follows starts afresh (not a list item's continuation)
    yield pos, end


def _indented(text: str, start: int, end: int, certain: bool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(code blocks, other blocks) of a stretch of text without fenced blocks."""
    code, other = [], []
    context = None  # None, "code", "continued" (list, admonition, definition: indented blocks belong to it)
    pending = list(_blocks(text, start, end))
    if not certain:
        pending = [piece for block in pending for piece in _after_headings(text, *block)]
    while pending:
        block_start, block_end = pending.pop(0)
        if block_start == block_end:
            context = None
            continue
        block = text[block_start:block_end].lstrip("\n")
        offset = block_start + (len(text[block_start:block_end]) - len(block))
        indent = len(block) - len(block.lstrip(" "))
        if not certain and ("    " in block or "`" in block) and QUOTE.search(block):
            code.append((offset, block_end))  # a quote is Markdown again, without its "> ": what may be code inside
            context = None
            continue
        if indent >= TAB:
            # Python-Markdown's detab: the block's leading indented lines; a line that is not indented starts a new block
            lines = re.match(r"(?: {4}[^\n]*(?:\n|$))+", block)
            if lines.end() < len(block):
                pending.insert(0, (offset + lines.end(), block_end))
                block_end = offset + lines.end() - (block[lines.end() - 1] == "\n")
            continuation = context in ("continued", "html")  # a list item's paragraph, an admonition's body…
            is_code = indent >= 2 * TAB or context == "html" if continuation else True
            if is_code and not (certain and continuation):
                code.append((offset, block_end))
                context = context if continuation else "code"
            else:
                other.append((offset, block_end))
            continue
        other.append((offset, block_end))
        if CONTINUED.match(block):
            context = "html" if block.lstrip(" ").startswith("<") else "continued"
            tail = re.search(r"\n(?! {4})", block) if block.lstrip(" ")[:3] in ("!!!", "???") else None
            if tail:  # an admonition ends at its first line that is not indented: what follows is read afresh
                context = "continued" if CONTINUED.match(block[tail.end():]) else None
        else:
            context = None
    return code, other


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Python-Markdown's code spans in one inline unit: (start, end) including the backticks."""
    spans, i = [], start
    while True:
        i = text.find("`", i, end)
        if i < 0:
            return spans
        backslashes = 0
        while i - backslashes - 1 >= start and text[i - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:  # an escaped backtick opens nothing
            i += 1
            continue
        opening = i
        while i < end and text[i] == "`":
            i += 1
        ticks, j, longest, longest_end = i - opening, i, 0, 0
        closed = None
        while j < end:
            if text[j] != "`":
                j += 1
                continue
            run = j
            while j < end and text[j] == "`":
                j += 1
            if j - run == ticks:
                closed = (opening, j)
                break
            if j - run > longest:
                longest, longest_end = j - run, j
        if closed is None and 0 < longest < ticks:
            closed = (opening + ticks - longest, longest_end)
        if closed:
            spans.append(closed)
            i = closed[1]
        else:  # as Python-Markdown (3.11, find_code_spans) does, the search goes on twice the run's length further
            i = opening + 2 * ticks


LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+\.)[ ]")
SPLITS_ANYWHERE = re.compile(r"^(?:#| {0,3}:[ ])")  # headings (at the margin) and definitions end a paragraph anywhere
# only its test: is a block a table (a header row, then a separator row)
TABLE = markdown.Markdown(extensions=["tables"]).parser.blockprocessors["table"]


def _units(text: str, start: int, end: int):
    """Inline units of a block, as Python-Markdown's block processors cut them: a heading or a definition line is
    a unit wherever it stands; list items only in a block that starts as a list (a "- " line inside a paragraph
    is text); table rows only in a table."""
    block = text[start:end]
    listed = LIST_ITEM.match(block) is not None
    table = "|" in block and TABLE.test(None, block)
    pos = start
    for line in re.finditer(r"(?:^|(?<=\n))[^\n]*", block):
        content = line.group()
        if SPLITS_ANYWHERE.match(content) or (listed and LIST_ITEM.match(content)) or (table and "|" in content):
            if start + line.start() > pos:
                yield pos, start + line.start()
            pos = start + line.start()
            if content.startswith("#"):  # a heading is one line
                yield pos, start + line.end()
                pos = start + line.end()
    if end > pos:
        yield pos, end


def block_spans(text: str, certain: bool = False) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(code blocks, other blocks) of a normalized text: fenced and indented code, and the blocks between."""
    code, other, pos = [], [], 0
    stretches = []
    for start, end, code_start, code_end in fenced_blocks(text):
        stretches.append((pos, start))
        code.append((code_start, code_end) if certain else (start, end))  # the scanner reads the fence line (attrs)
        pos = end
    stretches.append((pos, len(text)))
    for start, end in stretches:
        if start >= end:
            continue
        if "    " in text[start:end]:
            indented, rest = _indented(text, start, end, certain)
            code += indented
            other += rest
        else:
            other += _blocks(text, start, end)  # a code span never runs from one paragraph into the next
    return sorted(code), other


def inline_spans(text: str, blocks: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Code spans of the given blocks (default: the whole text, taken as one stretch without block code)."""
    if "`" not in text:
        return []
    spans = []
    for block_start, block_end in _blocks(text, 0, len(text)) if blocks is None else blocks:
        if "`" in text[block_start:block_end]:
            for unit_start, unit_end in _units(text, block_start, block_end):
                spans += _code_spans(text, unit_start, unit_end)
    return spans


def code_spans(text: str, certain: bool = False) -> list[tuple[int, int]]:
    """(start, end) of everything rendered as code in a normalized text, in order. See the module docstring."""
    code, other = block_spans(text, certain)
    inline = inline_spans(text, other)
    if certain:  # a code span across lines or cells depends on how the block around it is read: not certain
        inline = [(start, end) for start, end in inline if "\n" not in text[start:end] and "|" not in text[start:end]]
    if certain and inline and (HTML.search(blank(text, sorted(code + inline))) or "\\`" in text):
        inline = []  # HTML outside code: backticks in a raw HTML block are text; an escaped backtick: be careful
    return sorted(code + inline)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces, line breaks kept (and so every line number)."""
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], re.sub(r"[^\n]", " ", text[start:end])]
        last = end
    return "".join(out) + text[last:]

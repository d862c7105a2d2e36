"""Property-based tests: random front matter, bodies and bytes never make an exception escape; only our own
problems come out, each pointing at a line of its file. And a body the HTML scanner accepts never renders,
through Python-Markdown with the site's extensions, into anything a browser would run."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_corpus
from generator.config import SiteConfig as Settings
from generator.emit import emit
from generator.loader import parse_yaml, split_front_matter
from generator.problems import Problems
from generator.safety import FORBIDDEN_TAGS, _bad_url, html_problems

from .helpers import RECORDS, make_repo

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TARGET = "glossary/aleatoire.md"

FRAGMENTS = ["[[", "]]", "[[forum-ouvert", "[[forum-ouvert|", "|", "<", ">", "</", "#", "`", "``", "```", "~~~", "\n", "\n\n",
             " ", "    ", "\t", "EFC", "solution intégrée", "forum ouvert", "&", "&lt;", "&#", "&#x6a;", ";", "{", "}", "{:",
             "(", ")", "[", "]", "]:", "](", "!", "javascript:", "data:", "on", "onclick", "=", '"', "'", "*", "_", "-", ":",
             "<script>", "<img", "<a ", "<div>", "<div markdown>", "</div>", "<svg", "src=x", "href=", "style=", "<!--",
             "-->", "http://", "https://example.org", "\\", "*[EFC]:", "...", "---", "é", "Économie", "\u00a0", "x"]
bodies = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | bodies
KEYS = ["title", "definition", "summary", "aliases", "keywords", "sources", "related", "updated", "autolink", "steps", "ref",
        "loc", "items", "label", "levels", "place", "commune", "1", "titre", ""]
keys = st.sampled_from(KEYS) | st.text(max_size=8)
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
                      max_leaves=12)
YAMLISH = ["-", " ", "\n", ":", "[", "]", "{", "}", ",", "&a", "*a", "!", "!!python/object", "'", '"', "#", "|", ">", "? ",
           "title", "definition", "x", "é", "\t", "---", "...", "%YAML 1.1", "2024-13-45", "0x", "~", "null", "<", "&lt;"]
yamlish = st.lists(st.sampled_from(YAMLISH) | st.text(max_size=4), max_size=30).map("".join)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("properties"), RECORDS)


def checked(repo: Path, data: bytes):
    """build_corpus on the repository with one more file: it is read or refused with an error, and every problem
    of that file points at one of its lines."""
    path = repo / TARGET
    path.write_bytes(data)
    try:
        corpus, problems = build_corpus(repo)
        emit(corpus, Settings())  # what a forced build would render
    finally:
        path.unlink()
    assert "aleatoire" in corpus.entries or [p for p in problems.errors if p.file == TARGET]  # never skipped silently
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for p in problems.items:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", p.code) and p.message and p.severity in ("error", "warning")
        if p.file == TARGET:
            assert 1 <= p.line <= lines, p
    return corpus, problems


@SETTINGS
@given(front=yamlish, body=bodies)
def test_random_yamlish_front_matter(repo, front, body):
    checked(repo, f"---\n{front}\n---\n\n{body}\n".encode())


@SETTINGS
@given(data=st.dictionaries(keys, values, max_size=8), body=bodies)
def test_random_dicts_dumped_to_yaml(repo, data, body):
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    checked(repo, f"---\n{front}---\n\n{body}\n".encode())


@SETTINGS
@given(body=bodies)
def test_random_bodies_of_a_valid_term(repo, body):
    checked(repo, f"---\ntitle: Terme aléatoire\ndefinition: Une définition.\n---\n\n{body}\n".encode())


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes(repo, data):
    checked(repo, data)


@settings(max_examples=300, deadline=None)
@given(text=yamlish)
def test_parse_yaml_and_split_report_instead_of_raising(text):
    split_front_matter(f"---\n{text}\n---\n", "x.md", Problems())
    problems = Problems()
    _, ok = parse_yaml(text, "x.md", problems, line_offset=1)  # a null document (~) is (None, True)
    assert (not ok) == bool(problems.items)


# --- the scanner against Python-Markdown -----------------------------------------------------------------

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "fenced_code", "pymdownx.details"]


class Dangers(HTMLParser):
    """What a browser could run in Python-Markdown's output; title attributes are read again as HTML, as
    Material's tooltips do."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style" or (value and _bad_url(value)):
                self.found.append(f"{tag} {name}={value}")
            if name == "title" and value and "<" in value:
                inner = Dangers()
                inner.feed(value)
                self.found += [f"tooltip: {x}" for x in inner.found]

    handle_startendtag = handle_starttag


@settings(max_examples=400, deadline=None)
@given(body=bodies)
def test_a_body_the_scanner_accepts_renders_nothing_executable(body):
    if html_problems(body):
        return
    rendered = markdown.markdown(body, extensions=EXTENSIONS)
    dangers = Dangers()
    dangers.feed(rendered)
    dangers.close()
    assert dangers.found == [], (body, rendered)


def test_the_differential_check_sees_what_it_should():
    """The property above would notice an attack the scanner let through."""
    for body in ('<img src=x onerror="alert(1)">', "[x](javascript:alert(1))", '[x](https://a.example "&lt;img src=x onerror=1&gt;")',
                 "x\n{: onclick=alert(1) }"):
        dangers = Dangers()
        dangers.feed(markdown.markdown(body, extensions=EXTENSIONS))
        assert dangers.found, body
        assert html_problems(body), body
    assert html.unescape("&lt;") == "<"

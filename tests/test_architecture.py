"""The concepts that have one home: the registry, the URL rule, Markdown code, the site configuration."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import mdcode, urls
from generator.build import build_corpus
from generator.registry import FACETS, RELATIONS, TYPES
from generator.schemas import json_schemas

from .helpers import RECORDS, make_repo, run, write

TERM = "---\ntitle: Solution intégrée\ndefinition: Ensemble de biens et de services.\n---\n\nUne notion.\n"
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "fenced_code", "pymdownx.details"]


def test_the_registry_drives_types_folders_templates_archetypes_and_schemas():
    pages = Path(__file__).parent.parent / "generator" / "templates"
    schemas = json_schemas({})
    for record_type in TYPES.values():
        assert f"{record_type.name}.schema.json" in schemas
        if record_type.name == "page":
            continue
        assert (pages / "pages" / f"meta-{record_type.name}.md.j2").is_file()
        assert (pages / "pages" / f"body-{record_type.name}.md.j2").is_file()
        if record_type.index_title:
            assert (pages / "pages" / f"index-{record_type.section}.md.j2").is_file()
        assert (pages / "new" / f"{record_type.name}.md").is_file() == record_type.archetype
    for relation in RELATIONS:
        for type_name in relation.types or ():
            assert relation.field in TYPES[type_name].model.model_fields
    for facet in FACETS:
        for type_name in facet.types:
            assert facet.field.split(".")[0] in TYPES[type_name].model.model_fields
    assert len({f.param for f in FACETS}) == len(FACETS)


def test_urls_follow_directory_urls():
    assert urls.html_file("index.md") == "index.html"
    assert urls.html_file("methodes/index.md") == "methodes/index.html"
    assert urls.html_file("methodes/forum-ouvert.md") == "methodes/forum-ouvert/index.html"
    assert urls.public("index.md", "https://x.org/c/") == "https://x.org/c/"
    assert urls.public("a-propos.md", "https://x.org/c") == "https://x.org/c/a-propos/"
    assert urls.relative("methodes/a.md", "glossaire/b.md") == "../glossaire/b.md"
    assert urls.relative_url("methodes/a.md", "explorer/") == "../../explorer/"
    assert urls.relative_url("index.md", "data/fiches.json") == "data/fiches.json"


def test_every_address_of_the_json_export_is_a_page_of_the_built_site(real_repo):
    """The export and the site agree (the home page used to be …/index/, which does not exist)."""
    from generator.site import settings

    base = settings(real_repo).site_url
    records = json.loads((real_repo / "build" / "docs" / "data" / "fiches.json").read_text(encoding="utf-8"))
    assert any(r["id"] == "index" for r in records)
    for record in records:
        assert record["url"].startswith(base), record["url"]
        page = record["url"][len(base):]
        assert (real_repo / "site" / page / "index.html").is_file(), record["url"]


def _code_with_links(html: str) -> list[str]:
    """Text of the links that Python-Markdown rendered inside <code>."""
    found, depth = [], []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "code":
                depth.append(tag)
            if tag == "a" and depth:
                found.append(dict(attrs).get("href", ""))

        def handle_endtag(self, tag):
            if tag == "code" and depth:
                depth.pop()

    Parser().feed(html)
    return found


def test_a_term_in_code_is_never_linked(repo):
    """A ````text block holding a ``` line, an indented block and a code span across lines are code."""
    write(repo, "glossary/solution-integree.md", TERM)
    body = ("Avant.\n\n````text\nUne solution intégrée\n```\nsolution intégrée encore\n````\n\n"
            "Un paragraphe.\n\n    solution intégrée dans un bloc indenté\n\n"
            "Le code `sur deux\nlignes solution intégrée` aussi.\n\n[[solution-integree]] hors du code.\n")
    write(repo, "content/referentiel/code.md", "---\ntitle: Code\nsummary: x\n---\n\n" + body)
    corpus, problems = build_corpus(repo)
    rendered = corpus.bodies["code"]
    assert "](" not in rendered.split("hors du code")[0].rsplit("\n\n", 1)[0]
    assert _code_with_links(markdown.markdown(rendered, extensions=EXTENSIONS)) == []
    term_links = [link for link in corpus.links if link.source == "code" and link.relation == "term"]
    assert term_links == []  # the only mention outside code is the explicit wiki link
    assert [link.line for link in corpus.links if link.source == "code" and link.relation == "wiki"] == [21]


PIECES = st.sampled_from(["solution intégrée", "```", "````", "~~~", "`", "``", "    ", "\n", "\n\n", "- ", "1. ",
                          "> ", "!!! note\n", "text", " ", "Texte", "{ .x }", "\t"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=40).map("".join))
# what an exhaustive comparison with Python-Markdown found (a code span in the next paragraph, code after a
# setext heading or a rule, in a quote inside a list item)
@example("`\n\n`solution intégrée`")
@example("text\n- \n    solution intégrée")
@example("- - - \n    solution intégrée")
@example("- >     solution intégrée")
@example("!!! note\n`\n\n    solution intégrée")
def test_no_link_is_ever_injected_inside_code(tmp_path_factory, body):
    repo = make_repo(tmp_path_factory.mktemp("code"), {k: v for k, v in RECORDS.items() if k.startswith("content/")})
    write(repo, "glossary/solution-integree.md", TERM)
    write(repo, "content/referentiel/code.md", "---\ntitle: Code\nsummary: x\n---\n\nA.\n\n" + body.replace("\r", "") + "\n")
    corpus, _ = build_corpus(repo)
    if "code" in corpus.bodies:
        assert _code_with_links(markdown.markdown(corpus.bodies["code"], extensions=EXTENSIONS)) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
@example("``\n```text```")  # Python-Markdown goes on twice an unpaired run's length further (found by this test)
@example("- \n\n\n\n    text")  # several blank lines do not end a list item
@example("!!! note\n1. \n\n    text")  # the list after an admonition holds the indented block
@example("``text|`\n|")  # a table's cells are cut before its code spans
def test_what_the_scanner_skips_is_code_for_python_markdown(body):
    """Every span `certain` reads as code is rendered inside <code> (marked with a word of its own)."""
    text = mdcode.normalize(body)
    for start, end in mdcode.code_spans(text, certain=True):
        inside = text[start:end]
        if not inside.strip("` \n") or "zq" in inside:
            continue
        marked = text[:start] + inside.replace("text", "zqmark", 1) + text[end:]
        if "zqmark" not in marked:
            continue
        html = markdown.markdown(marked, extensions=EXTENSIONS)
        outside = re.sub(r"<code[^>]*>.*?</code>", "", html, flags=re.S)
        assert "zqmark" not in outside, (body, inside)


def test_a_typo_in_the_site_configuration_is_reported_with_its_line(repo):
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("    edit_branch: main", "    edit_brnch: main")
    config.write_text(text, encoding="utf-8")
    line = text.split("\n").index("    edit_brnch: main") + 1
    result = run(repo, "check", "--format", "json")
    assert result.returncode == 1
    problems = [p for p in json.loads(result.stdout) if p["file"] == "mkdocs.yml"]
    assert [(p["line"], p["code"]) for p in problems] == [(line, "config-invalid")]
    assert "extra.efc.edit_brnch" in problems[0]["message"] and "clé inconnue" in problems[0]["message"]
    write(repo, "site/index.html", "<!doctype html><title>x</title>")
    linkcheck = run(repo, "linkcheck")
    assert linkcheck.returncode == 2 and f"mkdocs.yml:{line}" in linkcheck.stderr


def test_inferred_names_a_filled_field(repo):
    write(repo, "monographs/deduit.md", "---\ntitle: Déduit\nsummary: x\nterritory: rural\n"
          "inferred:\n  territory: La source ne le dit pas.\n  place.region: Déduite.\n---\n\nTexte [[cas-test]].\n")
    _, problems = build_corpus(repo)
    found = [(p.file, p.line, p.code) for p in problems.items if p.code == "inferred-unknown"]
    assert found == [("monographs/deduit.md", 7, "inferred-unknown")]


def test_no_import_cycle_in_the_generator():
    """Every import between the generator's modules, at module level or inside a function, goes one way."""
    import ast

    package = Path(__file__).parent.parent / "generator"
    graph = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__")
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(here.split(".")[: len(here.split(".")) - node.level + 1])
                deps |= {f"{base}.{node.module}"} if node.module else {f"{base}.{a.name}" for a in node.names}
        graph[name] = deps
    graph = {name: {d for d in deps if d in graph} for name, deps in graph.items()}
    assert len(graph) > 20

    def reach(start, node, seen):
        for dep in graph[node]:
            assert dep != start, f"import cycle through {start} and {node}"
            if dep not in seen:
                seen.add(dep)
                reach(start, dep, seen)

    for name in graph:
        reach(name, name, set())


def test_no_test_module_imports_another():
    """Shared helpers live in tests/helpers.py (and browser.py), fixtures in conftest.py."""
    tests = Path(__file__).parent
    offenders = [p.name for p in tests.glob("test_*.py") if re.search(r"^\s*from \.test_\w+ import", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


# --- « Sur cette page » from the page's skeleton: the ids MkDocs gives -----------------------------------------

TRICKY_PAGES = [
    "# T\n\n## Un\n\nTexte.\n\n- liste\n\n    ## Dans la liste\n\n## Deux\n\n## Un\n\n## Trois",  # continued list, same title twice
    "# T\n\n## A\n\nParagraphe{ #b }\n\n## B\n\n> ## Dans une citation\n\nSous-titre\n---------\n\n## C\n\n## D",  # ids, quote, setext
    "# T\n\n<div markdown>\n\n## Dans un bloc\n\nTexte.\n\n</div>\n\n<div>\n\nTexte.\n\n## Pas un titre\n\n</div>\n\n## A\n\n## B\n\n## C",
    "# T\n\n## [Lien][r] titre\n\nTexte.\n\n[r]: https://exemple.org\n\n## B\n\n```text\n\n## Pas un titre\n\n```\n\n## C\n\n## D",
    "# T\n\n<div>\n## Pas un titre\n</div>\n\n<div markdown>\n## Un titre\n</div>\n\n<p>x</p>\n\n## A\n\n## B\n\n## C",  # raw
    "# T\n\n!!! note\n\n    ## Dans une note\n\n## A *emph* `code`\n\n## B\n\nTerme\n:   ## Dans une définition\n\n## C\n\n## D",
]


def _full_contents(page: str) -> tuple:
    """What wayfinding.contents gave before the skeleton: the whole page through Python-Markdown's toc."""
    from generator import wayfinding

    md = markdown.Markdown(extensions=wayfinding.EXTENSIONS)
    md.convert(wayfinding.FRONT_MATTER.sub("", page, count=1))
    tokens = md.toc_tokens
    if len(tokens) == 1 and tokens[0]["level"] == 1:
        tokens = tokens[0]["children"]
    return tuple((re.sub(r"<[^>]+>", "", t["name"]), t["id"]) for t in tokens if t["level"] == 2)


def test_page_contents_from_the_skeleton_are_those_of_the_whole_page(real_corpus):
    from generator import wayfinding
    from generator.emit import emit
    from generator.site import settings

    pages = [text for rel, text in emit(real_corpus, settings(real_corpus.root)).items() if rel.endswith(".md")]
    long_pages = [page for page in pages + TRICKY_PAGES if len(wayfinding.H2.findall(page)) >= wayfinding.LONG]
    assert len(long_pages) > 20
    import html

    for page in long_pages:
        expected = tuple((html.unescape(name), id_) for name, id_ in _full_contents(page))
        assert wayfinding.contents.__wrapped__(page) == expected, page[:200]

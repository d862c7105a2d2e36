"""The ECT score charts, « Comparer des dynamiques » (comparer/) and the network (reseau/) on the REAL site, in
headless Chromium: the charts say the front matter's numbers; the grid's page shows every scored site; comparer/
reads `ids` as text (unknown ids get a notice, payloads run nothing), keeps the choice in the URL and the back
button restores it, and lists the monographs without JavaScript; every node of the network is a named,
focusable link and its table lists the same nodes; axe-core finds nothing serious; nothing sticks out at 390 px.
Screenshots at 390 px and 1280 px in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import compare, ect, reseau
from generator.indexing import ECT_PILLARS

from .browser import AXE, DESKTOP, PHONE, axe, new_context, overflow, screenshot
from .helpers import missing

BASE = "/centre-ressources/"
PAYLOADS = ["<img src=x onerror=alert(1)>", "javascript:alert(1)", "</script><script>alert(1)</script>",
            "\"><svg onload=alert(1)>"]


def page_of(entry) -> str:
    return BASE + entry.page.removesuffix(".md") + "/"


def numbers(text: str, scale: int) -> list[float]:
    return [float(n.replace(",", ".")) for n in re.findall(rf"(\d+(?:,\d+)?) sur {scale}\b", text)]


def chosen_titles(page) -> list[str]:
    return page.locator(".efc-compare-table thead th a").all_inner_texts()


def open_compare(page, reader, query: str):
    page.goto(reader + "comparer/" + query)
    page.wait_for_selector(".efc-compare-form:not([hidden])")
    page.wait_for_function("() => document.querySelector('.efc-compare-out').childElementCount > 0")


# --- the ECT score charts ------------------------------------------------------------------------------------

def test_each_scored_monograph_draws_its_pillars_and_says_its_front_matter_numbers(page, reader, real_corpus):
    scored = ect.scored(real_corpus)
    assert {e.id for e in scored} == {"clus-ter-jura", "epicerie-solidaire-jura", "maison-de-l-alimentation-arbois"}
    for entry in scored:
        score = entry.meta.ect_score
        page.goto(reader + page_of(entry)[len(BASE):])
        figure = page.locator("figure.efc-ect-chart")
        assert figure.count() == 1, entry.id
        svg = figure.locator("svg[role=img]")
        name = svg.get_attribute("aria-label")
        assert name.startswith(f"Score ECT de {entry.title}")
        assert numbers(name, 2) == [getattr(score, key) for key, _ in ECT_PILLARS]
        assert numbers(name, 8) == [score.score_ect]
        assert figure.get_by_role("img", name=name).count() == 1  # the name Chromium computes is that label
        track = float(svg.locator(".efc-ect-track").first.get_attribute("width"))
        widths = [float(w) for w in svg.locator(".efc-ect-bar").evaluate_all("rs => rs.map(r => r.getAttribute('width'))")]
        assert widths == pytest.approx([getattr(score, key) / 2 * track for key, _ in ECT_PILLARS])
        shown = [float(t.replace(",", ".")) for t in svg.locator(".efc-ect-value").all_text_contents()]
        assert shown == [getattr(score, key) for key, _ in ECT_PILLARS]
        caption = figure.locator("figcaption").inner_text()
        assert numbers(caption, 8) == [score.score_ect]
        for value in (score.criteres_terrain, score.score_total):
            assert ect.number(value) in caption
        levels = page.locator("details.efc-ect-levels")
        assert levels.locator("summary").inner_text().strip() == "Ce que signifient les notes"
        assert levels.locator("li").count() == 20  # the grid's twenty criteria, each with its levels
        assert levels.locator(".efc-ect-level").count() == 60


def test_the_grid_page_shows_every_scored_site_side_by_side(page, reader, real_corpus):
    grid = ect.grid(real_corpus)
    assert grid is not None and grid.id == "grille-du-score-ect"
    page.goto(reader + page_of(grid)[len(BASE):])
    figures = page.locator(".efc-ect-multiples figure.efc-ect-chart")
    scored = ect.scored(real_corpus)
    assert figures.count() == len(scored) == 3
    for i, entry in enumerate(scored):
        figure = figures.nth(i)
        link = figure.locator(".efc-ect-site a")
        assert link.inner_text() == entry.title
        assert urlsplit(link.evaluate("a => a.href")).path == page_of(entry)
        name = figure.locator("svg[role=img]").get_attribute("aria-label")
        assert numbers(name, 2) == [getattr(entry.meta.ect_score, key) for key, _ in ECT_PILLARS]
    tops = figures.evaluate_all("fs => fs.map(f => Math.round(f.getBoundingClientRect().top))")
    assert len(set(tops)) == 1  # side by side on a desktop


@pytest.mark.parametrize("path", ["monographies/maison-de-l-alimentation-arbois/", "referentiel/grille-du-score-ect/"])
def test_ect_charts_fit_a_phone(chromium, reader, path):
    for name, settings in (("phone", PHONE), ("desktop", DESKTOP)):
        context = new_context(chromium, **settings)
        page = context.new_page()
        page.goto(reader + path)
        width = overflow(page)
        assert width["scrollWidth"] <= width["innerWidth"], width["culprits"]
        chart = page.locator("figure.efc-ect-chart svg").first.bounding_box()
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= settings["viewport"]["width"]
        if name == "phone" and path.startswith("monographies/"):  # the pillar table that was cut off is gone
            wide = page.evaluate("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
                .filter(w => w.scrollWidth > w.clientWidth + 1).length""")
            assert wide == 0
        page.locator("figure.efc-ect-chart").first.scroll_into_view_if_needed()
        screenshot(page, f"ect-{path.strip('/').split('/')[-1]}-{name}", full_page=False)
        context.close()


# --- comparer/ ------------------------------------------------------------------------------------------------

def test_comparer_shows_the_chosen_dynamics_and_a_notice_for_unknown_ids(page, reader, real_corpus):
    a, b = real_corpus.entries["clus-ter-jura"], real_corpus.entries["epicerie-solidaire-jura"]
    open_compare(page, reader, f"?ids={a.id},{b.id}")
    assert chosen_titles(page) == [a.title, b.title]
    assert not page.locator(".efc-compare-notice").inner_text().strip()
    rows = page.locator(".efc-compare-table tbody th").all_inner_texts()
    assert "Origine" in rows and "Forme juridique" in rows and "Programme" in rows
    origin = page.locator(".efc-compare-table tbody tr", has=page.locator("th", has_text="Origine")).locator("td")
    assert origin.all_inner_texts() == [real_corpus.label("origins", a.meta.origin), real_corpus.label("origins", b.meta.origin)]
    assert page.locator("input[value='clus-ter-jura']").is_checked()
    open_compare(page, reader, f"?ids={a.id},inconnue-{a.id},{b.id}")
    assert chosen_titles(page) == [a.title, b.title]
    assert f"inconnue-{a.id}" in page.locator(".efc-compare-notice").inner_text()
    assert page.locator(".efc-compare-notice").is_visible()


def test_comparer_keeps_four_at_most(page, reader, real_corpus):
    ids = [e.id for e in compare.comparable(real_corpus)][:6]
    open_compare(page, reader, "?ids=" + ",".join(ids))
    assert len(chosen_titles(page)) == compare.MAXIMUM == 4
    assert "Quatre fiches au plus" in page.locator(".efc-compare-notice").inner_text()
    assert page.locator(".efc-compare-form input:disabled").count() == len(compare.comparable(real_corpus)) - 4


@pytest.mark.parametrize("payload", PAYLOADS)
def test_comparer_reads_ids_as_text_and_runs_nothing(page, reader, payload):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(reader + "comparer/?ids=clus-ter-jura," + payload.replace("#", "%23") + "#" + payload)
    page.wait_for_selector(".efc-compare-form:not([hidden])")
    page.wait_for_function("() => document.querySelector('.efc-compare-notice').textContent.length > 0")
    notice = page.locator(".efc-compare-notice")
    assert payload.split(",")[0][:20] in notice.inner_text()  # shown as text
    assert notice.locator("img, svg, script, a").count() == 0
    assert page.locator("img[src=x], .md-content svg[onload], .md-content script").count() == 0
    assert chosen_titles(page) == [page.locator("input[value='clus-ter-jura']").locator("..").inner_text().strip()]
    assert dialogs == []


def test_changing_the_selection_updates_the_url_and_back_restores_it(page, reader, real_corpus):
    a, b = "clus-ter-jura", "tera"
    open_compare(page, reader, f"?ids={a}")
    assert len(chosen_titles(page)) == 1
    page.get_by_label(real_corpus.entries[b].title, exact=True).check()
    page.wait_for_function("() => document.querySelectorAll('.efc-compare-table thead th').length === 2")
    assert parse_qs(urlsplit(page.url).query)["ids"] == [f"{a},{b}"]
    assert chosen_titles(page) == [real_corpus.entries[a].title, real_corpus.entries[b].title]
    page.get_by_label(real_corpus.entries[a].title, exact=True).uncheck()
    assert parse_qs(urlsplit(page.url).query)["ids"] == [b]
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('.efc-compare-table thead th').length === 2")
    assert parse_qs(urlsplit(page.url).query)["ids"] == [f"{a},{b}"]
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('.efc-compare-table thead th').length === 1")
    assert not page.locator(f"input[value='{b}']").is_checked()
    assert page.locator(f"input[value='{a}']").is_checked()


def test_without_javascript_comparer_lists_every_monograph(chromium, reader, real_corpus):
    context = new_context(chromium, **DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(reader + "comparer/?ids=clus-ter-jura,tera")
    assert page.locator(".efc-compare-nojs").is_visible()
    assert not page.locator(".efc-compare-form").is_visible()
    listed = set(page.eval_on_selector_all(".efc-compare-list li a[href]", "as => as.map(a => new URL(a.href).pathname)"))
    assert listed == {page_of(e) for e in real_corpus.of_type("monograph")}
    context.close()


def test_each_monograph_page_links_to_comparer_with_itself_and_its_closest_dynamic(page, reader, real_corpus, real_site):
    entry = real_corpus.entries["clus-ter-jura"]
    page.goto(reader + page_of(entry)[len(BASE):])
    alone = page.get_by_role("link", name="Comparer avec…", exact=True)
    assert parse_qs(urlsplit(alone.evaluate("a => a.href")).query)["ids"] == [entry.id]
    pair = page.locator(".efc-compare-links a").nth(1)
    ids = parse_qs(urlsplit(pair.evaluate("a => a.href")).query)["ids"][0].split(",")
    closest = real_corpus.entries[ids[1]]
    assert ids[0] == entry.id and pair.inner_text() == f"Comparer avec {closest.title}"
    pair.click()
    page.wait_for_function("() => document.querySelectorAll('.efc-compare-table thead th').length === 2")
    assert chosen_titles(page) == [entry.title, closest.title]
    assert page.locator(".efc-compare-links").count() == 0
    for other in real_corpus.of_type("monograph"):  # every monograph page has the link, with its own id
        html = (real_site / other.page.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert f'href="../../comparer/?ids={other.id}"' in html, other.id


# --- reseau/ ----------------------------------------------------------------------------------------------------

def test_every_node_of_the_network_is_a_named_focusable_link_and_the_table_lists_the_same_nodes(page, reader, real_corpus):
    page.goto(reader + "reseau/")
    nodes = page.locator("svg.efc-net-svg a.efc-net-node")
    expected = real_corpus.of_type("monograph") + real_corpus.of_type("acteur")
    assert nodes.count() == len(expected) > 50
    drawn = {}
    for i in range(nodes.count()):
        node = nodes.nth(i)
        name = node.get_attribute("aria-label")
        node.focus()
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == name
        drawn[urlsplit(node.evaluate("a => new URL(a.href.baseVal, location.href).href")).path] = name
    by_page = {page_of(e): e for e in expected}
    assert set(drawn) == set(by_page)
    for path, name in drawn.items():
        assert name.startswith(by_page[path].title + " (")
    first_column = set(page.eval_on_selector_all(".efc-table tbody td:first-child a[href]",
                                                 "as => as.map(a => new URL(a.href).pathname)"))
    assert first_column == set(by_page)
    # the table says the same links as the drawing: each acteur's dynamics and programmes
    view = reseau.view(real_corpus)
    lines = {(line["a"], line["b"]) for line in view["lines"]}
    drawn_lines = set(page.eval_on_selector_all(".efc-net-line", "ls => ls.map(l => l.dataset.a + ' ' + l.dataset.b)"))
    assert drawn_lines == {f"{a} {b}" for a, b in lines}
    for acteur in real_corpus.of_type("acteur"):
        row = page.locator(".efc-table tr", has=page.locator(f"td:first-child a[href$='/acteurs/{acteur.id}/']"))
        listed = set(row.locator("td:nth-child(2) a").evaluate_all("as => as.map(a => new URL(a.href).pathname)"))
        assert listed == {page_of(real_corpus.entries[a]) for a, b in lines if b == acteur.id}, acteur.id


def test_the_keyboard_walks_the_network_and_focus_lights_a_nodes_lines(page, reader, real_corpus):
    page.goto(reader + "reseau/")
    ademe = page.locator("a.efc-net-node[data-node='ademe']")
    ademe.focus()
    lit = page.locator(".efc-net-line.efc-net-on")
    expected = [m for m in real_corpus.of_type("monograph") if "ademe" in m.meta.acteurs]
    assert lit.count() == len(expected) > 3
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('efc-net-node')")
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == urlsplit(reader + "reseau/" + target).path.replace("/reseau/../", "/")


def test_the_map_and_the_acteurs_index_lead_to_the_network(page, reader):
    for path in ("carte/", "acteurs/"):
        page.goto(reader + path)
        links = page.eval_on_selector_all(".md-content a[href]",
                                          "as => as.map(a => new URL(a.getAttribute('href'), location.href).pathname)")
        assert BASE + "reseau/" in links, path
    page.goto(reader + "reseau/")
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "Réseau"


# --- accessibility and widths ------------------------------------------------------------------------------------

PAGES = {"comparer": "comparer/?ids=clus-ter-jura,epicerie-solidaire-jura,tera", "reseau": "reseau/",
         "grille": "referentiel/grille-du-score-ect/", "arbois": "monographies/maison-de-l-alimentation-arbois/"}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_serious_and_nothing_sticks_out_at_390_px(chromium, reader, name):
    if not AXE.is_file():
        missing("axe-core introuvable : npm ci")
    for width, settings in (("phone", PHONE), ("desktop", DESKTOP)):
        for scheme in ("light", "dark") if width == "desktop" else ("light",):
            # axe is injected as an inline script, which the site's Content-Security-Policy refuses: bypassed here
            context = new_context(chromium, **settings, color_scheme=scheme, bypass_csp=True)
            page = context.new_page()
            page.goto(reader + PAGES[name])
            page.wait_for_load_state("networkidle")
            if name == "comparer":
                page.wait_for_selector(".efc-compare-table")
            measure = overflow(page)
            assert measure["scrollWidth"] <= measure["innerWidth"], (name, width, measure["culprits"])
            serious = [(v["id"], [n["target"] for n in v["nodes"]][:3], v["nodes"][0]["failureSummary"]) for v in axe(page)
                       if v["impact"] in ("serious", "critical")]
            assert serious == [], (name, width, scheme)
            if scheme == "light":
                screenshot(page, f"{name}-{width}")
            context.close()

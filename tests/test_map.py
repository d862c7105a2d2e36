"""The map of the dynamics (carte/) on the REAL site, in headless Chromium: every located dynamic or programme is
a marker inside the map, named by its record's title, focusable with the keyboard and leading to its page;
markers at one place stay apart; national programmes are listed, not drawn; the list gives the same content;
no request leaves 127.0.0.1; the explorer's facet parameters filter the map; each located monograph has a
locator map. Screenshots at 390 px and 1280 px in test-artifacts/screenshots/."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

import pytest

from generator import cartography, geography

from .browser import DESKTOP, PHONE, new_context, overflow, screenshot

BASE = "/centre-ressources/"
# What Material itself asks of other hosts on every page of this site (its web font, the repository's stars):
# the theme's configuration, not the map's; the map's own requests must add nothing to it.
THEME_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com", "api.github.com"}


def off_site(requests) -> set[str]:
    return {urlsplit(u).hostname for u in requests} - {"127.0.0.1"} - THEME_HOSTS


@pytest.fixture(scope="module")
def desktop(chromium):
    context = new_context(chromium, **DESKTOP)
    yield context
    context.close()


def page_of(entry) -> str:
    return BASE + entry.page.removesuffix(".md") + "/"


def open_map(context, reader, query: str = ""):
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(reader + "carte/" + query)
    page.wait_for_load_state("networkidle")
    return page, requests


def test_every_located_record_is_a_named_focusable_marker_inside_the_map(desktop, reader, real_corpus):
    markers, regional, elsewhere = cartography.located(real_corpus)
    assert len(markers) >= 25 and elsewhere
    page, requests = open_map(desktop, reader)
    svg = page.locator("svg.efc-map-svg").bounding_box()
    drawn = page.locator("a.efc-map-marker")
    assert drawn.count() == len(markers)
    for marker in markers:
        title = marker.entry.title
        link = page.get_by_role("link", name=title, exact=False).and_(page.locator("a.efc-map-marker"))
        assert link.count() == 1, title  # the accessible name Chromium computes starts with the record's title
        name = link.get_attribute("aria-label")
        assert name.startswith(title + " (")
        assert urlsplit(link.evaluate("a => a.href.baseVal ? new URL(a.href.baseVal, location.href).href : a.href")).path \
            == page_of(marker.entry)
        link.focus()
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == name
        box = link.bounding_box()
        assert svg["x"] <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"], title
        assert svg["y"] <= box["y"] and box["y"] + box["height"] <= svg["y"] + svg["height"], title
    assert off_site(requests) == set()
    assert any(u.endswith("/efc/carte.js") for u in requests)
    page.close()


def test_the_keyboard_walks_from_marker_to_marker_and_enter_opens_the_page(desktop, reader):
    page, _ = open_map(desktop, reader)
    markers = page.locator("a.efc-map-marker")
    first, second = markers.nth(0).get_attribute("aria-label"), markers.nth(1).get_attribute("aria-label")
    markers.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == second
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == first
    target = markers.nth(0).get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == BASE + target.removeprefix("../")
    assert page.locator("h1").count() == 1
    page.close()


def test_markers_at_one_place_stay_apart(desktop, reader):
    """Several dynamics in the Jura (Lons-le-Saunier and the Jura's centre): no two markers overlap."""
    page, _ = open_map(desktop, reader)
    circles = page.eval_on_selector_all("a.efc-map-marker circle", """cs => cs.map(c => ({
        x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), r: +c.getAttribute('r'),
        name: c.parentNode.getAttribute('aria-label')}))""")
    jura = [c for c in circles if "Jura (39)" in c["name"]]
    assert len(jura) >= 5
    for i, a in enumerate(circles):
        for b in circles[i + 1:]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) >= a["r"] + b["r"], (a["name"], b["name"])
    page.close()


def test_national_programmes_are_listed_apart_and_the_list_has_every_marker(desktop, reader, real_corpus):
    markers, regional, elsewhere = cartography.located(real_corpus)
    page, _ = open_map(desktop, reader)
    on_map = set(page.eval_on_selector_all("a.efc-map-marker", "as => as.map(a => a.getAttribute('aria-label'))"))
    for entry in elsewhere + regional:
        assert not any(name.startswith(entry.title + " (") for name in on_map), entry.id
    national = page.locator("h2", has_text="Programmes nationaux")
    assert national.count() == 1
    listed = set(page.eval_on_selector_all(".md-content li a[href]", "as => as.map(a => new URL(a.href).pathname)"))
    for entry in (m.entry for m in markers):
        assert page_of(entry) in listed, entry.id
    for entry in elsewhere + regional:
        assert page_of(entry) in listed, entry.id
    assert "coop-ter" in {e.id for e in elsewhere}
    page.close()


def test_regions_are_coloured_by_their_number_of_records(desktop, reader, real_corpus):
    page, _ = open_map(desktop, reader)
    drawn = {p["region"]: p for p in page.eval_on_selector_all(
        "path.efc-map-region", "ps => ps.map(p => ({region: p.dataset.region, cls: p.getAttribute('class'), "
                               "title: p.querySelector('title').textContent}))")}
    assert len(drawn) == 13
    bfc = sum(1 for e in real_corpus.of_type("monograph") if e.meta.place and e.meta.place.region == "bourgogne-franche-comte")
    assert drawn["bourgogne-franche-comte"]["title"] == f"Bourgogne-Franche-Comté\u202f: {bfc} fiches"  # French spacing (typography.py)
    assert "efc-map-n3" in drawn["bourgogne-franche-comte"]["cls"]
    assert page.locator(".efc-map-credit", has_text="IGN – Admin Express COG 2018, Licence Ouverte").count() == 1
    page.close()


def test_facet_parameters_filter_the_map_as_text(desktop, reader, real_corpus):
    located = cartography.located(real_corpus)[0]
    expected = {page_of(m.entry) for m in located if "alimentation" in m.entry.meta.themes}
    page, _ = open_map(desktop, reader, "?theme=alimentation&type=monograph")
    shown = page.eval_on_selector_all("a.efc-map-marker:not(.efc-map-hidden)",
                                      "as => as.map(a => new URL(a.getAttribute('href'), location.href).pathname)")
    assert set(shown) == expected and 0 < len(expected) < len(located)
    hidden_items = page.eval_on_selector_all(".efc-map-list li[hidden] > a[href]", "as => as.map(a => new URL(a.href).pathname)")
    assert hidden_items and not set(hidden_items) & expected
    assert page.locator(".efc-map-filter").is_visible()
    assert f"{len(expected)} fiches sur" in page.locator(".efc-map-filter").inner_text()
    page.close()
    page, _ = open_map(desktop, reader, "?theme=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d))
    assert page.locator("a.efc-map-marker:not(.efc-map-hidden)").count() == 0
    assert "<img" in page.locator(".efc-map-filter-text").inner_text() and page.locator(".efc-map-filter img").count() == 0
    assert dialogs == []
    page.close()


def test_map_at_phone_and_desktop_widths(chromium, reader):
    for name, settings in (("carte-phone", PHONE), ("carte-desktop", DESKTOP)):
        context = new_context(chromium, **settings)
        page = context.new_page()
        page.goto(reader + "carte/")
        page.wait_for_load_state("networkidle")
        width = overflow(page)
        assert width["scrollWidth"] <= width["innerWidth"], width["culprits"]
        svg = page.locator("svg.efc-map-svg").bounding_box()
        assert svg["width"] >= settings["viewport"]["width"] * 0.8 or svg["width"] >= 600
        screenshot(page, name)
        context.close()


def test_each_located_monograph_has_a_locator_map(desktop, reader, real_corpus):
    entry = real_corpus.entries["figeacteurs"]
    page = desktop.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(reader + page_of(entry)[len(BASE):])
    page.wait_for_load_state("networkidle")
    figure = page.locator("figure.efc-locator")
    assert figure.get_by_role("img", name="Situation sur la carte de France : Figeac, Lot (46)").count() == 1
    assert page.evaluate("() => document.querySelector('.efc-locator image').getBBox().width") > 0
    assert any(urlsplit(u).path == BASE + "carte/fond.svg" for u in requests)
    assert off_site(requests) == set()
    x, y = geography.project(entry.meta.place.lon, entry.meta.place.lat)
    assert abs(float(figure.locator("circle").get_attribute("cx")) - x) < 0.1
    figure.get_by_role("link", name="Voir sur la carte").click()
    assert urlsplit(page.url).path == BASE + "carte/"
    screenshot(page, "locator-figeacteurs")
    page.close()

"""Reuse and trust, on the REAL site (conftest.real_site, built once per session): every format is read back
with a real parser. CSV with the csv module (and the French-locale conventions from CLDR, through Babel),
JSON-LD with extruct, BibTeX with bibtexparser, RIS with rispy (and a strict line check), CSL-JSON by its
structure, the Atom feed with xml.etree; the « Données » page in Chromium, its downloads live and its copy
buttons driven from the keyboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import bibtexparser
import extruct
import pytest
import rispy
import yaml
from babel.numbers import get_decimal_symbol, parse_decimal
from bibtexparser.middlewares import LatexDecodingMiddleware
from selectolax.lexbor import LexborHTMLParser

from generator import completeness, feed, jsonld, opendata, urls
from generator.registry import COMPLETE, MOST_READ, RECORD_TYPES, TYPES

from .browser import DESKTOP, new_context, record_off_site
from .conftest import ROOT

SITE_URL = "https://centre-ressources-efc.github.io/centre-ressources/"
BASE = "/centre-ressources/"
CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
             "dataset", "document", "entry", "graphic", "interview", "legal_case", "legislation", "manuscript", "map",
             "motion_picture", "pamphlet", "paper-conference", "patent", "personal_communication", "post", "report",
             "review", "software", "speech", "standard", "thesis", "webpage"}


def records(corpus):
    return [e for e in corpus.entries.values() if e.type != "page"]


def html_of(site: Path, entry) -> str:
    return (site / urls.html_file(entry.page)).read_text(encoding="utf-8")


def site_file(site: Path, url: str) -> Path:
    """The file of the site an absolute URL of the site leads to."""
    assert url.startswith(SITE_URL), url
    rel = url.removeprefix(SITE_URL)
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def graph(html: str, url: str) -> list[dict]:
    found = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1, found
    return found[0]["@graph"] if "@graph" in found[0] else [found[0]]


# --- CSV --------------------------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM: Excel reads the file as UTF-8 only with it"
    text = raw.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text[:4000], delimiters=";,\t").delimiter == ";"
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.name)
def test_one_csv_per_type_one_row_per_record(real_site, real_corpus, record_type):
    rows = read_csv(real_site / opendata.csv_path(record_type.name))
    header = list(rows[0])
    assert header[0] == "id"
    assert header == [name for name, _ in opendata.record_columns(record_type.name)]
    assert len(set(header)) == len(header)
    # the columns are the model's fields (nested ones dotted), none forgotten
    fields = {n for n in record_type.model.model_fields if n not in ("title", "summary")}
    assert {c.split(".")[0] for c in header} >= fields
    expected = {e.id: e for e in real_corpus.of_type(record_type.name)}
    assert sorted(r["id"] for r in rows) == sorted(expected)
    for row in rows:
        entry = expected[row["id"]]
        assert None not in row and all(v is not None for v in row.values()), row  # as many cells as columns
        assert row["title"] == " ".join(entry.title.split())
        assert row["page"] == urls.public(entry.page, SITE_URL)
        assert row["keywords"].split(" ; ") == (entry.meta.keywords or [""])
        assert row["sources"] == " ; ".join(f"{s.ref} ({' '.join(s.loc.split())})" for s in entry.meta.sources)
        assert row["updated"] == (entry.meta.updated.isoformat() if entry.meta.updated else "")
        assert row["a_completer"] == " ; ".join(completeness.missing(entry))
        for key, reason in entry.meta.inferred.items():  # the writers' inferences are carried
            assert f"{key} : {' '.join(reason.split())}" in row["inferred"]
        for cell in row.values():  # nothing a spreadsheet would run as a formula
            assert not cell.startswith(("=", "+", "@")) and not re.match(r"-[^\d]", cell), cell


def test_csv_follows_the_french_locale(real_site, real_corpus):
    """Excel with a French locale reads « , » as the decimal mark (CLDR), so cells are separated by « ; »."""
    decimal = get_decimal_symbol("fr_FR")
    assert decimal == "," and opendata.SEPARATOR != decimal
    rows = {r["id"]: r for r in read_csv(real_site / opendata.csv_path("monograph"))}
    located = [e for e in real_corpus.of_type("monograph") if e.meta.place and e.meta.place.lat is not None]
    assert located
    for entry in located:
        row = rows[entry.id]
        assert "." not in row["place.lat"]
        assert float(parse_decimal(row["place.lat"], locale="fr_FR")) == entry.meta.place.lat
        assert float(parse_decimal(row["place.lon"], locale="fr_FR")) == entry.meta.place.lon
    intense = [e for e in real_corpus.of_type("monograph") if (e.meta.inhabitants or "").startswith("+")]
    assert intense
    for entry in intense:  # « ++ » would be a formula: it is written '++
        assert rows[entry.id]["inhabitants"] == "'" + entry.meta.inhabitants


def test_vocabularies_csv_and_json(real_site, real_corpus):
    rows = read_csv(real_site / "data" / "vocabulaires.csv")
    assert list(rows[0]) == [name for name, _ in opendata.VOCABULARY_COLUMNS]
    expected = {(n, v): e for n, values in real_corpus.vocabularies.items() for v, e in values.items()}
    assert {(r["vocabulaire"], r["valeur"]) for r in rows} == set(expected)
    for row in rows:
        assert row["libelle"] == expected[row["vocabulaire"], row["valeur"]].label
    data = json.loads((real_site / "data" / "vocabulaires.json").read_text(encoding="utf-8"))
    assert set(data) == set(real_corpus.vocabularies)


def test_fiches_json_carries_inferred_facts(real_site, real_corpus):
    data = {r["id"]: r for r in json.loads((real_site / "data" / "fiches.json").read_text(encoding="utf-8"))}
    flagged = [e for e in records(real_corpus) if e.meta.inferred]
    assert flagged
    for entry in flagged:
        assert data[entry.id]["inferred"] == dict(entry.meta.inferred)


# --- JSON-LD ----------------------------------------------------------------------------------------------

EXPECTED_TYPE = {"method": {"TechArticle"}, "concept": {"Article"}, "term": {"DefinedTerm"}, "monograph": {"Report", "Article"},
                 "acteur": {"Organization"}, "path": {"LearningResource"}}


def test_every_record_page_describes_itself(real_site, real_corpus):
    for entry in records(real_corpus):
        url = urls.public(entry.page, SITE_URL)
        nodes = graph(html_of(real_site, entry), url)
        main, crumbs = nodes
        page = main["mainEntityOfPage"] if entry.type == "resource" else main
        if entry.type == "resource":
            assert main["@type"] in {"Report", "ScholarlyArticle", "Book", "VideoObject", "WebSite", "Legislation", "Thesis",
                                     "CreativeWork"}
            assert main["name"] == entry.meta.title
            assert main["url"] == (entry.meta.link or url)
            assert page["@type"] == "WebPage" and page["@id"] == url
        else:
            assert main["@type"] in EXPECTED_TYPE[entry.type], (entry.id, main["@type"])
        assert page["name"] == entry.title and page["url"] == url and page["inLanguage"] == "fr"
        assert page["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
        assert page.get("description") == entry.summary
        assert page.get("dateModified") == (entry.meta.updated.isoformat() if entry.meta.updated else None)
        # the breadcrumb: home, the section, the page, each a page of the site
        assert crumbs["@type"] == "BreadcrumbList"
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == [1, 2, 3] and items[-1]["item"] == url
        assert items[1]["item"] == urls.public(TYPES[entry.type].index_page, SITE_URL)
        assert all(site_file(real_site, i["item"]).is_file() for i in items)
        if entry.type == "term":
            assert main["inDefinedTermSet"]["@type"] == "DefinedTermSet"
            assert main["inDefinedTermSet"]["@id"] == urls.public("glossaire/index.md", SITE_URL)


def test_monographs_say_where_with_official_codes(real_site, real_corpus):
    seen = 0
    for entry in real_corpus.of_type("monograph"):
        place = entry.meta.place
        if not place or not place.departement:
            continue
        main = graph(html_of(real_site, entry), urls.public(entry.page, SITE_URL))[0]
        coverage = main["spatialCoverage"]
        assert coverage["@type"] == "Place"
        departement = coverage["containedInPlace"]
        code = re.search(r"\((\w+)\)", place.departement)
        if code:
            assert departement["identifier"]["value"] == code.group(1)
            seen += 1
        if place.region:
            assert departement["containedInPlace"]["name"] == real_corpus.label("regions", place.region)
            assert re.fullmatch(r"\d\d", departement["containedInPlace"]["identifier"]["value"])
        if place.lat is not None:
            assert coverage["geo"]["latitude"] == place.lat
    assert seen


def test_json_ld_script_cannot_be_broken_out_of():
    hostile = "</script><script>alert(1)</script> <!-- x"
    html = f"<html><head>{jsonld.script({'@context': 'https://schema.org', '@type': 'Thing', 'name': hostile})}</head></html>"
    tree = LexborHTMLParser(html)
    assert len(tree.css("script")) == 1
    assert extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]["name"] == hostile


def test_data_page_has_a_dataset_with_one_download_per_file(real_site, real_corpus):
    html = (real_site / "donnees" / "index.html").read_text(encoding="utf-8")
    dataset = graph(html, SITE_URL + "donnees/")[0]
    assert dataset["@type"] == "Dataset"
    assert 50 <= len(dataset["description"]) <= 5000  # Google Dataset Search
    assert dataset["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    newest = max(e.meta.updated for e in real_corpus.entries.values() if getattr(e.meta, "updated", None))
    assert dataset["dateModified"] == newest.isoformat() == dataset["version"]
    downloads = dataset["distribution"]
    links = [a.attributes["href"] for a in LexborHTMLParser(html).css("article a[download]")]
    assert len(downloads) == len(links) >= 2 + len(RECORD_TYPES) + 1
    for item in downloads:
        assert item["@type"] == "DataDownload" and item["encodingFormat"]
        assert site_file(real_site, item["contentUrl"]).is_file(), item
    formats = {item["contentUrl"].rsplit("/", 1)[-1]: item["encodingFormat"] for item in downloads}
    assert formats["fiches.json"] == "application/json" and formats["methodes.csv"] == "text/csv"


# --- citation ---------------------------------------------------------------------------------------------

def test_bibtex_round_trip(real_site, real_corpus):
    for entry in records(real_corpus):
        text = (real_site / "citer" / f"{entry.id}.bib").read_text(encoding="utf-8")
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
        assert not library.failed_blocks, entry.id
        page = library.entries[0]
        assert page.entry_type == "online" and page.key == f"efc-{entry.id}"
        assert " ".join(page["title"].split()) == " ".join(entry.title.split())
        assert page["url"] == urls.public(entry.page, SITE_URL)
        assert "CC BY-SA 4.0" in page["note"]
        if entry.meta.updated:
            assert page["date"] == entry.meta.updated.isoformat()
        if entry.type == "resource":
            document = library.entries[1]
            assert " ".join(document["title"].split()) == " ".join(entry.meta.title.split())
            if entry.meta.authors:
                assert document["author"].count(" and ") == len(entry.meta.authors) - 1
        else:
            assert len(library.entries) == 1


def test_bibtex_escapes_what_latex_reads(repo):
    """A title with every character LaTeX gives a meaning to comes back whole; accents stay UTF-8."""
    from generator import citation
    from generator.build import build_corpus
    from generator.config import SiteConfig

    title = "Coûts & bénéfices : 50 % des cas #1, un_deux ~ ^ $ \\ fin"
    path = repo / "tools_methods" / "forum-ouvert.md"
    path.write_text(path.read_text(encoding="utf-8").replace('title: "Forum ouvert"', f"title: {json.dumps(title)}"),
                    encoding="utf-8")
    corpus, problems = build_corpus(repo)
    assert not problems.errors, problems.errors
    text = citation.bibtex(corpus.entries["forum-ouvert"], SiteConfig(site_url=SITE_URL))
    assert "Coûts \\& bénéfices : 50 \\% des cas \\#1, un\\_deux" in text
    entry = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()]).entries[0]
    assert entry["title"].replace("ˆ", "^") == title


def test_ris_parses_and_is_strict(real_site, real_corpus):
    for entry in records(real_corpus):
        raw = (real_site / "citer" / f"{entry.id}.ris").read_bytes().decode("utf-8")
        lines = raw.split("\r\n")
        assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines if line), entry.id
        parsed = rispy.loads(raw)
        assert len(parsed) == (2 if entry.type == "resource" else 1)
        page = parsed[0]
        assert page["type_of_reference"] == "ELEC"
        assert page["title"] == " ".join(entry.title.split())
        assert page["urls"] == [urls.public(entry.page, SITE_URL)]
        assert "CC BY-SA 4.0" in page["notes"][0]
        if entry.meta.updated:
            assert page["date"] == entry.meta.updated.strftime("%Y/%m/%d")
        if entry.type == "resource":
            assert parsed[1]["type_of_reference"] in set(rispy.TYPE_OF_REFERENCE_MAPPING)
            assert parsed[1].get("authors", []) == [" ".join(a.split()) for a in entry.meta.authors]


def test_csl_json_structure(real_site, real_corpus):
    for entry in records(real_corpus):
        items = json.loads((real_site / "citer" / f"{entry.id}.json").read_text(encoding="utf-8"))
        assert isinstance(items, list) and len(items) == (2 if entry.type == "resource" else 1)
        for item in items:
            assert item["type"] in CSL_TYPES and item["id"] and item["title"]
            assert all(set(a) <= {"literal", "family", "given"} for a in item["author"])
            for part in item.get("issued", {}).get("date-parts", []):
                assert 1 <= len(part) <= 3 and all(isinstance(p, int) for p in part)
        page = items[0]
        assert page["URL"] == urls.public(entry.page, SITE_URL) and page["type"] == "webpage"
        assert "CC BY-SA 4.0" in page["license"]
        if entry.meta.updated:
            assert dt.date(*page["issued"]["date-parts"][0]) == entry.meta.updated


def test_record_page_offers_every_format_and_its_file(real_site, real_corpus):
    for entry in [real_corpus.entries["forum-ouvert"], next(iter(real_corpus.of_type("resource")))]:
        tree = LexborHTMLParser(html_of(real_site, entry))
        cite = tree.css_first(".efc-cite")
        hrefs = [a.attributes["href"] for a in cite.css("a[download]")]
        assert [h.rsplit(".", 1)[-1] for h in hrefs] == ["bib", "ris", "json"]
        for href in hrefs:
            target = real_site / urls.html_file(entry.page).rsplit("/", 1)[0] / href
            assert target.resolve().is_file()
        # what the page shows is what the file holds
        assert cite.css_first("#efc-cite-bibtex").text().strip() == (real_site / "citer" / f"{entry.id}.bib").read_text().strip()
        if entry.type == "resource":
            assert cite.css_first(".efc-citation-document").text()


def test_citation_cff_describes_the_centre():
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["cff-version"] == "1.2.0"
    assert data["message"] and data["title"] and data["authors"][0]["name"]
    assert "CC-BY-SA-4.0" in data["license"]
    assert data["url"] == SITE_URL


# --- what is new ------------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed(real_site, real_corpus):
    root = ET.parse(real_site / "nouveautes.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    dated = [e for e in records(real_corpus) if e.meta.updated]
    assert len(entries) == min(feed.LIMIT, len(dated)) > 0
    stamps = [dt.datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    by_url = {urls.public(e.page, SITE_URL): e for e in dated}
    for item in entries:
        link = item.find(f"{ATOM}link").attrib["href"]
        assert site_file(real_site, link).is_file(), link  # every entry leads to a page of the site
        entry = by_url[link]
        assert item.findtext(f"{ATOM}id") == link and item.findtext(f"{ATOM}title") == entry.title
        assert item.find(f"{ATOM}category").attrib["term"] == entry.type
        assert item.findtext(f"{ATOM}updated").startswith(entry.meta.updated.isoformat())
        assert item.findtext(f"{ATOM}summary") == entry.summary


def test_every_page_advertises_the_feed_and_home_links_news(real_site, real_corpus):
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 300
    for path in pages:
        links = LexborHTMLParser(path.read_text(encoding="utf-8")).css('head link[rel~="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, path
        href = links[0].attributes["href"]
        target = urlsplit(urljoin("http://h" + BASE + str(path.relative_to(real_site)), href)).path
        assert target == BASE + "nouveautes.xml", (path, href)
    home = LexborHTMLParser((real_site / "index.html").read_text(encoding="utf-8"))
    assert any(a.attributes.get("href") == "nouveautes/" for a in home.css("article a"))
    assert any(a.attributes.get("href") == "donnees/" for a in home.css("article a"))
    news = LexborHTMLParser((real_site / "nouveautes" / "index.html").read_text(encoding="utf-8"))
    assert len(news.css("article li a")) == len(feed.dated(real_corpus.entries.values()))


# --- completeness -----------------------------------------------------------------------------------------

def test_badge_names_what_each_record_lacks(real_site, real_corpus):
    incomplete = 0
    for entry in records(real_corpus):
        badge = LexborHTMLParser(html_of(real_site, entry)).css_first(".efc-incomplete")
        lacking = completeness.labels(entry)
        if not lacking:
            assert badge is None, entry.id
            continue
        incomplete += 1
        assert f"Fiche à compléter\u202f: {', '.join(lacking)}" in badge.text(), entry.id
        hrefs = [a.attributes["href"] for a in badge.css("a")]
        assert hrefs[0].endswith(f"/edit/main/{entry.path}") and hrefs[1].endswith("contribuer/a-completer/")
        for field in completeness.missing(entry):
            assert field in COMPLETE[entry.type] and field not in entry.meta.inferred
    assert incomplete


def test_board_lists_records_by_what_they_lack_most_read_first(real_site, real_corpus):
    tree = LexborHTMLParser((real_site / "contribuer" / "a-completer" / "index.html").read_text(encoding="utf-8"))
    headings = [h.text().replace("¶", "").strip() for h in tree.css("article h2")]
    assert headings == [TYPES[t].plural for t in MOST_READ]
    for type_name in MOST_READ:
        for field in COMPLETE[type_name]:
            lacking = sorted(e.id for e in real_corpus.of_type(type_name) if field in completeness.missing(e))
            anchor = f"{type_name}-{field.replace('.', '-').replace('_', '-')}"
            heading = tree.css_first(f"h3#{anchor}")
            if not lacking:
                assert heading is None
                continue
            listed = heading.next
            while listed is not None and listed.tag != "ul":
                listed = listed.next
            links = listed.css("li > a")
            assert sorted(a.attributes["href"].strip("/").rsplit("/", 1)[-1] for a in links if "/edit/" not in
                          a.attributes["href"]) == lacking
            assert len([a for a in links if "/edit/main/" in a.attributes["href"]]) == len(lacking)


# --- in Chromium ------------------------------------------------------------------------------------------

@pytest.fixture
def clipboard_page(chromium, reader):
    context = new_context(chromium, **DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=reader.split(BASE)[0])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # only the local server answers; the theme's own requests (Material's web font, the repository's star count)
    # are refused and allowed here: nothing of the citation or open data pieces may leave 127.0.0.1
    asked = record_off_site(context)
    yield page
    context.close()
    hosts = {urlsplit(url).hostname for url in asked}
    assert errors == [] and hosts <= {"fonts.googleapis.com", "api.github.com"}, (errors, hosts)


def test_data_page_links_are_live_and_copy_works_from_the_keyboard(clipboard_page, reader, real_site):
    page = clipboard_page
    page.goto(reader + "donnees/")
    assert page.locator("nav.md-tabs .md-tabs__item--active > a").inner_text().strip() == "Données"
    hrefs = page.eval_on_selector_all("article a[download], article a[href$='.xml']", "as => as.map(a => a.href)")
    assert len(hrefs) >= 10
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        assert (real_site / urlsplit(href).path.removeprefix(BASE)).is_file(), href
        if href.endswith(".csv"):
            assert response.body().startswith(b"\xef\xbb\xbf")
    button = page.get_by_role("button", name="Copier la mention")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Copié dans le presse-papiers.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("«\u202fCentre de ressources EFC\u202f», version du ") and "CC BY-SA 4.0" in copied


def test_record_bibtex_copied_with_the_space_bar(clipboard_page, reader, real_site):
    page = clipboard_page
    page.goto(reader + "methodes/forum-ouvert/")
    page.locator("details.efc-cite-formats > summary").click()
    page.get_by_role("button", name="Copier le BibTeX").focus()
    page.keyboard.press("Space")
    page.locator(".efc-cite-format").first.get_by_text("Copié dans le presse-papiers.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").strip() == (real_site / "citer" / "forum-ouvert.bib").read_text().strip()

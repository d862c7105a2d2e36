"""Reports of `linkcheck`: text (French, for people), JSON, Markdown (GitHub job summary, issue body), JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from ..problems import format_github
from . import results
from .results import Report, Result

LABELS = {"broken": "cassé", "unknown": "incertain", "redirect": "redirigé", "ok": "ok", "excluded": "exclu",
          "unchecked": "non vérifié"}
ICONS = {"broken": "❌", "unknown": "❔", "redirect": "↪️"}
SHOWN = ("broken", "unknown", "redirect")  # what the text, Markdown and JUnit reports list
MAX_PLACES = 5  # occurrences listed per link in the text and Markdown reports


def _listed(report: Report) -> list[tuple[str, Result]]:
    """(scope, result) for every link to show, broken first."""
    rows = [("interne", r) for r in report.internal]
    for kind in SHOWN:
        rows += [("externe", r) for r in report.external if r.kind == kind]
    return rows


def summary(report: Report) -> str:
    counts = report.counts()
    occurrences = sum(len(r.where) for r in report.internal)
    line = (f"{report.pages} pages, {report.links} liens internes vérifiés, {occurrences} cassé(s) vers "
            f"{len(report.internal)} cible(s) ; "
            f"{len(report.external)} adresse(s) externe(s)")
    if report.external_checked:
        line += " : " + ", ".join(f"{n} {LABELS[kind]}" for kind, n in counts.items() if n)
    else:
        line += " non vérifiée(s) (ajoutez --external pour les vérifier)"
    return line + "."


def format_text(report: Report) -> str:
    lines = [f"Vérification des liens de {report.site}"]
    for scope, result in _listed(report):
        shown = result.url if scope == "externe" else None
        for where in result.where[:MAX_PLACES]:
            lines.append(f"{where.file}:{where.line}: {LABELS[result.kind]} ({scope}) {shown or where.href} → {result.message}")
        if len(result.where) > MAX_PLACES:
            lines.append(f"    … et {len(result.where) - MAX_PLACES} autre(s) occurrence(s) du même lien")
    lines.append(summary(report))
    if report.external_checked:
        lines.append("Les liens incertains (à revérifier plus tard) et les redirections permanentes n'échouent pas ; "
                     "les ancres des pages externes ne sont pas vérifiées.")
    return "\n".join(lines)


def format_json(report: Report) -> str:
    data = {"site": report.site, "pages": report.pages, "links": report.links, "broken": report.broken,
            "external_checked": report.external_checked, "counts": report.counts(),
            "internal": [r.data() for r in report.internal], "external": [r.data() for r in report.external]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_markdown(report: Report) -> str:
    verdict = "❌ liens cassés" if report.broken else "✅ aucun lien cassé"
    lines = [f"### Vérification des liens : {verdict}", "", summary(report), ""]
    rows = _listed(report)
    if rows:
        lines += ["| Résultat | Portée | Lien | Où | Détail |", "|---|---|---|---|---|"]
        for scope, result in rows:
            places = [f"`{w.file}:{w.line}`" for w in result.where[:MAX_PLACES]]
            if len(result.where) > MAX_PLACES:
                places.append(f"et {len(result.where) - MAX_PLACES} autre(s)")
            link = result.url if scope == "externe" else (result.where[0].href if result.where else result.url)
            lines.append(f"| {ICONS[result.kind]} {LABELS[result.kind]} | {scope} | `{_cell(link)}` | "
                         f"{'<br>'.join(places)} | {_cell(result.message)} |")
    return "\n".join(lines)


def format_junit(report: Report) -> str:
    """One test case per HTML page (its internal links) and, with --external, one per external URL."""
    suites = ET.Element("testsuites", name="linkcheck")
    internal = ET.SubElement(suites, "testsuite", name="liens internes")
    by_page: dict[str, list[tuple[Result, object]]] = {}
    for result in report.internal:
        for where in result.where:
            by_page.setdefault(where.page, []).append((result, where))
    pages = max(report.pages, len(by_page))
    for page, problems in sorted(by_page.items()):
        case = ET.SubElement(internal, "testcase", classname="linkcheck.interne", name=page)
        failure = ET.SubElement(case, "failure", message=f"{len(problems)} lien(s) cassé(s) dans {page}", type="broken")
        failure.text = "\n".join(f"{w.file}:{w.line}: {w.href} → {r.message}" for r, w in problems)
    if pages > len(by_page):
        ET.SubElement(internal, "testcase", classname="linkcheck.interne",
                      name=f"{pages - len(by_page)} autre(s) page(s) sans lien cassé")
    internal.set("tests", str(len(internal)))
    internal.set("failures", str(len(by_page)))
    if report.external_checked:
        external = ET.SubElement(suites, "testsuite", name="liens externes")
        failures = skipped = 0
        for result in report.external:
            case = ET.SubElement(external, "testcase", classname="linkcheck.externe", name=result.url)
            places = "\n".join(f"{w.file}:{w.line}" for w in result.where if w.file)
            if result.kind == "broken":
                failures += 1
                ET.SubElement(case, "failure", message=result.message, type="broken").text = places
            elif result.kind in ("unknown", "excluded"):
                skipped += 1
                ET.SubElement(case, "skipped", message=f"{LABELS[result.kind]} : {result.message}")
            elif result.kind == "redirect":
                ET.SubElement(case, "system-out").text = f"avertissement : {result.message}\n{places}"
        external.set("tests", str(len(report.external)))
        external.set("failures", str(failures))
        external.set("skipped", str(skipped))
    suites.set("tests", str(sum(int(s.get("tests")) for s in suites)))
    suites.set("failures", str(sum(int(s.get("failures")) for s in suites)))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def format_annotations(report: Report) -> str:
    """GitHub annotations (::error file=…,line=…::), the same as `check --format github`."""
    return format_github(results.problems(report))


FORMATS = {"text": format_text, "json": format_json, "markdown": format_markdown, "junit": format_junit,
           "github": format_annotations}

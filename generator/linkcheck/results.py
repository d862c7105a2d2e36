"""What the link checker finds: occurrences, results, the report, and the same as `problems.Problem`s."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..problems import Problem

KINDS = ("broken", "unknown", "redirect", "ok", "excluded", "unchecked")  # report order


class UsageError(Exception):
    """Bad input (missing site, bad configuration): a French message, exit code 2."""


@dataclass
class Where:
    """One occurrence of a link: the HTML page, and the record file and line when it comes from a record."""

    page: str  # relative to the site folder
    href: str  # as written in the page
    file: str = ""  # record file relative to the root, or the HTML page; filled by `Locator`
    line: int = 0


@dataclass
class Result:
    url: str  # internal: the target within the site (path#fragment); external: the URL
    kind: str  # one of KINDS
    status: int | None = None  # HTTP status (external)
    message: str = ""  # French, for people
    target: str | None = None  # redirect: where it leads (the new URL for a permanent redirect)
    cached: bool = False
    where: list[Where] = field(default_factory=list)

    def data(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    site: str
    pages: int = 0
    links: int = 0  # internal link occurrences checked
    internal: list[Result] = field(default_factory=list)  # broken internal links only
    external: list[Result] = field(default_factory=list)  # every external URL
    external_checked: bool = False

    @property
    def broken(self) -> int:
        return len(self.internal) + sum(r.kind == "broken" for r in self.external)

    def counts(self) -> dict[str, int]:
        """External URLs by kind."""
        return {kind: sum(r.kind == kind for r in self.external) for kind in KINDS}


def problems(report: Report) -> list[Problem]:
    """Broken links (internal, and external when checked) as problems at their file and line: the formatters of
    `check` (text, JSON, GitHub annotations) then report links too."""
    out = []
    for result in report.internal + [r for r in report.external if r.kind in ("broken", "redirect")]:
        level = "error" if result.kind == "broken" else "warning"
        for where in result.where:
            out.append(Problem(where.file or where.page, where.line or 1, level, f"link-{result.kind}",
                               f"Lien « {where.href} » : {result.message or result.kind}.",
                               "Corrigez l'adresse ou l'identifiant de la fiche visée ; relancez build si le site est périmé."))
    return out

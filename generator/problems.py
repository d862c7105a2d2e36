"""Problems are data: collected in one pass, then handed to a formatter.

Messages are in French (contributors read them); codes are stable identifiers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    code: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(file, max(line, 1), code, message, hint, "error"))

    def warning(self, file: str, line: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(file, max(line, 1), code, message, hint, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


def format_text(problems: list[Problem]) -> str:
    lines = []
    for p in problems:
        label = "erreur" if p.severity == "error" else "avertissement"
        lines.append(f"{p.file}:{p.line}: {label} [{p.code}] {p.message}")
        if p.hint:
            lines.append(f"    → {p.hint}")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    lines.append(f"{errors} erreur(s), {warnings} avertissement(s).")
    return "\n".join(lines)


def format_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    out = []
    for p in problems:
        kind = "error" if p.severity == "error" else "warning"
        text = p.message + (f" — {p.hint}" if p.hint else "")
        out.append(
            f"::{kind} file={_gh_escape(p.file, True)},line={p.line},"
            f"title={_gh_escape(p.code, True)}::{_gh_escape(text)}"
        )
    return "\n".join(out)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

"""The site configuration, typed and validated once: what the generator reads of mkdocs.yml.

`site_name`, `site_url`, `repo_url` and the `extra.efc` block (`edit_branch`, `linkcheck`). An unknown key of
`extra.efc` or a value of the wrong type is a problem with the file's line and a French message, like a record's.
MkDocs' own settings (theme, nav, extensions) are MkDocs' business and not read here.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import mkdocs_yml
from .problems import Problems

CONFIG_FILE = "mkdocs.yml"


class LinkcheckConfig(BaseModel):
    """The `linkcheck:` block under `extra: efc:` in mkdocs.yml. Durations in seconds."""

    model_config = ConfigDict(extra="forbid")
    exclude: list[str] = []  # regular expressions (re.search) of URLs never requested
    accept: list[int] = []  # status codes taken as success besides 2xx (e.g. 403 of sites that refuse robots)
    concurrency: int = Field(8, ge=1, le=64)  # requests in flight, all hosts together
    per_host: int = Field(2, ge=1, le=16)  # requests in flight to one host
    interval: float = Field(1.0, ge=0)  # minimum time between the starts of two requests to one host
    timeout: float = Field(10.0, gt=0)
    retries: int = Field(2, ge=0, le=10)  # after the first try, for 429, 5xx, timeouts and connection errors
    backoff: float = Field(1.0, ge=0)  # first retry delay, doubled at each retry
    max_retry_after: float = Field(60.0, ge=0)  # a longer Retry-After gives "unknown" at once
    max_redirects: int = Field(10, ge=0)
    cache: str = ".cache/linkcheck.json"  # relative to the repository root
    cache_max_age: float = Field(7 * 86400, ge=0)
    user_agent: str = "centre-ressources-efc-linkcheck/1.0"

    @field_validator("exclude")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"expression régulière invalide « {pattern} » : {exc}") from None
        return patterns


class Efc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edit_branch: str = "main"
    linkcheck: LinkcheckConfig = LinkcheckConfig()


class Extra(BaseModel):
    model_config = ConfigDict(extra="allow")  # other keys of `extra` belong to the theme
    efc: Efc = Efc()


class SiteConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")  # MkDocs' own settings
    site_name: str = "Centre de ressources EFC"
    site_url: str = ""
    repo_url: str = ""
    extra: Extra = Extra()

    @field_validator("repo_url")
    @classmethod
    def _no_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def efc(self) -> Efc:
        return self.extra.efc


MESSAGES = {
    "extra_forbidden": "clé inconnue",
    "missing": "valeur manquante",
    "string_type": "un texte est attendu",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "list_type": "une liste est attendue",
    "model_type": "des champs « clé: valeur » sont attendus",
    "model_attributes_type": "des champs « clé: valeur » sont attendus",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "greater_than": "valeur trop petite",
}


def _line(text: str, loc: tuple) -> int:
    """The line of a key path in the YAML text (indentation-based: mkdocs.yml is block style)."""
    lines, start, depth = text.split("\n"), 0, -1
    for key in loc:
        if isinstance(key, int):
            continue
        pattern = re.compile(rf"^(\s*)(?:-\s+)?{re.escape(str(key))}\s*:")
        for number in range(start, len(lines)):
            found = pattern.match(lines[number])
            if found and len(found.group(1)) > depth:
                start, depth = number, len(found.group(1))
                break
    return start + 1


def read_config(root: Path, problems: Problems) -> SiteConfig:
    """The typed configuration; problems (with their lines) are reported and defaults kept for what is wrong."""
    try:
        data = mkdocs_yml.read_mkdocs(root)
    except mkdocs_yml.Unreadable as exc:
        problems.error(CONFIG_FILE, 1, "config-unreadable", f"{CONFIG_FILE} illisible : {exc}.",
                       "Corrigez la syntaxe YAML du fichier.")
        return SiteConfig()
    try:
        return SiteConfig.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        text = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace")
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = ".".join(str(p) for p in loc)
            expected = MESSAGES.get(error["type"]) or error.get("ctx", {}).get("error") or error["msg"]
            problems.error(CONFIG_FILE, _line(text, loc), "config-invalid", f"Configuration « {where} » invalide : {expected}.",
                           "Voir la section « Link checker » du README pour les clés de extra.efc.linkcheck."
                           if "linkcheck" in loc else "Clés acceptées sous extra.efc : edit_branch, linkcheck.")
        try:  # keep what is right: the site's name and addresses
            return SiteConfig.model_validate({k: data[k] for k in ("site_name", "site_url", "repo_url") if k in data})
        except ValidationError:
            return SiteConfig()

"""`new TYPE "Titre"`: write a valid record from its template (an archetype, as in Hugo)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from .registry import TYPES
from .text import slugify

ARCHETYPES = Path(__file__).parent / "templates" / "new"


def render_record(type_name: str, title: str, today: dt.date | None = None) -> str:
    env = Environment(loader=FileSystemLoader(ARCHETYPES), keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    return env.get_template(f"{type_name}.md").render(title=title, today=(today or dt.date.today()).isoformat())


def create_record(root: Path, type_name: str, title: str) -> int:
    record_id = slugify(title)
    if not title.strip() or not record_id:
        print("erreur d'utilisation : le titre doit contenir au moins une lettre ou un chiffre", file=sys.stderr)
        return 2
    path = root / TYPES[type_name].folder / f"{record_id}.md"
    if path.exists():
        print(f"erreur : {path.relative_to(root)} existe déjà ; choisissez un autre titre ou modifiez ce fichier.",
              file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(render_record(type_name, title))
    print(f"Fiche créée : {path.relative_to(root)}")
    print("Complétez-la, puis vérifiez-la avec : python -m generator check")
    return 0

"""Command line: python -m generator {check,build,serve,new}.

Exit codes: 0 success, 1 content errors (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import FORMATTERS

ROOT_HELP = "racine du dépôt (par défaut : le dossier courant)"


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a French hint
        self.print_usage(sys.stderr)
        print(f"erreur d'utilisation : {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> Parser:
    parser = Parser(prog="python -m generator", description="Générateur du centre de ressources EFC.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    check = sub.add_parser("check", help="valider toutes les fiches")
    check.add_argument("--root", default=".", help=ROOT_HELP)
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="format du rapport")
    check.add_argument("--strict", action="store_true", help="les avertissements font aussi échouer")

    build = sub.add_parser("build", help="valider, écrire les pages et construire le site")
    build.add_argument("--root", default=".", help=ROOT_HELP)
    build.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    build.add_argument("--docs-only", action="store_true", help="écrire les pages Markdown sans lancer MkDocs")
    build.add_argument("--force", action="store_true", help="construire malgré les erreurs, MkDocs non strict (tests uniquement)")

    serve = sub.add_parser("serve", help="prévisualiser le site avec rechargement automatique")
    serve.add_argument("--root", default=".", help=ROOT_HELP)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="adresse d'écoute")

    new = sub.add_parser("new", help="créer une fiche à partir d'un modèle")
    new.add_argument("type", choices=["method", "term", "monograph", "concept", "resource"], help="type de fiche")
    new.add_argument("title", help="titre de la fiche")
    new.add_argument("--root", default=".", help=ROOT_HELP)
    return parser


def _report(problems, fmt: str, stream=None) -> None:
    stream = stream or sys.stdout
    items = problems.sorted()
    if items or fmt != "github":
        print(FORMATTERS[fmt](items), file=stream)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.root).resolve()
    if not root.is_dir():
        print(f"erreur d'utilisation : le dossier {root} n'existe pas", file=sys.stderr)
        return 2

    if args.command == "new":
        from .new import create_record

        return create_record(root, args.type, args.title)

    from .validate import build_corpus

    corpus, problems = build_corpus(root)
    if args.command == "check":
        _report(problems, args.format)
        return 1 if problems.errors or (args.strict and problems.warnings) else 0

    if problems.errors and not getattr(args, "force", False):
        _report(problems, getattr(args, "format", "text"), sys.stderr)
        print("Construction annulée : corrigez les erreurs ci-dessus. Le site précédent est intact.", file=sys.stderr)
        return 1

    if args.command == "build":
        from .site import build_site

        return build_site(root, corpus, docs_only=args.docs_only, force=args.force)

    if args.command == "serve":
        from .site import serve_site

        return serve_site(root, corpus, args.addr)
    return 2

"""Command line: python -m generator {check,build,serve,new,linkcheck}.

Exit codes: 0 success, 1 content errors (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import FORMATTERS
from .registry import TYPES

ROOT_HELP = "racine du dépôt (par défaut : le dossier courant)"
NO_CACHE_HELP = "tout relire sans le cache de build/.cache/ (fichiers inchangés)"


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
    check.add_argument("--no-cache", action="store_true", help=NO_CACHE_HELP)
    check.add_argument("files", nargs="*", help="ne signaler que les problèmes de ces fichiers (tout est validé)")

    build = sub.add_parser("build", help="valider, écrire les pages et construire le site")
    build.add_argument("--root", default=".", help=ROOT_HELP)
    build.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    build.add_argument("--docs-only", action="store_true", help="écrire les pages Markdown sans lancer MkDocs")
    build.add_argument("--force", action="store_true", help="construire malgré les erreurs, MkDocs non strict (tests uniquement)")
    build.add_argument("--no-cache", action="store_true", help=NO_CACHE_HELP)
    build.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                       help="ce qui construit le HTML (MkDocs + Material par défaut, ou Zensical) ; la recherche est indexée de même")

    serve = sub.add_parser("serve", help="prévisualiser le site avec rechargement automatique")
    serve.add_argument("--root", default=".", help=ROOT_HELP)
    serve.add_argument("--addr", default="127.0.0.1:8000", help="adresse d'écoute")

    schemas = sub.add_parser("schemas", help="écrire les schémas JSON des en-têtes dans schemas/")
    schemas.add_argument("--root", default=".", help=ROOT_HELP)
    schemas.add_argument("--check", action="store_true", help="vérifier seulement qu'ils sont à jour (code 1 sinon)")

    linkcheck = sub.add_parser(
        "linkcheck", help="vérifier les liens du site construit",
        description="Vérifie les liens, images et ancres du site construit (hors ligne), et avec --external les liens "
                    "vers d'autres sites. Configuration : bloc « linkcheck » sous « extra: efc: » de mkdocs.yml.",
        epilog="Codes de sortie : 0 aucun lien cassé, 1 au moins un lien cassé, 2 erreur d'utilisation. Les liens "
               "incertains (429, délai dépassé, connexion impossible : à revérifier plus tard) et les redirections "
               "permanentes sont signalés sans faire échouer.")
    linkcheck.add_argument("--root", default=".", help=ROOT_HELP)
    linkcheck.add_argument("--site", help="dossier du site construit (par défaut : site/ dans la racine)")
    linkcheck.add_argument("--external", action="store_true", help="vérifier aussi les liens externes (réseau)")
    linkcheck.add_argument("--html-only", action="store_true",
                           help="ne lire que le HTML, sans les fiches (pour un site construit ailleurs ; problèmes "
                                "signalés sur les pages HTML)")
    linkcheck.add_argument("--no-cache", action="store_true", help="ignorer le cache des liens externes déjà vérifiés")
    linkcheck.add_argument("--format", choices=["text", "json", "markdown", "junit", "github"], default="text", help="format du rapport")
    linkcheck.add_argument("--output", help="écrire le rapport dans ce fichier plutôt que sur la sortie standard")

    new = sub.add_parser("new", help="créer une fiche à partir d'un modèle")
    new.add_argument("type", choices=[t.name for t in TYPES.values() if t.archetype], help="type de fiche")
    new.add_argument("title", help="titre de la fiche")
    new.add_argument("--root", default=".", help=ROOT_HELP)
    return parser


def _report(problems, fmt: str, stream=None) -> None:
    stream = stream or sys.stdout
    items = problems.sorted()
    if items or fmt != "github":
        print(FORMATTERS[fmt](items), file=stream)


def _relative(root: Path, name: str) -> str:
    path = Path(name)
    path = path if path.is_absolute() else Path.cwd() / path
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(name).as_posix()


def _schemas(root: Path, check_only: bool) -> int:
    from .build import read_vocabularies
    from .problems import Problems
    from .schemas import write_schemas

    problems = Problems()
    values = read_vocabularies(root, problems)
    if problems.errors:
        _report(problems, "text", sys.stderr)
        return 1
    changed = write_schemas(root, values, check_only)
    if check_only and changed:
        print("Schémas périmés : " + ", ".join(changed) + ". Lancez : python -m generator schemas", file=sys.stderr)
        return 1
    print(f"{len(changed)} schéma(s) {'à mettre à jour' if check_only else 'écrit(s)'}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.root).resolve()
    if not root.is_dir():
        print(f"erreur d'utilisation : le dossier {root} n'existe pas", file=sys.stderr)
        return 2

    if args.command == "new":
        from .new import create_record

        return create_record(root, args.type, args.title)

    if args.command == "linkcheck":
        from .linkcheck import main as linkcheck

        return linkcheck(root, args)

    if args.command == "schemas":
        return _schemas(root, args.check)

    from .build import build_corpus
    from .config import read_config

    corpus, problems = build_corpus(root, cache=not getattr(args, "no_cache", False), bodies=args.command != "check",
                                    freeze=args.command != "serve")  # serve builds a new corpus for every change
    read_config(root, problems)  # the site configuration is checked like the records
    if args.command == "check":
        if args.files:  # e.g. the staged files given by pre-commit: the whole corpus is still validated
            wanted = {_relative(root, f) for f in args.files}
            problems.items = [p for p in problems.items if p.file in wanted]
        _report(problems, args.format)
        return 1 if problems.errors or (args.strict and problems.warnings) else 0

    if problems.errors and not getattr(args, "force", False):
        _report(problems, getattr(args, "format", "text"), sys.stderr)
        print("Construction annulée : corrigez les erreurs ci-dessus. Le site précédent est intact.", file=sys.stderr)
        return 1

    if args.command == "build":
        from .site import build_site

        return build_site(root, corpus, docs_only=args.docs_only, force=args.force, engine=args.engine)

    if args.command == "serve":
        from .site import serve_site

        return serve_site(root, corpus, args.addr)
    return 2

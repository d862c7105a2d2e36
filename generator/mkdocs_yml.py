"""Reading mkdocs.yml without MkDocs: the site settings our generator and link checker need.

MkDocs' own tags (`!!python/name:…`, `!ENV`) are read as nothing instead of being executed.
Only PyYAML is imported here, so that `linkcheck` starts fast.
"""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIG = "mkdocs.yml"


class _TolerantLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML in which any tag builds None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class Unreadable(Exception):
    """mkdocs.yml exists but cannot be read as YAML (the message says why)."""


def read_mkdocs(root: Path) -> dict:
    """mkdocs.yml as a dictionary ({} when there is none); Unreadable when it cannot be read."""
    path = root / CONFIG
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Unreadable(str(exc)) from None
    return data if isinstance(data, dict) else {}

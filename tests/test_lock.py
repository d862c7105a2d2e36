"""Supply chain: requirements.lock pins every Python package (dependencies, test tools, build backend) to one
version with the hashes of its files, agrees with pyproject.toml, and ./dev installs nothing else."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .helpers import ROOT

LOCK = ROOT / "requirements.lock"
ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?P<rest>(?:[ \t]*\\\n[ \t]+--hash=\S+)*)", re.M)


def locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes), from the requirement lines of the lock (comments left out)."""
    text = LOCK.read_text(encoding="utf-8")
    entries = {canonicalize_name(m["name"]): (m["version"], re.findall(r"--hash=(\S+)", m["rest"])) for m in ENTRY.finditer(text)}
    lines = [line for line in text.splitlines() if line and not line.startswith((" ", "\t", "#"))]
    assert len(lines) == len(entries), "une ligne de requirements.lock n'a pas la forme nom==version : lancez ./dev lock"
    return entries


def pyproject_pins() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["test"],
             *project["build-system"]["requires"]]
    return [Requirement(name) for name in names]


def test_every_locked_package_carries_the_hashes_of_its_files():
    entries = locked()
    assert len(entries) > 50
    unhashed = sorted(name for name, (_, hashes) in entries.items() if not hashes)
    assert unhashed == [], f"sans empreinte dans requirements.lock : {unhashed} ; lancez ./dev lock"
    assert all(h.startswith("sha256:") and len(h) == len("sha256:") + 64 for _, hashes in entries.values() for h in hashes)


def test_the_lock_agrees_with_pyproject():
    entries = locked()
    disagree = [f"{req} (verrouillé : {entries.get(canonicalize_name(req.name), ('absent',))[0]})" for req in pyproject_pins()
                if canonicalize_name(req.name) not in entries
                or not req.specifier.contains(entries[canonicalize_name(req.name)][0], prereleases=True)]
    assert disagree == [], f"requirements.lock ne suit pas pyproject.toml : {disagree} ; lancez ./dev lock"
    assert "setuptools" in entries  # the build backend of the editable install is locked too


def test_dev_installs_only_what_the_lock_says():
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    installs = [line.strip() for line in dev.splitlines() if "pip install" in line]
    assert any("--require-hashes -r requirements.lock" in line for line in installs), installs
    # the project itself: no dependency and no build environment fetched outside the lock
    assert all("--require-hashes" in line or ("--no-deps" in line and "--no-build-isolation" in line) for line in installs), installs

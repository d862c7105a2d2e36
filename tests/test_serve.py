"""`serve`: the preview server shows the site, and an edited record shows up without a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, fetch, free_port, refuse_build_in_fast_loop, wait_until

PAGE = "centre-ressources/methodes/forum-ouvert/"


def wait_for(url: str, text: str, server: subprocess.Popen, timeout: float = 90) -> str:
    """Poll until the page contains `text` (bounded: a hang fails the test with the server's output)."""
    def shows() -> str | None:
        if server.poll() is not None:
            pytest.fail(f"serve stopped:\n{server.log.read_text(encoding='utf-8')}")
        page = fetch(url)
        return page if page is not None and text in page else None

    return wait_until(shows, timeout, f"« {text} » n'apparaît pas à {url}", interval=0.1)


def logged(server: subprocess.Popen, text: str, timeout: float = 60) -> None:
    """Wait until the server has written `text` to its output."""
    wait_until(lambda: text in server.log.read_text(encoding="utf-8"), timeout, f"serve n'a pas écrit « {text} »")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def server(repo: Path, tmp_path_factory):
    refuse_build_in_fast_loop()
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w", encoding="utf-8") as out:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"], cwd=repo,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})  # this checkout's generator, as run() does
    process.log = log
    yield process, f"http://127.0.0.1:{port}/"
    stop(process)


def test_serve_regenerates_an_edited_record_and_keeps_serving_after_an_error(repo, server):
    process, base = server
    record = repo / "tools_methods/forum-ouvert.md"
    original = record.read_text(encoding="utf-8")
    wait_for(base + PAGE, "Le forum ouvert sert", process)

    record.write_text(original.replace("Le forum ouvert sert", "Le forum ouvert, revu en direct, sert"), encoding="utf-8")
    wait_for(base + PAGE, "revu en direct", process)

    # an invalid edit is reported and the last good page stays online
    record.write_text(original.replace("phases: [emergence]", "phases: [emergenc]"), encoding="utf-8")
    logged(process, "Pages non régénérées")  # the edit was seen and refused
    assert "revu en direct" in fetch(base + PAGE)

    record.write_text(original.replace("Le forum ouvert sert", "Le forum ouvert, corrigé, sert"), encoding="utf-8")
    wait_for(base + PAGE, "corrigé", process)
    assert record.read_text(encoding="utf-8") == original.replace("Le forum ouvert sert", "Le forum ouvert, corrigé, sert")

    stop(process)
    output = process.log.read_text(encoding="utf-8")
    assert "vocabulary-unknown" in output and "Pages non régénérées" in output, output
    assert "Traceback" not in output, output

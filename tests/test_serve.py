"""`serve`: the preview server shows the site, and an edited record shows up without a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PAGE = "centre-ressources/methodes/forum-ouvert/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, server: subprocess.Popen, timeout: float = 90) -> str:
    """Poll until the page contains `text` (bounded: a hang fails the test with the server's output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve stopped:\n{server.log.read_text(encoding='utf-8')}")
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    pytest.fail(f"« {text} » never appeared at {url}")


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
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w", encoding="utf-8") as out:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"], cwd=repo,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
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
    time.sleep(3)
    assert "revu en direct" in fetch(base + PAGE)

    record.write_text(original.replace("Le forum ouvert sert", "Le forum ouvert, corrigé, sert"), encoding="utf-8")
    wait_for(base + PAGE, "corrigé", process)
    assert record.read_text(encoding="utf-8") == original.replace("Le forum ouvert sert", "Le forum ouvert, corrigé, sert")

    stop(process)
    output = process.log.read_text(encoding="utf-8")
    assert "vocabulary-unknown" in output and "Pages non régénérées" in output, output
    assert "Traceback" not in output, output

"""Helpers for the browser tests: a built site served on 127.0.0.1 and Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

from .conftest import missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def require_chromium():
    """Skip locally without Chromium; in CI (EFC_STRICT_TESTS=1) a missing browser fails the run."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        missing(f"Chromium introuvable ({CHROMIUM}) : apt-get install -y chromium")


class Server:
    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

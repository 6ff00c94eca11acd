"""The headless Chromium that the site's audit and the browser tests drive, and a loopback server for it.

Debian's ``chromium`` package (``apt-get install chromium``), or the build
that ``$CHROMIUM`` names; never a browser that Playwright downloads.
``tools/site_audit.py`` and ``tests/browser.py`` (the browser tests'
fixture) both start it from here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading

# Debian's chromium; $CHROMIUM names another build (GitHub's runners ship
# Google Chrome, found last). None when there is none.
CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser") or shutil.which("google-chrome"))

# Flags for a headless Chromium on a closed network, as root in a container:
# no sandbox (root), and no background calls to the outside world.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def launch(playwright):
    """Start :data:`CHROMIUM`, headless, through a running Playwright; return its ``Browser``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


@contextlib.contextmanager
def serve(folder, port=0):
    """Serve ``folder`` on 127.0.0.1 (a free port unless given); yield the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()

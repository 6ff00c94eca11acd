"""The browser machinery itself: a page served on loopback renders in Chromium."""

import http.server
import threading

from browser import browser, free_port  # noqa: F401  (browser is a fixture)


def test_chromium_renders_a_local_page(browser, tmp_path):  # noqa: F811
    (tmp_path / "index.html").write_text("<title>ok</title><h1 id='h'>Dendrogram</h1>")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        assert page.title() == "ok"
        assert page.inner_text("#h") == "Dendrogram"
        page.close()
    finally:
        server.shutdown()

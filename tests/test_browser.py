"""The browser machinery itself: a page served on loopback renders in Chromium, and the
Jupyter servers' REST API is called patiently."""

import http.server
import json
import threading
import urllib.error
from unittest import mock

import pytest

from browser import server_api
from tools.chromium import serve


def test_chromium_renders_a_local_page(browser, tmp_path):
    (tmp_path / "index.html").write_text("<title>ok</title><h1 id='h'>Dendrogram</h1>")
    with serve(tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}index.html")
        assert page.title() == "ok"
        assert page.inner_text("#h") == "Dendrogram"
        page.close()


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers like jupyter_server while a kernel starts: 500 to the first lists, then the list."""

    failures = 2

    def do_GET(self):
        if _Flaky.failures:
            _Flaky.failures -= 1
            self.send_error(500, "'last_activity' is not set yet")
            return
        body = json.dumps([{"id": "k1", "execution_state": "idle"}]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_DELETE(self):
        self.send_error(404 if "gone" in self.path else 403)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_server():
    _Flaky.failures = 2
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    process = mock.Mock(**{"poll.return_value": None})
    yield {"base": f"http://127.0.0.1:{httpd.server_port}", "token": "t", "process": process}
    httpd.shutdown()


def test_server_api_waits_out_the_500_of_a_kernel_that_is_starting(flaky_server):
    assert server_api(flaky_server, "kernels") == [{"id": "k1", "execution_state": "idle"}]
    assert _Flaky.failures == 0


def test_server_api_gives_up_on_a_dead_server_and_on_a_refusal(flaky_server):
    flaky_server["process"].poll.return_value = 1
    with pytest.raises(urllib.error.HTTPError, match="500"):
        server_api(flaky_server, "kernels")
    assert server_api(flaky_server, "kernels/gone", method="DELETE") is None  # already stopped: done
    with pytest.raises(urllib.error.HTTPError, match="403"):
        server_api(flaky_server, "kernels/k1", method="DELETE")

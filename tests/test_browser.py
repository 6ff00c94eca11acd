"""The browser machinery itself: a page served on loopback renders in Chromium."""

from tools.chromium import serve


def test_chromium_renders_a_local_page(browser, tmp_path):
    (tmp_path / "index.html").write_text("<title>ok</title><h1 id='h'>Dendrogram</h1>")
    with serve(tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}index.html")
        assert page.title() == "ok"
        assert page.inner_text("#h") == "Dendrogram"
        page.close()

"""Headless Chromium for the browser tests: Debian's chromium, driven by Playwright.

A test module marks itself with `NEEDS_CHROMIUM` (it skips where Debian's
chromium, `apt-get install -y chromium`, is absent) and imports Playwright
with `pytest.importorskip("playwright.sync_api")`; `chromium()` launches the
browser headless, with nothing that reaches the network by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

NEEDS_CHROMIUM = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a `playwright.sync_api.Browser`), closed on leaving."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()

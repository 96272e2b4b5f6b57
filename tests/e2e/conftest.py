"""What every browser test shares: Debian's chromium, started once a module through Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from browserkit import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()

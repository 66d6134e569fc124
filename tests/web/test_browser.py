"""End to end in a real headless Chromium: open the token link, search, open a hit, download the pack.

Debian's ``chromium`` and ``chromium-driver`` are installed by ``.ci/run``; selenium drives them
with no browser download. On a laptop without them the test is skipped; under CI it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from retain.config import load_settings
from retain.services import open_services
from tests.conftest import CliInvoker

TOKEN = "browser-test-token-0123456789"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

if not (CHROMIUM and DRIVER):  # pragma: no cover - depends on the machine
    if os.environ.get("CI"):
        raise RuntimeError("chromium and chromium-driver must be installed in CI (see .ci/run)")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(sqlite_url: str, run_cli: CliInvoker) -> Iterator[str]:
    import uvicorn

    from retain.web.app import create_app

    assert run_cli("demo", db=sqlite_url).exit_code == 0
    services = open_services(load_settings(db=sqlite_url))
    port = free_port()
    config = uvicorn.Config(create_app(services, TOKEN), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    services.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.downloads = downloads  # type: ignore[attr-defined]
    yield driver
    driver.quit()


def wait_for(predicate: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_token_link_search_open_hit_and_download(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    driver.get(f"{server}/search")  # type: ignore[attr-defined]
    assert "Access token needed" in driver.page_source  # type: ignore[attr-defined]

    driver.get(f"{server}/?token={TOKEN}")  # type: ignore[attr-defined]
    assert "token=" not in driver.current_url  # type: ignore[attr-defined]
    assert "Handover interviews" in driver.page_source  # type: ignore[attr-defined]
    cookie = driver.get_cookie("retain_token")  # type: ignore[attr-defined]
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    # HttpOnly: page script cannot read the token.
    assert "retain_token" not in driver.execute_script("return document.cookie")  # type: ignore[attr-defined]

    driver.find_element(By.LINK_TEXT, "Search").click()  # type: ignore[attr-defined]
    box = driver.find_element(By.NAME, "q")  # type: ignore[attr-defined]
    box.send_keys("payroll", Keys.ENTER)
    wait_for(lambda: "results for" in driver.page_source)  # type: ignore[attr-defined]
    hits = driver.find_elements(By.CSS_SELECTOR, "a.hit")  # type: ignore[attr-defined]
    assert hits, "no search hits for payroll on the demo data"
    assert driver.find_elements(By.CSS_SELECTOR, ".snippet mark")  # type: ignore[attr-defined]
    hits[0].click()
    wait_for(lambda: "/interviews/" in driver.current_url)  # type: ignore[attr-defined]
    anchor = driver.current_url.split("#", 1)[1]  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, anchor).is_displayed()  # type: ignore[attr-defined]
    assert "SHAREABLE" in driver.page_source  # type: ignore[attr-defined]

    driver.find_element(By.LINK_TEXT, "Word").click()  # type: ignore[attr-defined]
    folder: Path = driver.downloads  # type: ignore[attr-defined]
    wait_for(lambda: any(p.suffix == ".docx" for p in folder.iterdir()), 30)
    docx = next(p for p in folder.iterdir() if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as archive:
        assert "word/document.xml" in archive.namelist()

"""The web view in a real browser (headless Chromium from Debian's packages, driven by
Selenium): a staff member filters the matrix, a principal updates a task through the form,
forged Mini App data and a tampered link are refused. Screenshots go to out/screenshots/."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web
from sqlmodel import select

from bot.web import build_app
from storage.contacts import contacts_of_unit
from storage.db import session_scope
from storage.imports import link_identity
from storage.models import Assignment, History, State, Task, Unit
from storage.units import unit_by_code
from tests.bot.web.conftest import BOT_TOKEN, Web, init_data_for

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[3] / "out" / "screenshots"
# CI (.ci/run) installs them, so there a missing browser is a failure, never a skip
pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="chromium and chromium-driver are not installed (.ci/run installs them)")


@pytest.fixture
def server(web_env: Web) -> Iterator[str]:
    """The web view on a real port, in a thread with its own event loop."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(build_app(web_env.engine, web_env.core, web_env.config, BOT_TOKEN))
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="nhacviec-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=412,915"):  # a phone's screen
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def shot(driver: webdriver.Chrome, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if full:  # the whole page, as tall as it is
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(412, min(int(height) + 100, 4000))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(412, 915)


def refused(driver: webdriver.Chrome) -> None:
    """The refusal page, and nothing of the school behind it."""
    WebDriverWait(driver, 10).until(lambda d: "Không mở được trang" in d.page_source)
    assert "Cát Bi" not in driver.page_source


def units_shown(driver: webdriver.Chrome) -> list[str]:
    return [r.get_attribute("data-unit") or "" for r in
            driver.find_elements(By.CSS_SELECTOR, "#matrix tbody tr")]


def test_staff_open_the_matrix_and_filter_it(server: str, web_env: Web,
                                             browser: webdriver.Chrome) -> None:
    browser.get(server + web_env.link("PGD"))
    assert browser.current_url.endswith("/bang")
    assert "Ma trận tiến độ" in browser.title
    everyone = units_shown(browser)
    assert "TH-CATBI" in everyone and "MN-CATBI" in everyone
    cell = browser.find_element(By.CSS_SELECTOR, "#matrix tbody td.cell")
    assert cell.text and cell.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    shot(browser, "1-matrix-staff")

    Select(browser.find_element(By.NAME, "kind")).select_by_value("TH")  # applies at once
    WebDriverWait(browser, 10).until(lambda d: "kind=TH" in d.current_url)
    primary = units_shown(browser)
    assert primary and all(code.startswith("TH-") for code in primary)
    Select(browser.find_element(By.NAME, "verdict")).select_by_value("overdue")
    WebDriverWait(browser, 10).until(lambda d: "verdict=overdue" in d.current_url)
    assert set(units_shown(browser)) <= set(primary)
    shot(browser, "2-matrix-filtered")

    browser.find_element(By.LINK_TEXT, primary[0]).click()
    WebDriverWait(browser, 10).until(lambda d: f"/truong/{primary[0]}" in d.current_url)
    shot(browser, "3-school-from-matrix")

    browser.get(server + "/nop-bao-cao?period=Q1")
    assert "Chưa nộp" in browser.page_source
    shot(browser, "9-report-board", full=True)


def test_principal_updates_a_task_through_the_form(server: str, web_env: Web,
                                                   browser: webdriver.Chrome) -> None:
    browser.get(server + web_env.link("TH-CATBI"))
    assert browser.current_url.endswith("/truong/TH-CATBI")
    shot(browser, "4-school-principal", full=True)
    Select(browser.find_element(By.ID, "f-task")).select_by_value("1.2")
    Select(browser.find_element(By.ID, "f-state")).select_by_value("progress")
    percent = browser.find_element(By.ID, "f-percent")
    assert percent.is_displayed()
    assert not browser.find_element(By.ID, "f-note").is_displayed()
    percent.send_keys("70")
    browser.find_element(By.ID, "f-send").click()
    answer = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "answer"))
    assert "Đã ghi nhận" in answer.text and "70%" in answer.text
    shot(browser, "5-school-updated")
    with session_scope(web_env.engine) as session:
        saved = session.exec(select(Assignment).join(Task).join(Unit).where(
            Unit.code == "TH-CATBI", Task.code == "1.2")).one()
        assert (saved.state, saved.percent) == (State.IN_PROGRESS, 70)
    card = browser.find_element(By.ID, "task-1.2")
    assert "Đang thực hiện" in card.find_element(By.CSS_SELECTOR, ".state").text
    assert "/truong/TH-CATBI?task=1.2" in browser.current_url  # redirected after the post
    browser.refresh()  # sends nothing again, and the answer is not shown twice
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.ID, "answer"))
    with session_scope(web_env.engine) as session:
        said = session.exec(select(History).where(History.raw_text == "1.2 đang làm 70%"))
        assert len(said.all()) == 1


def test_forged_mini_app_data_and_tampered_links_are_refused(
        server: str, web_env: Web, browser: webdriver.Chrome) -> None:
    with session_scope(web_env.engine) as session:
        unit = unit_by_code(session, code="TH-CATBI")
        assert unit is not None
        principal = contacts_of_unit(session, unit_id=unit.id or 0)[0]
        link_identity(session, contact_id=principal.id or 0, channel="telegram",
                      chat_id="4242")
    forged = init_data_for(4242, token="999:not-this-bot")
    browser.get(f"{server}/tg#tgWebAppData={quote(forged)}")
    WebDriverWait(browser, 10).until(
        lambda d: "không hợp lệ" in d.find_element(By.ID, "miniapp-status").text)
    shot(browser, "6-miniapp-forged")
    browser.get(server + "/truong/TH-CATBI")
    refused(browser)

    link = web_env.link("TH-CATBI")
    browser.get(server + link.replace("/l/p.", "/l/p.9", 1))
    refused(browser)
    shot(browser, "7-tampered-link")

    browser.get(f"{server}/tg#tgWebAppData={quote(init_data_for(4242))}")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/truong/TH-CATBI"))
    shot(browser, "8-miniapp-opened")

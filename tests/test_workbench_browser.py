"""The review workbench in a real headless Chromium (Selenium): filter, accept and reject by clicking and
by keyboard, reload, find the decisions in SQLite, open the network; and the first page of 10,000 triples
loads in under a second (Navigation Timing).

Skipped when chromedriver (or starlette/uvicorn) is missing, except in CI (CI=true), where it must run.
Install: apt-get install -y chromium chromium-driver. Screenshots go to $BIOMINE_SHOTS when it is set
(else to the test's tmp folder).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser

if os.environ.get("CI") != "true":
    pytest.importorskip("starlette", reason="the review workbench needs starlette and uvicorn")
    pytest.importorskip("uvicorn", reason="the review workbench needs starlette and uvicorn")

from pipeline.curation.server import BackgroundServer  # noqa: E402
from pipeline.writers.load import load_output_dir  # noqa: E402
from pipeline.writers.sqlite import write_sqlite  # noqa: E402
from test_workbench_support import FIXTURE, make_db  # noqa: E402


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    if not (Path(CHROMEDRIVER).exists() and Path(CHROMIUM).exists()) and os.environ.get("CI") != "true":
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chrome-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1500,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ["BIOMINE_SHOTS"]) if os.environ.get("BIOMINE_SHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _wait(drv, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(drv, timeout).until(condition)


def _rows(drv):
    from selenium.webdriver.common.by import By

    return drv.find_elements(By.CSS_SELECTOR, "tbody.triple")


def _row(drv, key):
    from selenium.webdriver.common.by import By

    return drv.find_element(By.CSS_SELECTOR, f'tbody.triple[data-key="{key}"]')


def _decided(drv, key, decision):
    return lambda d: _row(d, key).get_attribute("data-decision") == decision


def _errors(drv) -> list[str]:
    return [e["message"] for e in drv.get_log("browser") if e["level"] == "SEVERE"]


def _save(drv, path: Path) -> None:
    drv.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_review_flow(driver, tmp_path, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    db = write_sqlite(load_output_dir(FIXTURE), tmp_path / "b.sqlite")[0]
    with BackgroundServer(db, curator="default-curator") as url:
        driver.get(url + "triples")
        assert driver.title == "Triples · biomine review"
        assert len(_rows(driver)) == 15
        assert driver.find_element(By.ID, "n-total").text == "15"

        curator = driver.find_element(By.ID, "curator")
        curator.clear()
        curator.send_keys("Sam Selenium", Keys.TAB)  # kept in localStorage, sent with each decision

        # filter: a menu submits at once
        Select(driver.find_element(By.CSS_SELECTOR, 'select[name="relation"]')).select_by_value("activation")
        _wait(driver, lambda d: "relation=activation" in d.current_url and len(_rows(d)) == 5)
        keys = [r.get_attribute("data-key") for r in _rows(driver)]
        _save(driver, shots / "workbench-list.png")

        # accept by clicking
        _row(driver, keys[0]).find_element(By.CSS_SELECTOR, "button.act.accept").click()
        _wait(driver, _decided(driver, keys[0], "accept"))
        assert _row(driver, keys[0]).find_element(By.CSS_SELECTOR, ".state").text == "accepted"
        assert "Sam Selenium" in _row(driver, keys[0]).find_element(By.CSS_SELECTOR, ".decision-meta").text
        # reject with an error type by clicking
        second = _row(driver, keys[1])
        second.find_element(By.CSS_SELECTOR, 'button[data-action="reject-open"]').click()
        reason = second.find_element(By.CSS_SELECTOR, 'button[data-error-type="wrong_entity"]')
        _wait(driver, lambda d: reason.is_displayed())
        reason.click()
        _wait(driver, _decided(driver, keys[1], "reject"))
        assert second.find_element(By.CSS_SELECTOR, ".reason").text == "wrong entity"
        assert driver.find_element(By.ID, "n-reject").text == "1"

        # by keyboard: the focus moved on to the third triple; r shows the reasons, 4 = wrong direction
        body = driver.find_element(By.TAG_NAME, "body")
        assert "current" in _row(driver, keys[2]).get_attribute("class")
        body.send_keys("r")
        _wait(driver, lambda d: _row(d, keys[2]).find_element(By.CSS_SELECTOR, ".reasons").is_displayed())
        body.send_keys("4")
        _wait(driver, _decided(driver, keys[2], "reject"))
        # accept the fourth with a (the focus moves to the fifth), back twice with k, a note with n ... Enter
        body.send_keys("a")
        _wait(driver, _decided(driver, keys[3], "accept"))
        assert "current" in _row(driver, keys[4]).get_attribute("class")
        body.send_keys("k", "k", "n")
        _wait(driver, lambda d: d.switch_to.active_element.get_attribute("class") == "note")
        driver.switch_to.active_element.send_keys("direction is reversed", Keys.ENTER)
        _wait(driver, lambda d: "note saved" in d.find_element(By.ID, "status").get_attribute("textContent"))
        body.send_keys("j", "u")  # and withdraw the fourth's acceptance
        _wait(driver, _decided(driver, keys[3], ""))

        # reload: the decisions come back from the database
        driver.refresh()
        _wait(driver, lambda d: len(_rows(d)) == 5)
        states = {k: _row(driver, k).get_attribute("data-decision") for k in keys}
        assert states == {keys[0]: "accept", keys[1]: "reject", keys[2]: "reject", keys[3]: "", keys[4]: ""}
        assert _rows(driver)[0].get_attribute("data-decision") == ""  # undecided first
        assert _row(driver, keys[2]).find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == \
            "direction is reversed"
        with closing(sqlite3.connect(db)) as con:
            got = {r[0]: r[1:] for r in con.execute(
                "SELECT triple_key, decision, error_type, note, curator FROM curation_decisions")}
        assert got == {
            keys[0]: ("accept", None, None, "Sam Selenium"),
            keys[1]: ("reject", "wrong_entity", None, "Sam Selenium"),
            keys[2]: ("reject", "wrong_direction", "direction is reversed", "Sam Selenium"),
        }

        # search with /
        body = driver.find_element(By.TAG_NAME, "body")
        body.send_keys("/")
        _wait(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "q")
        driver.switch_to.active_element.send_keys("000_ae47", Keys.ENTER)  # the document with a PMID
        _wait(driver, lambda d: "q=000_ae47" in d.current_url and len(_rows(d)) == 1)

        # the evidence view: o opens the current triple
        driver.find_element(By.TAG_NAME, "body").send_keys("o")
        _wait(driver, lambda d: "/triple/" in d.current_url)
        assert driver.find_elements(By.CSS_SELECTOR, "li.evidence-item mark.ent.arg")
        assert driver.find_elements(By.CSS_SELECTOR, 'a[href^="https://pubmed.ncbi.nlm.nih.gov/"]')
        _save(driver, shots / "workbench-evidence.png")

        # the network: Cytoscape draws nodes; an edge leads to its evidence
        driver.get(url + "network")
        _wait(driver, lambda d: int(d.find_element(By.ID, "cy").get_attribute("data-nodes") or 0) > 0)
        n = driver.execute_script("return window.biomineCy.nodes().length")
        accepted = driver.execute_script("return window.biomineCy.edges('[accepted > 0]').length")
        assert n > 5 and accepted >= 1
        assert driver.find_element(By.CSS_SELECTOR, "#cy canvas").is_displayed()
        _save(driver, shots / "workbench-network.png")
        only_binding = len(driver.find_elements(By.CSS_SELECTOR, 'input[name="relation"]'))
        assert only_binding >= 3
        driver.find_element(By.ID, "rel-none").click()
        _wait(driver, lambda d: d.find_element(By.ID, "cy").get_attribute("data-edges") == "0")
        driver.find_element(By.CSS_SELECTOR, 'input[name="relation"][value="activation"]').click()
        _wait(driver, lambda d: int(d.find_element(By.ID, "cy").get_attribute("data-edges") or 0) > 0)
        relations = driver.execute_script("return window.biomineCy.edges().map(e => e.data('relation'))")
        assert set(relations) == {"activation"}
        driver.execute_script("window.biomineCy.edges()[0].emit('tap')")
        _wait(driver, lambda d: "/triples?subject_key=" in d.current_url)
        assert _rows(driver) and all(r.find_element(By.CSS_SELECTOR, ".rel-name").text == "activation"
                                     for r in _rows(driver))
        assert _errors(driver) == []


def test_ten_thousand_triples(driver, tmp_path, shots):
    from selenium.webdriver.common.by import By

    db = make_db(tmp_path / "big.sqlite", 10_000)
    with BackgroundServer(db) as url:
        driver.get(url + "static/workbench.css")  # the server is warm, the browser cache is not
        driver.get(url + "triples")
        timing = driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0];"
            "return {response: n.responseEnd - n.startTime, dom: n.domContentLoadedEventEnd - n.startTime,"
            " load: n.loadEventEnd - n.startTime};")
        assert driver.find_element(By.ID, "match-count").text.startswith("10,000 triples match")
        assert len(_rows(driver)) == 50
        (shots / "workbench-timing.json").write_text(json.dumps(timing, indent=1))
        print(f"first page of 10,000 triples: {timing}")
        assert timing["load"] < 1000, timing
        driver.find_element(By.CSS_SELECTOR, 'a[rel="next"]').click()
        _wait(driver, lambda d: "page=2" in d.current_url)
        _save(driver, shots / "workbench-list-10k.png")
        driver.get(url + "network")
        _wait(driver, lambda d: int(d.find_element(By.ID, "cy").get_attribute("data-nodes") or 0) > 0, timeout=60)
        assert int(driver.find_element(By.ID, "cy").get_attribute("data-edges")) == 300
        _save(driver, shots / "workbench-network-10k.png")
        assert _errors(driver) == []

"""The review page in a real headless Chromium: rendering, filtering, sorting, badges.

Skipped when chromedriver is missing, except in CI (CI=true), where it must run.
Install: apt-get install -y chromium chromium-driver
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.writers.html import write_html
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    if not Path(CHROMEDRIVER).exists() and os.environ.get("CI") != "true":
        pytest.skip("chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chrome-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1400,1600"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    (path,) = write_html(load_output_dir(FIXTURE), out)
    return path


def _visible_groups(drv):
    from selenium.webdriver.common.by import By

    return [g for g in drv.find_elements(By.CSS_SELECTOR, "tbody.group") if g.is_displayed()]


def test_renders_filters_and_sorts(driver, page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(page.as_uri())
    assert driver.title == "biomine review"
    assert len(_visible_groups(driver)) == 12
    assert driver.find_element(By.ID, "shown-count").text == "12 of 12 triples shown"

    # badges are rendered and visible
    negated = [b for b in driver.find_elements(By.CSS_SELECTOR, ".badge-negated") if b.is_displayed()]
    hedged = [b for b in driver.find_elements(By.CSS_SELECTOR, ".badge-hedged") if b.is_displayed()]
    assert negated and hedged
    assert negated[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    links = driver.find_elements(By.CSS_SELECTOR, "a[href='https://pubmed.ncbi.nlm.nih.gov/11154276/']")
    assert links and links[0].is_displayed()

    shot = tmp_path / "review.png"
    driver.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    # typing an entity hides the other rows
    box = driver.find_element(By.ID, "f-text")
    box.send_keys("selonsertib")
    visible = _visible_groups(driver)
    assert len(visible) == 1 and "selonsertib" in visible[0].text
    assert driver.find_element(By.ID, "shown-count").text == "1 of 12 triples shown"
    box.clear()
    box.send_keys("JNK")
    assert {g.get_attribute("data-object") for g in _visible_groups(driver)} == {"jnk"}
    box.clear()
    box.send_keys("no such protein")
    assert not _visible_groups(driver) and driver.find_element(By.ID, "no-match").is_displayed()
    box.clear()
    box.send_keys(" ")  # input event with an empty query shows everything again
    assert len(_visible_groups(driver)) == 12

    # relation filter combined with the entity select
    Select(driver.find_element(By.ID, "f-relation")).select_by_value("activation")
    assert len(_visible_groups(driver)) == 4
    Select(driver.find_element(By.ID, "f-entity")).select_by_value("HGNC:6857")
    assert {g.get_attribute("data-object") for g in _visible_groups(driver)} == {"jnk", "p38", "map3k5"}
    driver.find_element(By.ID, "f-hide-negated").click()
    Select(driver.find_element(By.ID, "f-entity")).select_by_value("FPLX:JNK")
    assert len(_visible_groups(driver)) == 1  # RAF -> JNK (negated only) is hidden now
    Select(driver.find_element(By.ID, "f-relation")).select_by_value("")
    Select(driver.find_element(By.ID, "f-entity")).select_by_value("")
    driver.find_element(By.ID, "f-hide-negated").click()
    assert len(_visible_groups(driver)) == 12

    # sorting by clicking a header
    header = driver.find_element(By.CSS_SELECTOR, "th[data-sort='subject']")
    header.click()
    subjects = [g.get_attribute("data-subject") for g in _visible_groups(driver)]
    assert subjects == sorted(subjects, key=str.lower) or subjects == sorted(subjects)
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    driver.find_element(By.CSS_SELECTOR, "th[data-sort='evidence']").click()
    counts = [int(g.get_attribute("data-evidence")) for g in _visible_groups(driver)]
    assert counts == sorted(counts)

    driver.save_screenshot(str(tmp_path / "review-sorted.png"))
    assert not [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]

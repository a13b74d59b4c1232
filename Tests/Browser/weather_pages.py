#!/usr/bin/env python3
"""Walks the weather grid and a product page in headless Chromium, as a visitor would.

Run by Tests/EndToEndTests/BrowserTests.swift, which fills the database through the store,
starts statusd and writes what the pages must show into a JSON file:
    /usr/bin/python3 weather_pages.py BASE_URL EXPECTATIONS.json
Prints one line per check and closes with "N passed, M failed"; exits 1 on any failure.
"""
import json
import sys
import traceback

from selenium import webdriver

from headless import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


def browser():
    return chromium(window="1400,900", language="fr-FR")


def texts(elements):
    return [element.text.strip() for element in elements]


def open_page(driver, url):
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


@check
def grid_rows_are_the_products_in_order(driver, base, expect):
    open_page(driver, base + "/?lang=fr")
    rows = driver.find_elements(By.CSS_SELECTOR, "tr.product-row")
    names = [row.find_element(By.CSS_SELECTOR, "th a").text for row in rows]
    assert names == expect["productNames"], f"rows {names}, expected {expect['productNames']}"
    families = texts(driver.find_elements(By.CSS_SELECTOR, "tr.family-row th"))
    assert [f.lower() for f in families] == [f.lower() for f in expect["families"]], f"families {families}"


@check
def every_row_has_one_cell_per_day_in_date_order(driver, base, expect):
    open_page(driver, base + "/?lang=fr")
    headers = [th.get_attribute("data-date") for th in driver.find_elements(By.CSS_SELECTOR, "th.day-col")]
    assert headers == expect["days"], f"column dates {headers}"
    for row in driver.find_elements(By.CSS_SELECTOR, "tr.product-row"):
        dates = [td.get_attribute("data-date") for td in row.find_elements(By.CSS_SELECTOR, "td.cell")]
        assert dates == expect["days"], f"row {row.get_attribute('data-product')} has dates {dates}"


@check
def chosen_day_shows_its_state_with_icon_and_words(driver, base, expect):
    chosen = expect["chosen"]
    for language in ("fr", "en"):
        open_page(driver, base + f"/?lang={language}")
        cell = driver.find_element(
            By.CSS_SELECTOR, f"tr[data-product='{chosen['slug']}'] td[data-date='{chosen['date']}']")
        assert cell.get_attribute("data-state") == chosen["state"], cell.get_attribute("data-state")
        assert cell.find_element(By.CSS_SELECTOR, ".icon").text == chosen["icon"]
        label = cell.find_element(By.CSS_SELECTOR, ".sr").get_attribute("textContent")
        assert label == chosen[f"label_{language}"], f"{language} label {label!r}"
        assert cell.get_attribute("title") == chosen[f"label_{language}"]


@check
def legend_names_every_state_in_both_languages(driver, base, expect):
    for language in ("fr", "en"):
        open_page(driver, base + f"/?lang={language}")
        words = texts(driver.find_elements(By.CSS_SELECTOR, ".legend-item .word"))
        icons = texts(driver.find_elements(By.CSS_SELECTOR, ".legend-item .icon"))
        assert words == expect[f"legend_{language}"], f"{language} legend {words}"
        assert icons == expect["legendIcons"], f"icons {icons}"


@check
def language_switch_is_remembered(driver, base, expect):
    open_page(driver, base + "/?lang=fr")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Météo des solutions SaaS"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    driver.find_element(By.CSS_SELECTOR, "a.lang-switch").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "SaaS solutions weather")
    open_page(driver, base + "/")
    assert driver.find_element(By.TAG_NAME, "h1").text == "SaaS solutions weather", "the cookie keeps English"
    open_page(driver, base + "/?lang=fr")


@check
def product_page_shows_condition_bar_uptime_and_incidents(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + "/?lang=fr")
    driver.find_element(By.LINK_TEXT, chosen["name"]).click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == chosen["name"])
    condition = driver.find_element(By.CSS_SELECTOR, ".condition-text").text
    assert chosen["condition_fr"] in condition, condition
    days = driver.find_elements(By.CSS_SELECTOR, "ol.bar li.bar-day")
    assert [d.get_attribute("data-date") for d in days] == expect["days"], "bar oldest to newest"
    uptime = driver.find_element(By.CSS_SELECTOR, ".uptime-value").text
    assert uptime == chosen["uptime_fr"], uptime
    titles = texts(driver.find_elements(By.CSS_SELECTOR, ".incident h3"))
    assert titles == chosen["closedIncidents"], titles


@check
def bar_day_tells_date_and_state_on_hover_and_focus(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + f"/products/{chosen['slug']}?lang=fr")
    day = driver.find_element(By.CSS_SELECTOR, f"li.bar-day[data-date='{chosen['date']}']")
    tip = day.find_element(By.CSS_SELECTOR, ".tip")
    assert not tip.is_displayed(), "the tooltip is hidden until asked for"
    driver.execute_script("arguments[0].focus()", day)
    WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())
    assert tip.text == chosen["label_fr"], tip.text
    driver.execute_script("arguments[0].blur()", day)
    webdriver.ActionChains(driver).move_to_element(day).perform()
    WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())


@check
def english_product_page(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + f"/products/{chosen['slug']}?lang=en")
    assert chosen["condition_en"] in driver.find_element(By.CSS_SELECTOR, ".condition-text").text
    assert driver.find_element(By.CSS_SELECTOR, "#incidents-title").text == "Latest closed incidents"
    open_page(driver, base + f"/products/{chosen['slug']}?lang=fr")
    assert driver.find_element(By.CSS_SELECTOR, "#incidents-title").text == "Derniers incidents clos"


@check
def grid_fits_a_phone(driver, base, expect):
    driver.set_window_size(390, 844)
    try:
        open_page(driver, base + "/?lang=fr")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
        first_link = driver.find_element(By.CSS_SELECTOR, "tr.product-row th a")
        assert first_link.is_displayed()
    finally:
        driver.set_window_size(1400, 900)


def main():
    base, expectations = sys.argv[1], sys.argv[2]
    with open(expectations, encoding="utf-8") as handle:
        expect = json.load(handle)
    driver = browser()
    passed = failed = 0
    try:
        for function in CHECKS:
            try:
                function(driver, base, expect)
                passed += 1
                print(f"ok {function.__name__}")
            except Exception:  # report every failed check, then go on with the others
                failed += 1
                print(f"FAILED {function.__name__}\n{traceback.format_exc()}")
    finally:
        driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

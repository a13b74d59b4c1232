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
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


def browser():
    return chromium(window="1400,900", language="fr-FR")


def texts(elements):
    return [element.text.strip() for element in elements]


def icon_symbol(element):
    """The SVG symbol an element's icon draws (`#i-ok`)."""
    return element.find_element(By.CSS_SELECTOR, ".icon svg use").get_attribute("href")


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
        assert icon_symbol(cell) == f"#i-{chosen['state']}", icon_symbol(cell)
        label = cell.find_element(By.CSS_SELECTOR, ".sr").get_attribute("textContent")
        assert label == chosen[f"label_{language}"], f"{language} label {label!r}"
        assert cell.get_attribute("title") == chosen[f"label_{language}"]


@check
def legend_names_every_state_in_both_languages(driver, base, expect):
    for language in ("fr", "en"):
        open_page(driver, base + f"/?lang={language}")
        words = texts(driver.find_elements(By.CSS_SELECTOR, ".legend-item .word"))
        items = driver.find_elements(By.CSS_SELECTOR, ".legend-item")
        assert words == expect[f"legend_{language}"], f"{language} legend {words}"
        icons = [icon_symbol(item) for item in items]
        assert icons == [f"#i-{state}" for state in expect["legendStates"]], f"icons {icons}"
        for item in items:
            drawn = driver.execute_script(
                "const b = arguments[0].querySelector('.icon svg use').getBBox(); return [b.width, b.height]", item)
            assert max(drawn) > 0, f"the icon of {item.get_attribute('data-state')} draws nothing: {drawn}"


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
    assert uptime in chosen["uptime_fr"], f"{uptime} not in {chosen['uptime_fr']}"
    titles = texts(driver.find_elements(By.CSS_SELECTOR, ".incidents .incident h3"))
    assert titles == chosen["closedIncidents"], titles


@check
def bar_day_tells_date_and_state_on_hover_and_focus(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + f"/products/{chosen['slug']}?lang=fr")
    day = driver.find_element(By.CSS_SELECTOR, f"li.bar-day[data-date='{chosen['date']}'] summary")
    tip = day.find_element(By.CSS_SELECTOR, ".tip")
    assert not tip.is_displayed(), "the tooltip is hidden until asked for"
    driver.execute_script("arguments[0].focus()", day)
    WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())
    assert tip.text == chosen["label_fr"], tip.text
    driver.execute_script("arguments[0].blur()", day)
    webdriver.ActionChains(driver).move_to_element(day).perform()
    WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())


@check
def bar_day_opens_its_events_by_click_and_keyboard(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + f"/products/{chosen['slug']}?lang=fr")
    day = driver.find_element(By.CSS_SELECTOR, f"li.bar-day[data-date='{chosen['date']}']")
    summary = day.find_element(By.CSS_SELECTOR, "summary")
    panel = day.find_element(By.CSS_SELECTOR, ".day-events")
    assert not panel.is_displayed(), "the day's events are closed until asked for"
    summary.click()
    WebDriverWait(driver, 5).until(lambda d: panel.is_displayed())
    for event in chosen["events_fr"]:
        assert event in panel.text, f"{event!r} not in {panel.text!r}"
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", panel)
    width = driver.execute_script("return document.documentElement.clientWidth")
    assert box[0] >= 0 and box[1] <= width, f"the panel {box} leaves the window ({width})"
    # The open panel covers nothing of the history it belongs to: the uptime stays readable.
    panel_box, uptime_box = (driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]", element)
        for element in (panel, driver.find_element(By.CSS_SELECTOR, "p.uptime")))
    overlaps = not (panel_box[2] <= uptime_box[0] or uptime_box[2] <= panel_box[0]
                    or panel_box[3] <= uptime_box[1] or uptime_box[3] <= panel_box[1])
    assert not overlaps, f"the day's panel {panel_box} covers the uptime line {uptime_box}"
    summary.click()
    WebDriverWait(driver, 5).until(lambda d: not panel.is_displayed())
    # The keyboard alone: the summary takes the focus, Enter opens it.
    driver.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: panel.is_displayed())
    other = driver.find_element(By.CSS_SELECTOR, f"li.bar-day[data-date='{expect['days'][-1]}']")
    other.find_element(By.CSS_SELECTOR, "summary").click()
    WebDriverWait(driver, 5).until(lambda d: not panel.is_displayed())
    assert "Aucun incident ni maintenance ce jour-là." in other.find_element(By.CSS_SELECTOR, ".day-events").text


@check
def open_incident_shows_above_the_grid_and_on_its_page(driver, base, expect):
    incident = expect["openIncident"]
    open_page(driver, base + "/?lang=fr")
    now = driver.find_element(By.CSS_SELECTOR, "section.now")
    assert incident["title"] in now.text, now.text
    assert incident["latest_fr"] in now.text, now.text
    assert now.location["y"] < driver.find_element(By.CSS_SELECTOR, "table.grid").location["y"]
    open_page(driver, base + f"/products/{incident['slug']}?lang=fr")
    steps = texts(driver.find_elements(By.CSS_SELECTOR, "section.now .timeline .update-status"))
    assert steps == incident["steps_fr"], steps


@check
def english_product_page(driver, base, expect):
    chosen = expect["chosen"]
    open_page(driver, base + f"/products/{chosen['slug']}?lang=en")
    assert chosen["condition_en"] in driver.find_element(By.CSS_SELECTOR, ".condition-text").text
    assert driver.find_element(By.CSS_SELECTOR, "#incidents-title").text == "Latest closed incidents"
    open_page(driver, base + f"/products/{chosen['slug']}?lang=fr")
    assert driver.find_element(By.CSS_SELECTOR, "#incidents-title").text == "Derniers incidents clos"


@check
def grid_and_product_page_fit_a_phone(driver, base, expect):
    driver.set_window_size(390, 844)
    try:
        for path in ("/?lang=fr", f"/products/{expect['chosen']['slug']}?lang=fr", f"/products/{expect['openIncident']['slug']}?lang=en"):
            open_page(driver, base + path)
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        open_page(driver, base + "/?lang=fr")
        first_link = driver.find_element(By.CSS_SELECTOR, "tr.product-row th a")
        assert first_link.is_displayed()
    finally:
        driver.set_window_size(1400, 900)


@check
def screenshots_for_people_to_look_at(driver, base, expect):
    """Full-page PNGs of the grid and a product page at 1280 and 390 px, when a folder is given."""
    folder = expect.get("screenshots")
    if not folder:
        return
    chosen = expect["chosen"]
    try:
        for width in (1280, 390):
            for name, path in (("grid", "/?lang=fr"), ("product", f"/products/{chosen['slug']}?lang=fr"),
                               ("incident", f"/products/{expect['openIncident']['slug']}?lang=en")):
                driver.set_window_size(width, 900)
                open_page(driver, base + path)
                if name == "product":
                    driver.find_element(By.CSS_SELECTOR, f"li.bar-day[data-date='{chosen['date']}'] summary").click()
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(height + 120, 6000))
                driver.save_screenshot(f"{folder}/{name}-{width}.png")
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

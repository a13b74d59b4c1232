#!/usr/bin/env python3
"""Every page of the site on a phone (390 px) and a desktop (1280 px): nothing scrolls
sideways. Visits the public pages anonymously, the portal and its administration as a tenant's
administrator, and the console as an operator (both activate their account first).

Run by Tests/EndToEndTests/LayoutBrowserTests.swift:
    /usr/bin/python3 layout_walk.py BASE_URL ADMIN_ACTIVATION_LINK OPERATOR_ACTIVATION_LINK SCREENSHOTS_FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, ADMIN_LINK, OPERATOR_LINK, SHOTS = sys.argv[1:5]
STEPS = []
PUBLIC = ["/", "/products/loop", "/login", "/password/forgot", "/subscribe", "/no/such/page", "/kb", "/kb?q=facture"]
CUSTOMER = ["/home", "/account", "/account/subscriptions", "/account/services", "/account/services/add", "/services",
            "/admin", "/admin/users", "/admin/users?state=pending&role=admin&q=admin", "/admin/users/invite", "/admin/groups",
            "/admin/services", "/admin/requests", "/admin/api-keys", "/admin/notifications",
            "/password/change", "/account/activity", "/notifications"]
CONSOLE = ["/staff/incidents", "/staff/maintenance", "/staff/products", "/staff/tenants", "/staff/services", "/staff/outbox", "/staff/api-keys", "/staff/kb", "/staff/kb/new", "/staff/news"]


def step(function):
    STEPS.append(function)
    return function


def wait(driver, condition):
    return WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(condition)


def activate_and_sign_in(driver, link, email):
    driver.delete_all_cookies()
    driver.get(link + "?lang=fr")
    for name, value in [("firstName", "Camille"), ("lastName", "Martin"), ("phone", "0102030405"),
                        ("password", "Secret#2026"), ("confirmation", "Secret#2026")]:
        wait(driver, lambda d: d.find_element(By.ID, name)).send_keys(value)
    driver.find_element(By.ID, "activate").click()
    wait(driver, lambda d: "activé" in d.find_element(By.ID, "message").text)
    driver.get(BASE + "/login?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "email")).send_keys(email)
    driver.find_element(By.ID, "continue").click()
    wait(driver, lambda d: d.find_element(By.ID, "password")).send_keys("Secret#2026")
    driver.find_element(By.ID, "login").click()
    # A customer lands on their home page (/home), staff on their account page.
    wait(driver, lambda d: d.current_url.startswith(BASE + "/home") or d.current_url.startswith(BASE + "/account"))


def sweep(driver, paths, who):
    """Each page at both widths: the document is no wider than the window."""
    too_wide = []
    for path in paths:
        for width in (390, 1280):
            driver.set_window_size(width, 900)
            driver.get(BASE + path)
            wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
            scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            name = f"{who}-{path.strip('/').replace('/', '_') or 'grid'}-{width}.png"
            driver.save_screenshot(os.path.join(SHOTS, name))
            if scroll > inner:
                too_wide.append(f"{path} at {width} px: {scroll} px wide")
    assert not too_wide, "pages that scroll sideways: " + "; ".join(too_wide)


@step
def public_pages_fit_a_phone(driver):
    sweep(driver, PUBLIC, "anonymous")


VISIBLE = """
const element = arguments[0];
const r = element.getBoundingClientRect();
if (r.width === 0 || r.right <= 0 || r.left >= window.innerWidth) return false;
const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1), y = r.top + r.height / 2;
const top = document.elementFromPoint(x, y);
return top !== null && (top === element || element.contains(top) || top.contains(element));
"""


def shown(driver, element):
    """In the window and on top at its centre: a person sees it without scrolling."""
    driver.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 200)", element)
    return driver.execute_script(VISIBLE, element)


@step
def grid_opens_at_today_on_a_phone(driver):
    """At 390 px the grid opens scrolled to today, with the product names and the family
    headings still in view: nobody has to scroll sideways to read today's weather."""
    driver.set_window_size(390, 900)
    driver.get(BASE + "/?lang=fr")
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    today = driver.find_elements(By.CSS_SELECTOR, "th.day-col")[-1]
    assert shown(driver, today), "today's column is not in view at 390 px"
    for cell in driver.find_elements(By.CSS_SELECTOR, "tr.product-row"):
        assert shown(driver, cell.find_elements(By.CSS_SELECTOR, "td.cell")[-1]), f"today's cell of {cell.get_attribute('data-product')} is hidden"
    for link in driver.find_elements(By.CSS_SELECTOR, "tr.product-row th.product-col a"):
        assert shown(driver, link), f"the product name {link.text!r} is not in view"
    for label in driver.find_elements(By.CSS_SELECTOR, "tr.family-row .family-label"):
        assert shown(driver, label), f"the family heading {label.text!r} is not in view"
    first_day = driver.find_elements(By.CSS_SELECTOR, "th.day-col")[0]
    assert not shown(driver, first_day), "the oldest day shows: the grid did not open at today"
    driver.save_screenshot(os.path.join(SHOTS, "anonymous-grid-today-390.png"))


@step
def portal_and_administration_pages_fit_a_phone(driver):
    activate_and_sign_in(driver, ADMIN_LINK, "admin@client.fr")
    sweep(driver, CUSTOMER, "admin")
    # The cached grid, signed in: the header names her and its menu opens inside a phone's window.
    driver.set_window_size(390, 900)
    driver.get(BASE + "/?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "menu-user").text.startswith("Camille Martin"))
    assert not driver.find_elements(By.ID, "sign-in"), "signed in, the header offers no sign-in"
    driver.find_element(By.ID, "menu-user").click()
    admin = wait(driver, lambda d: d.find_element(By.ID, "menu-admin"))
    wait(driver, lambda d: admin.is_displayed())
    for element_id in ("menu-account", "menu-admin", "menu-logout"):
        box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]",
                                    driver.find_element(By.ID, element_id))
        assert box[0] >= 0 and box[1] <= 390, f"{element_id} leaves the window: {box}"
    # Every entry of the site's menu is in the window too: the menu wraps, it never scrolls.
    entries = driver.find_elements(By.CSS_SELECTOR, "#nav-links a")
    assert [e.get_attribute("id") for e in entries][-1] == "menu-admin", [e.get_attribute("id") for e in entries]
    for entry in entries:
        box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]", entry)
        assert box[0] >= 0 and box[1] <= 390, f"{entry.get_attribute('id')} leaves the window: {box}"
    driver.save_screenshot(os.path.join(SHOTS, "admin-grid-menu-390.png"))
    # Administration is an entry of the site's menu, which the open user menu covers: close it first.
    driver.find_element(By.ID, "menu-user").click()
    admin.click()
    wait(driver, lambda d: d.current_url.startswith(BASE + "/admin"))


@step
def administration_asks_before_revoking_a_key_on_a_phone(driver):
    """At 390 px the side menu is a strip in the window, marks the page, and a destructive
    action asks first: dismissed, nothing changes; accepted, it is done."""
    driver.set_window_size(390, 900)
    driver.get(BASE + "/admin/api-keys?lang=fr")
    current = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#admin-nav a[aria-current='page']"))
    assert current.get_attribute("id") == "nav-keys", current.get_attribute("id")
    wait(driver, lambda d: d.find_element(By.ID, "keyName")).send_keys("Supervision")
    driver.find_element(By.ID, "create-key").click()
    wait(driver, lambda d: d.find_element(By.ID, "new-key").text.startswith("sd_"))
    revoke = driver.find_element(By.CSS_SELECTOR, "button.danger[id^='revoke-']")
    assert driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", revoke) == "rgb(164, 22, 26)", "destructive looks destructive"
    revoke.click()
    alert = wait(driver, lambda d: d.switch_to.alert)
    assert "Supervision" in alert.text, alert.text
    alert.dismiss()
    assert driver.find_elements(By.ID, "new-key"), "dismissed: still on the same page, nothing sent"
    driver.find_element(By.CSS_SELECTOR, "button.danger[id^='revoke-']").click()
    wait(driver, lambda d: d.switch_to.alert).accept()
    wait(driver, lambda d: "La clé a été révoquée." in d.find_element(By.ID, "notice").text)
    assert not driver.find_elements(By.CSS_SELECTOR, "button.danger[id^='revoke-']")
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{scroll} px wide at {inner}"
    driver.save_screenshot(os.path.join(SHOTS, "admin-api-keys-revoked-390.png"))


@step
def console_pages_fit_a_phone(driver):
    activate_and_sign_in(driver, OPERATOR_LINK, "ops@vendor.fr")
    sweep(driver, CONSOLE, "operator")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="390,900", language="fr")))

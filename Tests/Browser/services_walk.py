#!/usr/bin/env python3
"""Each customer's own portal in a real browser (issue 13's walk). Phase "operator": an operator
ties a service to a private product in the console. Phase "member": a member adds two services
from the catalog dialog, one that needs validation and one that does not, and reads "Vous vous
êtes abonné(e) à 2 service(s)"; the one without validation is accepted at once and its private
product shows under "Mes services" on the grid. Phase "refuse": an administrator refuses the
other with a reason. Phase "member-sees-refusal": the member finds it under Refusé(s) and in
Activités, and under the bell, whose count drops once read. Phase "suspend": the administrator
suspends the first. Phase "member-loses": its private product is gone from the member's grid.
Pages are shot at 1280 and 390 px and must not scroll sideways.

Run by Tests/EndToEndTests/CustomerPortalBrowserTests.swift:
    /usr/bin/python3 services_walk.py BASE_URL PHASE SCREENSHOTS_FOLDER LINK
LINK is the activation link of the phase's person (operator, member, administrator), or "-".
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps, wait
from selenium.webdriver.common.by import By

BASE, PHASE, SHOTS, LINK = sys.argv[1:5]
OPERATOR, MEMBER, ADMIN = "operateur@vendor.fr", "membre@client.fr", "admin@client.fr"
FREE, CHECKED = "Coffre-fort Cegid", "Cegid Stream Premium"
PRIVATE = "Cegid Vault"
REASON = "Réservé au siège"
PASSWORD = "Secret#2026"
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def shot(driver, name):
    """A screenshot at both widths; the page must not scroll sideways at either."""
    for width in (1280, 390):
        driver.set_window_size(width, 900)
        wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} at {width} px is {scroll} px wide"
        if not driver.execute_script("return !!document.querySelector('dialog[open]')"):
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(height + 140, 900), 3200))
            driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(os.path.join(SHOTS, f"services-{name}-{width}.png"))
    driver.set_window_size(1280, 900)


def activate_and_sign_in(driver, email, first, last):
    driver.delete_all_cookies()
    driver.get(LINK + "?lang=fr")
    for name, value in [("firstName", first), ("lastName", last), ("phone", "0102030405"),
                        ("password", PASSWORD), ("confirmation", PASSWORD)]:
        wait(driver, lambda d: d.find_element(By.ID, name)).send_keys(value)
    driver.find_element(By.ID, "activate").click()
    wait(driver, lambda d: "activé" in d.find_element(By.ID, "message").text)
    sign_in(driver, email)


def sign_in(driver, email):
    driver.delete_all_cookies()
    driver.get(BASE + "/login?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "email")).send_keys(email)
    driver.find_element(By.ID, "continue").click()
    wait(driver, lambda d: d.find_element(By.ID, "password")).send_keys(PASSWORD)
    driver.find_element(By.ID, "login").click()
    wait(driver, lambda d: "/login" not in d.current_url)


def body(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def row_with(driver, text, selector="tr, li, .card, article"):
    """The smallest row, item or card of the page that says `text`."""
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, selector) if text in r.text]
    assert rows, f"nothing on {driver.current_url} says {text!r}"
    return min(rows, key=lambda r: len(r.text))


def click_in(element, label):
    """Clicks the button or link inside `element` whose text or value starts with `label`."""
    for candidate in element.find_elements(By.CSS_SELECTOR, "button, a, input[type=submit]"):
        text = (candidate.text or candidate.get_attribute("value") or "").strip()
        if text.startswith(label) and candidate.is_displayed():
            candidate.click()
            return
    raise AssertionError(f"no {label!r} in {element.text[:200]!r}")


def check(driver, label, container=None):
    """Ticks the checkbox whose label says `label` (inside `container` when given)."""
    scope = container or driver
    for item in scope.find_elements(By.CSS_SELECTOR, "label"):
        if label in item.text:
            box = item.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
            if not box and item.get_attribute("for"):
                box = driver.find_elements(By.ID, item.get_attribute("for"))
            assert box, f"the label {label!r} has no checkbox"
            if not box[0].is_selected():
                box[0].click()
            return box[0]
    raise AssertionError(f"no checkbox labelled {label!r}")


def grid_rows(driver):
    driver.get(BASE + "/?lang=fr")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "main"))
    return body(driver)


def confirm_if_asked(driver):
    """A destructive action asks first: a JavaScript confirm, or a confirmation page."""
    try:
        driver.switch_to.alert.accept()
        return
    except Exception:
        pass
    for candidate in driver.find_elements(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]"):
        words = (candidate.text or candidate.get_attribute("value") or "").lower()
        if "confirm" in words or "oui" in words:
            candidate.click()
            return


if PHASE == "operator":
    @step
    def an_operator_ties_a_service_to_a_private_product(driver):
        activate_and_sign_in(driver, OPERATOR, "Olivier", "Opérateur")
        driver.get(BASE + "/staff/services?lang=fr")
        click_in(row_with(driver, FREE), "Modifier")
        wait(driver, lambda d: PRIVATE in body(d))
        check(driver, PRIVATE)
        shot(driver, "console-service")
        form = driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        click_in(form, "Enregistrer")
        wait(driver, lambda d: "/staff/services" in d.current_url and PRIVATE in row_with(d, FREE).text)

if PHASE == "member":
    @step
    def the_private_product_is_not_on_the_grid_before(driver):
        activate_and_sign_in(driver, MEMBER, "Marc", "Membre")
        assert PRIVATE not in grid_rows(driver), "a private product shown before any service"

    @step
    def the_member_adds_two_services_from_the_catalog(driver):
        driver.get(BASE + "/account/services?lang=fr")
        click_in(driver.find_element(By.TAG_NAME, "main"), "+ Ajouter un service")
        dialog = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "dialog[open]"))
        shot(driver, "catalog-dialog")
        check(driver, FREE, dialog)
        check(driver, CHECKED, dialog)
        click_in(dialog, "Ajouter")
        wait(driver, lambda d: "Vous vous êtes abonné(e) à 2 service" in body(d))
        shot(driver, "account-services")

    @step
    def the_one_without_validation_is_accepted_at_once(driver):
        assert "Accepté" in row_with(driver, FREE).text, row_with(driver, FREE).text
        assert "attente" in row_with(driver, CHECKED).text.lower(), row_with(driver, CHECKED).text

    @step
    def its_private_product_shows_under_my_services(driver):
        grid_rows(driver)
        # The family rows are styled in capitals: read the section's words as written.
        section = wait(driver, lambda d: d.find_element(By.ID, "my-services"))
        assert "Mes services" in section.get_attribute("textContent"), section.get_attribute("textContent")[:200]
        assert PRIVATE in section.text, section.text[:400]
        shot(driver, "grid-my-services")

if PHASE == "refuse":
    @step
    def the_administrator_refuses_the_other_with_a_reason(driver):
        activate_and_sign_in(driver, ADMIN, "Sophie", "Martin")
        driver.get(BASE + "/admin/requests?lang=fr")
        shot(driver, "admin-requests")
        click_in(row_with(driver, CHECKED), "Refuser")
        reason = wait(driver, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "textarea, input[name=reason]") if r.is_displayed()][0])
        reason.send_keys(REASON)
        container = driver.find_element(By.CSS_SELECTOR, "dialog[open]") if driver.find_elements(By.CSS_SELECTOR, "dialog[open]") \
            else driver.find_element(By.TAG_NAME, "main")
        click_in(container, "Refuser")
        wait(driver, lambda d: "Refus" in row_with(d, CHECKED).text)

if PHASE == "member-sees-refusal":
    @step
    def the_member_sees_the_refusal_and_its_reason(driver):
        sign_in(driver, MEMBER)
        driver.get(BASE + "/account/services?lang=fr")
        click_in(driver.find_element(By.ID, "main"), "Refusé")
        wait(driver, lambda d: REASON in row_with(d, CHECKED).text)
        assert FREE not in body(driver), "the refused filter shows only the refused one"

    @step
    def and_in_the_activity_tab(driver):
        driver.get(BASE + "/account/activity?lang=fr")
        lines = [r for r in driver.find_elements(By.CSS_SELECTOR, "li") if CHECKED in r.text and "refus" in r.text.lower()]
        assert lines, body(driver)[:800]
        assert REASON in lines[0].text, lines[0].text
        shot(driver, "account-activity")

    @step
    def the_bell_counts_the_decision_and_drops_once_read(driver):
        driver.get(BASE + "/account?lang=fr")
        count = wait(driver, lambda d: d.find_element(By.ID, "menu-badge"))
        before = int(count.get_attribute("textContent").strip())
        assert before >= 1, before
        driver.get(BASE + "/notifications?lang=fr")
        item = row_with(driver, CHECKED)
        click_in(item, "Marquer comme lu")
        driver.get(BASE + "/account?lang=fr")
        after = driver.find_elements(By.ID, "menu-badge")
        remaining = int(after[0].get_attribute("textContent").strip() or 0) if after else 0
        assert remaining == before - 1, (before, remaining)

if PHASE == "suspend":
    @step
    def the_administrator_suspends_the_first(driver):
        sign_in(driver, ADMIN)
        driver.get(BASE + "/admin/requests?lang=fr")
        click_in(row_with(driver, FREE), "Suspendre")
        confirm_if_asked(driver)
        wait(driver, lambda d: "Suspendu" in row_with(d, FREE).text)

if PHASE == "member-loses":
    @step
    def its_private_product_is_gone_from_the_members_grid(driver):
        sign_in(driver, MEMBER)
        text = grid_rows(driver)
        assert PRIVATE not in text, "the private product is still shown after the suspension"

sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900")))

#!/usr/bin/env python3
"""Services opening products, in a real browser: an operator ties two services to products
(one needs no validation, one covers a private product and needs it); the tenant's
administrator, as a user of the account, adds both from the catalog dialog, reads "Vous vous
êtes abonné(e) à 2 services", sees one accepted and one waiting, and gives the accepted one up
after the browser's confirmation. The tab and its dialog fit a phone (390 px).

Run by Tests/EndToEndTests/ServicesBrowserTests.swift:
    /usr/bin/python3 services_catalog_walk.py BASE_URL ADMIN_ACTIVATION_LINK OPERATOR_ACTIVATION_LINK SCREENSHOTS_FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps, wait
from selenium.webdriver.common.by import By

BASE, ADMIN_LINK, OPERATOR_LINK, SHOTS = sys.argv[1:5]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


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
    wait(driver, lambda d: "/login" not in d.current_url)


def fits(driver, what):
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{what} scrolls sideways at {inner} px: {scroll} px wide"


def create_service(driver, name, family, products, needs_validation):
    driver.get(BASE + "/staff/services?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "name")).send_keys(name)
    driver.find_element(By.ID, "family").send_keys(family)
    for slug in products:
        driver.find_element(By.CSS_SELECTOR, f"#products input[value='{slug}']").click()
    box = driver.find_element(By.ID, "needsValidation")
    if box.is_selected() != needs_validation:
        box.click()
    driver.find_element(By.ID, "create-service").click()
    wait(driver, lambda d: f"Service créé : {name}" in d.find_element(By.ID, "notice").text)


@step
def an_operator_ties_services_to_products(driver):
    activate_and_sign_in(driver, OPERATOR_LINK, "ops@vendor.fr")
    # An unknown slug cannot be ticked in a browser; a form without a name comes back with its boxes kept.
    driver.get(BASE + "/staff/services?lang=fr")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#products input[value='paie']")).click()
    driver.find_element(By.ID, "family").send_keys("Paie et RH")
    driver.find_element(By.ID, "create-service").click()
    wait(driver, lambda d: d.find_element(By.ID, "name-error").text == "Ce champ est obligatoire.")
    assert driver.find_element(By.CSS_SELECTOR, "#products input[value='paie']").is_selected(), "the ticked product stays ticked"
    create_service(driver, "Accès au portail", "Services en ligne", ["loop"], False)
    create_service(driver, "Yourcegid Paie", "Paie et RH", ["paie"], True)
    rows = {row.find_element(By.CSS_SELECTOR, "td[data-label='Service']").text: row
            for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-service]")}
    assert rows["Yourcegid Paie"].find_element(By.CSS_SELECTOR, ".service-products").text == "Yourcegid Paie (privé)"
    assert rows["Accès au portail"].find_element(By.CSS_SELECTOR, ".service-validation").text == "Disponible"


@step
def a_user_adds_two_services_from_the_catalog_dialog(driver):
    activate_and_sign_in(driver, ADMIN_LINK, "admin@client.fr")
    driver.set_window_size(390, 900)
    driver.get(BASE + "/account/services?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "services-empty"))
    fits(driver, "the empty tab")
    driver.find_element(By.ID, "add-services").click()
    dialog = wait(driver, lambda d: d.find_element(By.ID, "service-catalog"))
    wait(driver, lambda d: dialog.is_displayed() and d.find_elements(By.CSS_SELECTOR, "#service-catalog [data-service]"))
    assert driver.current_url.endswith("/account/services?lang=fr"), "the catalog opened in place"
    fits(driver, "the catalog dialog")
    driver.save_screenshot(os.path.join(SHOTS, "services-catalog-dialog-390.png"))
    # The search runs inside the dialog.
    box = driver.find_element(By.ID, "catalog-q")
    box.send_keys("paie")
    driver.find_element(By.ID, "catalog-search-submit").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#service-catalog [data-service]")) == 1)
    assert dialog.is_displayed(), "searching keeps the dialog open"
    driver.find_element(By.ID, "catalog-q").clear()
    driver.find_element(By.ID, "catalog-search-submit").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#service-catalog [data-service]")) == 2)
    for box in driver.find_elements(By.CSS_SELECTOR, "#service-catalog input[name='services[]']"):
        box.click()
    driver.find_element(By.ID, "catalog-submit").click()
    notice = wait(driver, lambda d: d.find_element(By.ID, "notice"))
    assert notice.text == "Vous vous êtes abonné(e) à 2 services.", notice.text
    states = {row.find_element(By.CSS_SELECTOR, "td[data-label='Service']").text: row.get_attribute("data-state")
              for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-subscription]")}
    assert states == {"Accès au portail": "accepted", "Yourcegid Paie": "pending"}, states
    assert driver.find_element(By.CSS_SELECTOR, "#filter-accepted .count").text == "1"
    assert driver.find_element(By.CSS_SELECTOR, "#filter-pending .count").text == "1"
    fits(driver, "the tab with its services")
    driver.save_screenshot(os.path.join(SHOTS, "services-tab-390.png"))


@step
def the_filter_in_force_shows(driver):
    driver.find_element(By.ID, "filter-pending").click()
    wait(driver, lambda d: d.find_element(By.ID, "filter-pending").get_attribute("aria-current") == "true")
    assert "En attente de validation" in driver.find_element(By.ID, "filter-in-force").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr[data-subscription]")) == 1
    driver.find_element(By.ID, "filter-all").click()
    wait(driver, lambda d: d.find_element(By.ID, "filter-all").get_attribute("aria-current") == "true")


@step
def giving_up_asks_first(driver):
    link = driver.find_element(By.CSS_SELECTOR, "tr[data-state='accepted'] a.danger-link")
    link.click()
    alert = wait(driver, lambda d: d.switch_to.alert)
    assert alert.text == "Abandonner le service Accès au portail ?", alert.text
    alert.dismiss()
    assert driver.find_elements(By.CSS_SELECTOR, "tr[data-state='accepted']"), "dismissed: nothing changed"
    driver.find_element(By.CSS_SELECTOR, "tr[data-state='accepted'] a.danger-link").click()
    wait(driver, lambda d: d.switch_to.alert).accept()
    notice = wait(driver, lambda d: d.find_element(By.ID, "notice"))
    assert notice.text == "Vous avez abandonné le service Accès au portail.", notice.text
    assert not driver.find_elements(By.CSS_SELECTOR, "tr[data-state='accepted']")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900", language="fr")))

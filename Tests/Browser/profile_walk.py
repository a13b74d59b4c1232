#!/usr/bin/env python3
"""The profile as a person meets it, in headless Chromium at 390 px: a tenant's administrator
activates their account, edits their profile on "Général" (a wrong phone is refused next to the
field with what was typed kept; then saved, in English from then on), finds the sign-in and the
edit in "Activités", and chooses how they hear of status events on /notifications.

Run by Tests/EndToEndTests/ProfileBrowserTests.swift:
    /usr/bin/python3 profile_walk.py BASE_URL ADMIN_ACTIVATION_LINK
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import sys

from headless import chromium, run_steps
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, ADMIN_LINK = sys.argv[1:3]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def wait(driver, condition):
    return WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(condition)


def fits(driver):
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{driver.current_url} scrolls sideways: {scroll} px for {inner}"


@step
def sign_in_after_activation(driver):
    driver.get(ADMIN_LINK + "?lang=fr")
    for name, value in [("firstName", "Camille"), ("lastName", "Martin"), ("phone", "0102030405"),
                        ("password", "Secret#2026"), ("confirmation", "Secret#2026")]:
        wait(driver, lambda d: d.find_element(By.ID, name)).send_keys(value)
    driver.find_element(By.ID, "activate").click()
    wait(driver, lambda d: "activé" in d.find_element(By.ID, "message").text)
    driver.get(BASE + "/login?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "email")).send_keys("admin@client.fr")
    driver.find_element(By.ID, "continue").click()
    wait(driver, lambda d: d.find_element(By.ID, "password")).send_keys("Secret#2026")
    driver.find_element(By.ID, "login").click()
    # A customer lands on their home page; the profile is one click away.
    wait(driver, lambda d: d.current_url.startswith(BASE + "/home"))
    driver.get(BASE + "/account?lang=fr")


@step
def a_wrong_phone_is_refused_next_to_the_field_and_kept(driver):
    driver.get(BASE + "/account")
    assert wait(driver, lambda d: d.find_element(By.ID, "account-tenant-code")).text == "90266482"
    assert "Service" in driver.find_element(By.ID, "account-services-count").text
    phone = driver.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("appelez-moi")
    driver.find_element(By.ID, "profile-save").click()
    error = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#phone + .field-error"))
    assert "numéro de téléphone" in error.text, error.text
    assert driver.find_element(By.ID, "phone").get_attribute("value") == "appelez-moi"
    fits(driver)


@step
def a_good_edit_is_saved_and_the_language_follows(driver):
    phone = driver.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("+33 1 23 45 67 89")
    last = driver.find_element(By.ID, "lastName")
    last.clear()
    last.send_keys("Durand")
    Select(driver.find_element(By.ID, "language")).select_by_value("en")
    driver.find_element(By.ID, "profile-save").click()
    assert "Your profile is saved." in wait(driver, lambda d: d.find_element(By.ID, "notice")).text
    assert driver.find_element(By.ID, "account-name").text == "Camille Durand"
    assert driver.find_element(By.ID, "account-phone").text == "+33 1 23 45 67 89"
    fits(driver)


@step
def the_activity_tab_shows_the_sign_in_and_the_edit(driver):
    driver.find_element(By.ID, "tab-activity").click()
    entries = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#activity-list .activity-entry"))
    texts = [entry.text for entry in entries]
    assert "Profile edited" in texts[0], texts
    assert any("Signed in with your password" in text for text in texts), texts
    assert all(entry.find_element(By.TAG_NAME, "time").text for entry in entries), "each line has its date"
    fits(driver)


@step
def the_choice_per_kind_is_kept(driver):
    driver.get(BASE + "/notifications")
    assert "No unread notification." in wait(driver, lambda d: d.find_element(By.ID, "notifications-unread")).text
    driver.find_element(By.ID, "statusEvent-both").click()
    driver.find_element(By.ID, "preferences-save").click()
    assert "Your choices are saved." in wait(driver, lambda d: d.find_element(By.ID, "notice")).text
    assert driver.find_element(By.ID, "statusEvent-both").is_selected()
    fits(driver)


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="390,900", language="fr")))

#!/usr/bin/env python3
"""Walks "Continuer avec …" in headless Chromium against oidc-provider-mock on loopback: an
invited administrator activates their account with the provider and lands signed in; signs out
and signs in again with it; a person the portal never invited is refused with a sentence.

Run by Tests/EndToEndTests/OpenIDBrowserTests.swift:
    /usr/bin/python3 oidc_walk.py BASE_URL PROVIDER_URL ACTIVATION_LINK SCREENSHOTS_FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import json
import os
import sys
import urllib.request

from headless import chromium, run_steps
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, PROVIDER, ACTIVATION_LINK, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def wait(driver, condition):
    return WebDriverWait(driver, 15, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(condition)


def provider_user(subject, claims):
    """What the provider's ID tokens say about `subject` (its PUT /users/{sub})."""
    request = urllib.request.Request(f"{PROVIDER}/users/{subject}", data=json.dumps(claims).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 204, answer.status


def at_the_provider_sign_in_as(driver, subject):
    """The provider's own page: type the subject and authorize, as a person would."""
    field = wait(driver, lambda d: d.find_element(By.NAME, "sub"))
    field.send_keys(subject)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]:not([name])").click()


def shoot(driver, name):
    for width in (1280, 390):
        driver.set_window_size(width, 900)
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))
        overflow = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} overflows at {width} px"
    driver.set_window_size(1200, 900)


@step
def invited_admin_activates_with_the_provider(driver):
    provider_user("ada", {"email": "admin@client.fr", "email_verified": True, "given_name": "Ada", "family_name": "Lovelace"})
    driver.get(ACTIVATION_LINK + "?lang=fr")
    button = wait(driver, lambda d: d.find_element(By.ID, "provider-mock"))
    assert button.text == "Continuer avec Mock ID", button.text
    shoot(driver, "activate-with-provider")
    button.click()
    at_the_provider_sign_in_as(driver, "ada")
    wait(driver, lambda d: d.current_url.startswith(BASE + "/account"))
    email = wait(driver, lambda d: d.find_element(By.ID, "account-email")).text
    assert email == "admin@client.fr", email
    linked = driver.find_element(By.ID, "linked-providers").text
    assert "Mock ID" in linked and "admin@client.fr" in linked, linked
    shoot(driver, "account-linked-provider")


@step
def a_known_user_signs_in_with_the_provider(driver):
    driver.find_element(By.ID, "logout").click()
    wait(driver, lambda d: d.current_url.startswith(BASE + "/login"))
    shoot(driver, "login-with-provider")
    driver.find_element(By.ID, "provider-mock").click()
    at_the_provider_sign_in_as(driver, "ada")
    wait(driver, lambda d: d.current_url.startswith(BASE + "/account"))
    assert driver.find_element(By.ID, "account-email").text == "admin@client.fr"


@step
def an_unknown_email_is_refused_with_a_sentence(driver):
    driver.find_element(By.ID, "logout").click()
    wait(driver, lambda d: d.current_url.startswith(BASE + "/login"))
    provider_user("stranger", {"email": "stranger@elsewhere.test", "email_verified": True})
    driver.find_element(By.ID, "provider-mock").click()
    at_the_provider_sign_in_as(driver, "stranger")
    error = wait(driver, lambda d: d.find_element(By.ID, "provider-error")).text
    assert "Aucun compte n'est ouvert pour stranger@elsewhere.test" in error, error
    shoot(driver, "login-refused-unknown")
    # Nobody is signed in: the account page sends to the login page.
    driver.get(BASE + "/account")
    wait(driver, lambda d: d.current_url.startswith(BASE + "/login"))


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1200,900", language="fr")))

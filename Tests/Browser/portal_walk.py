#!/usr/bin/env python3
"""Walks the customer portal in headless Chromium: an administrator activates their account,
logs in and invites a user; the user activates (a weak password first), logs in, logs out,
resets a forgotten password and logs in with the new one while the old one fails.

Run by Tests/EndToEndTests/PortalBrowserTests.swift:
    /usr/bin/python3 portal_walk.py BASE_URL MAILBOX ADMIN_ACTIVATION_LINK
MAILBOX is a command that prints the body of the last mail an address received, waiting until
it received at least N (its arguments: ADDRESS N); the test points it at the SMTP server on loopback.
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import re
import subprocess
import sys

from selenium import webdriver

from headless import chromium, run_steps
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, MAILBOX, ADMIN_LINK = sys.argv[1], sys.argv[2], sys.argv[3]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def browser():
    return chromium(window="1200,900")


def wait_text(driver, selector, text):
    # The page may be replaced while we look (a form posting): a stale element means "look again".
    WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text)


def submit(driver, button_id):
    """Clicks a submit button and waits until the browser has left the page it was on."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, button_id).click()
    WebDriverWait(driver, 10).until(lambda d: _stale(old))


def _stale(element):
    try:
        element.tag_name
        return False
    except WebDriverException:
        # Stale, or the old page's context already gone mid-navigation: either way, it left.
        return True


def fill(driver, **fields):
    for name, value in fields.items():
        # Wait for the field: the page it is on may still be loading.
        element = WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
            lambda d: d.find_element(By.ID, name))
        element.clear()
        element.send_keys(value)


MAILS_SEEN = {}


def link_in_mail(address, path):
    """The link of the next mail to `address`: each call waits for one more mail than before."""
    MAILS_SEEN[address] = MAILS_SEEN.get(address, 0) + 1
    body = subprocess.run([MAILBOX, address, str(MAILS_SEEN[address])], capture_output=True, text=True, check=True).stdout
    found = re.search(re.escape(BASE) + "/" + path + r"/[A-Za-z0-9_-]+", body)
    assert found, f"no {path} link in the mail to {address}: {body[:300]}"
    return found.group(0)


def activate(driver, link, first, password):
    driver.get(link + "?lang=fr")
    fill(driver, firstName=first, lastName="Martin", phone="0102030405", password="weak", confirmation="weak")
    submit(driver, "activate")
    wait_text(driver, "#password-error", "au moins 8 caractères")
    assert driver.find_element(By.ID, "firstName").get_attribute("value") == first, "the input is kept"
    assert driver.find_element(By.ID, "password").get_attribute("value") == "", "never the password"
    fill(driver, password=password)
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "policy-ok").is_displayed())
    assert driver.find_element(By.ID, "policy-ok").text == "Votre mot de passe est sécurisé"
    fill(driver, confirmation=password)
    submit(driver, "activate")
    wait_text(driver, "#message", "Votre compte est activé")


def login(driver, email, password):
    driver.get(BASE + "/login?lang=fr")
    fill(driver, email=email)
    submit(driver, "continue")
    wait_text(driver, "#identity", email)
    fill(driver, password=password)
    submit(driver, "login")
    # A customer lands on their home page; the walk goes on from their account page, as before.
    WebDriverWait(driver, 10).until(lambda d: "/login" not in d.current_url or d.find_elements(By.ID, "password-error"))
    if d_path(driver) == "/home":
        driver.get(BASE + "/account")


def d_path(driver):
    return driver.current_url[len(BASE):].split("?")[0]


def logout(driver):
    driver.get(BASE + "/account")
    submit(driver, "logout")
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/login"))


@step
def administrator_activates_logs_in_and_invites(driver):
    activate(driver, ADMIN_LINK, "Alice", "Admin#2026")
    login(driver, "admin@client.fr", "Admin#2026")
    wait_text(driver, "#account-email", "admin@client.fr")
    submit(driver, "admin-link")
    # The administration's side menu leads to the invitation form.
    submit(driver, "nav-invite")
    fill(driver, emails="claire@client.fr, admin@client.fr, pas-une-adresse")
    wait_text(driver, "#emails-count", "3 adresse(s)")
    submit(driver, "invite")
    wait_text(driver, "#notice", "1 invitation(s) envoyée(s).")
    refused = driver.find_element(By.ID, "refused").text
    assert "admin@client.fr : adresse déjà utilisée" in refused, refused
    assert "pas-une-adresse : adresse non valide" in refused, refused
    row = driver.find_element(By.CSS_SELECTOR, "tr[data-email='claire@client.fr']")
    assert "À activer" in row.text, row.text
    logout(driver)


@step
def user_activates_logs_in_and_out(driver):
    activate(driver, link_in_mail("claire@client.fr", "activate"), "Claire", "Claire#2026")
    login(driver, "claire@client.fr", "Claire#2026")
    wait_text(driver, "#account-name", "Claire Martin")
    driver.get(BASE + "/admin/users")
    assert "Accès refusé" in driver.find_element(By.TAG_NAME, "h1").text, "a member is refused the admin pages"
    logout(driver)
    driver.get(BASE + "/account")
    # Signed out, the account page sends to sign in, and back to it afterwards.
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/login?next=/account"))


@step
def forgotten_password_is_reset_and_only_the_new_one_works(driver):
    driver.get(BASE + "/password/forgot?lang=fr")
    fill(driver, email="claire@client.fr")
    submit(driver, "send")
    wait_text(driver, "h1", "Vérifiez vos emails")
    reset_link = link_in_mail("claire@client.fr", "password/reset")
    driver.get(reset_link)
    fill(driver, password="Nouveau#2026", confirmation="Nouveau#2026")
    submit(driver, "reset")
    wait_text(driver, "#message", "Votre mot de passe a été modifié")
    driver.get(reset_link)
    assert "Lien expiré" in driver.find_element(By.TAG_NAME, "h1").text, "the link works once"
    login(driver, "claire@client.fr", "Claire#2026")
    wait_text(driver, "#password-error", "Identifiant ou mot de passe incorrect.")
    login(driver, "claire@client.fr", "Nouveau#2026")
    wait_text(driver, "#account-email", "claire@client.fr")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, browser))

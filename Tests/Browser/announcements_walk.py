#!/usr/bin/env python3
"""Walks incidents, maintenance and subscriptions in headless Chromium: a visitor subscribes to
updates and confirms by the mailed link, then follows one product only; an operator schedules
a maintenance and declares an incident with two updates on it, and an incident on another
product; the visitor gets each update of the product they follow, and unsubscribes from the
link in the last mail.

Run by Tests/EndToEndTests/AnnouncementBrowserTests.swift:
    /usr/bin/python3 announcements_walk.py BASE_URL MAILBOX OPERATOR_ACTIVATION_LINK
MAILBOX prints the text of the last mail an address received, waiting for at least N (see smtp_mail.py).
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import datetime
import re
import subprocess
import sys

from selenium.webdriver.common.by import By

import portal_walk as portal
from headless import run_steps
from portal_walk import fill, submit, wait_text

BASE, MAILBOX, OPERATOR_LINK = sys.argv[1], sys.argv[2], sys.argv[3]
VISITOR = "visiteur@client.fr"
# Markup and a template expression: both must come out as plain text everywhere.
TITLE = "Lenteurs <b>Loop</b> {{secret}}"
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def mail_to(address, count):
    """The text of the mail number `count` to `address`, once it arrived."""
    return subprocess.run([MAILBOX, address, str(count)], capture_output=True, text=True, check=True).stdout


def link(body, pattern):
    found = re.search(re.escape(BASE) + pattern, body)
    assert found, f"no link {pattern} in: {body[:400]}"
    return found.group(0)


def set_datetime(driver, field, moment):
    # Chromium's datetime-local field takes keys segment by segment; setting the value is sturdier.
    element = driver.find_element(By.ID, field)
    driver.execute_script("arguments[0].value = arguments[1]", element, moment.strftime("%Y-%m-%dT%H:%M"))


def tick(driver, form_id, values):
    for box in driver.find_elements(By.CSS_SELECTOR, f"#{form_id} input[name='products[]']"):
        if (box.get_attribute("value") in values) != box.is_selected():
            box.click()


@step
def visitor_subscribes_and_confirms(driver):
    driver.get(BASE + "/products/loop?lang=fr")
    submit(driver, "subscribe-link")
    wait_text(driver, "h1", "S'inscrire aux mises à jour")
    fill(driver, email="pas-une-adresse")
    submit(driver, "subscribe")
    wait_text(driver, "#subscribe-form", "adresse")
    assert driver.find_element(By.ID, "email").get_attribute("value") == "pas-une-adresse", "the input is kept"
    fill(driver, email=VISITOR)
    driver.find_element(By.ID, "scope-all").click()
    submit(driver, "subscribe")
    wait_text(driver, "#message", "Vérifiez vos emails")
    confirm = link(mail_to(VISITOR, 1), r"/subscriptions/confirm/[A-Za-z0-9_-]+")
    driver.get(confirm)
    wait_text(driver, "h1", "Confirmez votre inscription")
    submit(driver, "confirm")
    wait_text(driver, "#notice", "Votre inscription est confirmée.")
    assert VISITOR in driver.find_element(By.ID, "subscriber-email").text


@step
def visitor_follows_one_product_only(driver):
    driver.find_element(By.ID, "scope-chosen").click()
    tick(driver, "settings-form", {"loop"})
    submit(driver, "save")
    wait_text(driver, "#notice", "Votre choix est enregistré.")
    assert driver.find_element(By.ID, "scope-chosen").is_selected()
    ticked = [b.get_attribute("value") for b in driver.find_elements(By.CSS_SELECTOR, "input[name='products[]']") if b.is_selected()]
    assert ticked == ["loop"], ticked


@step
def operator_schedules_a_maintenance(driver):
    portal.activate(driver, OPERATOR_LINK, "Olivier", "Operat#2026")
    portal.login(driver, "operateur@vendor.fr", "Operat#2026")
    driver.get(BASE + "/staff/maintenance?lang=fr")
    fill(driver, title="Migration de la base")
    tick(driver, "schedule-maintenance", {"loop"})
    start = datetime.datetime.utcnow().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    set_datetime(driver, "start", start + datetime.timedelta(hours=2))
    set_datetime(driver, "end", start)
    submit(driver, "schedule")
    wait_text(driver, "#schedule-maintenance", "La fin doit venir après le début.")
    assert driver.find_element(By.ID, "title").get_attribute("value") == "Migration de la base", "the input is kept"
    set_datetime(driver, "end", start + datetime.timedelta(hours=4))
    submit(driver, "schedule")
    wait_text(driver, "#notice", "La maintenance est enregistrée.")
    row = driver.find_element(By.CSS_SELECTOR, "#windows tbody tr")
    assert "Migration de la base" in row.text and "Planifiée" in row.text, row.text
    body = mail_to(VISITOR, 2)
    assert "Migration de la base" in body and "planifiée" in body, body


@step
def operator_declares_an_incident_and_posts_two_updates(driver):
    driver.get(BASE + "/staff/incidents?lang=fr")
    fill(driver, title=TITLE, message="Les pages de Loop répondent lentement.")
    tick(driver, "declare-incident", {"loop"})
    submit(driver, "declare")
    wait_text(driver, "#incident-status", "Analyse en cours")
    assert driver.find_element(By.ID, "incident-title").text == TITLE, "the title is shown as text"
    for status, message in [("identified", "Un index manquait ; il est en cours de création."),
                            ("resolved", "Les temps de réponse sont revenus à la normale.")]:
        driver.find_element(By.CSS_SELECTOR, f"#post-update select[name=status] option[value={status}]").click()
        fill(driver, message=message)
        submit(driver, "post")
        wait_text(driver, "#notice", "La mise à jour est publiée")
        wait_text(driver, "#timeline", message)
    wait_text(driver, "#incident-status", "Résolu")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#timeline li")) == 3
    # The incident is closed: the product page lists it, its title as plain text.
    driver.get(BASE + "/products/loop?lang=fr")
    wait_text(driver, ".incidents", "Les temps de réponse sont revenus à la normale.")
    titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".incidents h3")]
    assert TITLE in titles, titles
    body = mail_to(VISITOR, 5)
    assert "Les temps de réponse sont revenus à la normale." in body and "{{secret}}" in body, body


@step
def operator_declares_an_incident_on_another_product(driver):
    driver.get(BASE + "/staff/incidents?lang=fr")
    fill(driver, title="Stream indisponible", message="Stream ne répond plus.")
    tick(driver, "declare-incident", {"stream"})
    submit(driver, "declare")
    wait_text(driver, "#incident-status", "Analyse en cours")
    driver.get(BASE + "/?lang=fr")
    cell = driver.find_element(By.CSS_SELECTOR, "tr[data-product='stream'] td:last-child")
    assert "incident" in (cell.get_attribute("data-state") or cell.get_attribute("class") or ""), cell.get_attribute("outerHTML")


@step
def visitor_unsubscribes_from_the_last_mail(driver):
    portal.logout(driver)
    unsubscribe = link(mail_to(VISITOR, 5), r"/subscriptions/[0-9]+-[0-9a-f]+/unsubscribe")
    driver.get(unsubscribe)
    wait_text(driver, "#message", "Ne plus recevoir")
    submit(driver, "confirm")
    wait_text(driver, "#message", "Vous êtes désinscrit")
    driver.get(unsubscribe)
    assert "404" in driver.title or "introuvable" in driver.find_element(By.TAG_NAME, "body").text.lower(), "the link is dead"


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, portal.browser))

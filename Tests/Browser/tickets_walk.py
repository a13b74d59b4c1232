#!/usr/bin/env python3
"""Support requests in a real browser, the customer's half. Phase "open": "Oui" to a suggested
article ends without a ticket (c); an incident ticket: the product with an open incident shows
it on the form, the customer subscribes in one click, answers "Non" to the articles and sends
the ticket with an attachment (a); another ticket is cancelled after its confirmation (b).
Between phases the test gives the ticket a proposed solution through the service. Phase
"refuse": the solution is refused with a reason in the dialog. Phase "accept": the next one is
accepted (Résolu) and rated. Pages are shot at 1280 and 390 px and must not scroll sideways.

Run by Tests/EndToEndTests/TicketsBrowserTests.swift:
    /usr/bin/python3 tickets_walk.py BASE_URL PHASE ADMIN_ACTIVATION_LINK ATTACHMENT_FILE SCREENSHOTS_FOLDER [TICKET]
Closes with "N passed, M failed"; exits 1 on any failure. Phase "open" prints "TICKET=CS…".
"""
import os
import sys

from headless import chromium, run_steps, wait
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

BASE, PHASE, ADMIN_LINK, ATTACHMENT, SHOTS = sys.argv[1:6]
TICKET = sys.argv[6] if len(sys.argv) > 6 else ""
AGENT_LINK = sys.argv[7] if len(sys.argv) > 7 else ""
EMAIL = "admin@client.fr"
AGENT = "agent@vendor.fr"
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
        # The whole page from its top (a dialog as it is shown, on the screen it opened in).
        if not driver.execute_script("return !!document.querySelector('dialog[open]')"):
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(height + 140, 900), 3200))
            driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(os.path.join(SHOTS, f"tickets-{name}-{width}.png"))
    driver.set_window_size(1280, 900)


def sign_in(driver, email=EMAIL):
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


def activate(driver, link, first, last):
    driver.delete_all_cookies()
    driver.get(link + "?lang=fr")
    for name, value in [("firstName", first), ("lastName", last), ("phone", "0102030405"),
                        ("password", "Secret#2026"), ("confirmation", "Secret#2026")]:
        wait(driver, lambda d: d.find_element(By.ID, name)).send_keys(value)
    driver.find_element(By.ID, "activate").click()
    wait(driver, lambda d: "activé" in d.find_element(By.ID, "message").text)


def agent_state_is(driver, word):
    wait(driver, lambda d: d.find_element(By.ID, "ticket-state").text == word)


def agent_writes(driver, text, button):
    body = wait(driver, lambda d: d.find_element(By.ID, "body"))
    body.clear()
    body.send_keys(text)
    driver.find_element(By.ID, button).click()
    wait(driver, lambda d: text in d.find_element(By.ID, "messages").text)


def choose_lists(driver, keys):
    for level, key in enumerate(keys):
        select = wait(driver, lambda d: d.find_element(By.ID, f"list-{level}"))
        wait(driver, lambda d: any(o.get_attribute("value") == key for o in select.find_elements(By.TAG_NAME, "option")))
        Select(select).select_by_value(key)


def state_is(driver, word):
    wait(driver, lambda d: d.find_element(By.ID, "request-state").text == word)


if PHASE == "open":
    @step
    def the_customer_finds_help_from_the_account_menu(driver):
        activate(driver, ADMIN_LINK, "Sophie", "Martin")
        sign_in(driver)
        driver.find_element(By.ID, "help-link").click()
        wait(driver, lambda d: d.current_url == BASE + "/help")
        types = driver.find_elements(By.CSS_SELECTOR, ".help-type strong")
        assert [t.text for t in types] == ["Pour un incident", "Pour une demande administrative", "Pour l'utilisation de mon application",
                                           "Pour l'utilisation du portail", "Pour l'environnement technique", "Pour un problème matériel"], [t.text for t in types]
        shot(driver, "help")

    @step
    def yes_to_an_article_ends_without_a_ticket(driver):
        driver.get(BASE + "/help/new/portal")
        choose_lists(driver, ["portal", "administration", "sign_in"])
        wait(driver, lambda d: d.find_element(By.ID, "ticket-subject").text == "Portail : Administration et utilisation - 1 - Connexion")
        assert driver.find_element(By.ID, "description").is_displayed(), "with JavaScript the rest shows at once"
        assert not driver.find_element(By.ID, "continue").is_displayed()
        driver.find_element(By.ID, "description").send_keys("Je dois réinitialiser mon mot de passe")
        wait(driver, lambda d: d.find_element(By.ID, "kb-yes").is_displayed())
        assert "Réinitialiser son mot de passe" in driver.find_element(By.ID, "kb-suggestions").text
        driver.find_element(By.ID, "kb-yes").click()
        wait(driver, lambda d: d.find_element(By.ID, "answered"))
        assert "Aucune demande" in driver.find_element(By.ID, "answered").text

    @step
    def an_incident_ticket_shows_the_open_incident_subscribes_and_is_sent_with_a_file(driver):
        driver.get(BASE + "/help/new/incident")
        notice = driver.find_element(By.ID, "notice-loop")
        assert not notice.is_displayed()
        Select(driver.find_element(By.ID, "product")).select_by_value("loop")
        wait(driver, lambda d: d.find_element(By.ID, "notice-loop").is_displayed())
        assert "Lenteurs sur Cegid Loop" in driver.find_element(By.ID, "notice-loop").text
        assert "Nous analysons les lenteurs." in driver.find_element(By.ID, "notice-loop").text
        driver.find_element(By.ID, "subscribe-loop-button").click()
        wait(driver, lambda d: d.find_element(By.ID, "subscribed-loop").is_displayed())
        choose_lists(driver, ["access", "availability", "intermittent"])
        driver.find_element(By.ID, "impact-partial").click()
        Select(driver.find_element(By.ID, "field_problem")).select_by_value("slow")
        driver.find_element(By.ID, "field_error_shown").send_keys("Délai dépassé")
        driver.find_element(By.ID, "project-no").click()
        driver.find_element(By.ID, "description").send_keys("Les écrans se chargent lentement et le mot de passe est parfois refusé.")
        wait(driver, lambda d: d.find_element(By.ID, "kb-no").is_displayed())
        driver.find_element(By.ID, "kb-no").click()
        wait(driver, lambda d: not d.find_elements(By.ID, "kb-no"))
        driver.find_element(By.ID, "files").send_keys(ATTACHMENT)
        shot(driver, "form")
        driver.find_element(By.ID, "ticket-send").click()
        wait(driver, lambda d: "/requests/CS" in d.current_url)
        number = driver.find_element(By.CSS_SELECTOR, "#request-title .ticket-number").text
        assert "enregistrée" in driver.find_element(By.ID, "notice").text
        assert "journal-erreurs.txt" in driver.find_element(By.ID, "messages").text
        assert driver.find_element(By.ID, "detail-priority").text == "3 - Modérée"
        assert "Lenteurs sur Cegid Loop" in driver.find_element(By.ID, "detail-incident").text
        time = driver.find_element(By.CSS_SELECTOR, "#messages time")
        assert time.get_attribute("title") and ("auparavant" in time.text or "quelques secondes" in time.text), time.text
        print(f"TICKET={number}")
        shot(driver, "ticket")

    @step
    def a_request_is_cancelled_after_its_confirmation(driver):
        driver.get(BASE + "/help/new/administrative")
        choose_lists(driver, ["billing", "invoice", "copy"])
        driver.find_element(By.ID, "project-no").click()
        driver.find_element(By.ID, "description").send_keys("Merci de m'envoyer le duplicata de la facture d'octobre.")
        driver.find_element(By.ID, "ticket-send").click()
        wait(driver, lambda d: "/requests/CS" in d.current_url)
        driver.find_element(By.ID, "cancel-request").click()
        wait(driver, lambda d: d.find_element(By.ID, "confirm-cancel"))
        driver.find_element(By.ID, "confirm-cancel").click()
        state_is(driver, "Annulé")
        assert not driver.find_elements(By.ID, "cancel-request")

    @step
    def the_requests_list_shows_both(driver):
        driver.get(BASE + "/requests")
        rows = driver.find_elements(By.CSS_SELECTOR, "#requests-table tbody tr")
        assert len(rows) == 2, len(rows)
        Select(driver.find_element(By.ID, "state")).select_by_value("cancelled")
        driver.find_element(By.ID, "filter").click()
        wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#requests-table tbody tr")) == 1)
        driver.get(BASE + "/requests")
        shot(driver, "requests")

elif PHASE == "agent":
    @step
    def the_agent_takes_the_ticket_replies_and_proposes_a_solution(driver):
        activate(driver, AGENT_LINK, "Paul", "Agent")
        sign_in(driver, AGENT)
        driver.get(BASE + "/staff/tickets?lang=fr")
        # The new ticket is in the queue, with its state in words.
        row = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'#ticket-queue tr[data-number="{TICKET}"]'))
        assert "Nouveau" in row.text, row.text
        shot(driver, "agent-queue")
        driver.get(BASE + "/staff/tickets/" + TICKET)
        agent_state_is(driver, "Nouveau")
        driver.find_element(By.ID, "take-button").click()
        agent_state_is(driver, "En cours")
        assert "Paul Agent" in driver.find_element(By.ID, "details").text
        agent_writes(driver, "Merci, nous regardons les journaux joints.", "send-reply")
        agent_writes(driver, "Redémarrez votre navigateur puis reconnectez-vous.", "send-solution")
        agent_state_is(driver, "Solution proposée")

elif PHASE == "agent-again":
    @step
    def the_agent_reads_the_refusal_and_proposes_again(driver):
        sign_in(driver, AGENT)
        driver.get(BASE + "/staff/tickets/" + TICKET)
        agent_state_is(driver, "En cours")
        assert "toujours lent" in driver.find_element(By.ID, "messages").text, "the customer's reason reaches the agent"
        agent_writes(driver, "Un serveur saturé a été remplacé : les temps de réponse sont normaux.", "send-solution")
        agent_state_is(driver, "Solution proposée")

elif PHASE == "refuse":
    @step
    def the_customer_refuses_the_solution_with_a_reason(driver):
        sign_in(driver)
        driver.get(BASE + "/requests/" + TICKET)
        state_is(driver, "Solution proposée")
        assert "Redémarrez votre navigateur" in driver.find_element(By.ID, "solution").text
        shot(driver, "solution")
        driver.find_element(By.ID, "refuse-solution").click()
        wait(driver, lambda d: d.find_element(By.ID, "refuse-dialog").is_displayed())
        driver.find_element(By.ID, "dialog-reason").send_keys("Le redémarrage ne change rien : c'est toujours lent.")
        shot(driver, "refuse-dialog")
        driver.find_element(By.ID, "dialog-refuse").click()
        state_is(driver, "En cours")
        assert "Motif du rejet" in driver.find_element(By.ID, "messages").text

elif PHASE == "accept":
    @step
    def the_customer_accepts_the_next_solution_and_rates_it(driver):
        sign_in(driver)
        driver.get(BASE + "/requests/" + TICKET)
        state_is(driver, "Solution proposée")
        driver.find_element(By.ID, "accept-solution").click()
        state_is(driver, "Résolu")
        driver.find_element(By.ID, "star-5").click()
        driver.find_element(By.ID, "comment").send_keys("Merci, tout fonctionne.")
        driver.find_element(By.ID, "send-rating").click()
        wait(driver, lambda d: d.find_element(By.ID, "rated"))
        assert d_url_has_anchor(driver)
        shot(driver, "resolved")


def d_url_has_anchor(driver):
    return driver.current_url.endswith("#avis")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900", language="fr")))

#!/usr/bin/env python3
"""The agents' queue and a ticket's page in headless Chromium, at 1280 px and on a phone at 390
px, whole pages: none may scroll sideways, and each is saved as a PNG to look at.

Run by Tests/StatusWebTests/Tickets/Staff/TicketStaffScreenshotTests.swift against a live router:
    /usr/bin/python3 tickets_staff_screenshots.py BASE_URL SESSION_ID TICKET_NUMBER FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, SESSION, NUMBER, FOLDER = sys.argv[1:5]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def signed_in(driver):
    if not driver.get_cookie("sid"):
        driver.get(BASE + "/static/style.css")
        driver.add_cookie({"name": "sid", "value": SESSION, "path": "/"})


def whole_page(driver, path, width, name, ready):
    signed_in(driver)
    driver.set_window_size(width, 900)
    driver.get(BASE + path)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(driver, 10).until(ready)
    driver.execute_script("document.documentElement.style.scrollbarWidth = 'none'")
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(height + 140, 8000))
    WebDriverWait(driver, 10).until(ready)
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{path} at {width} px scrolls sideways ({scroll} > {inner})"
    # Nothing sticks out of its box either: the widest element ends inside the window.
    # (Visually hidden parts, such as a phone's table headers, are clipped and do not count.)
    wide = driver.execute_script("""
        const hidden = e => e.closest('.sr, thead') && getComputedStyle(e.closest('.sr, thead')).position === 'absolute';
        return [...document.querySelectorAll('main *')].filter(e => !hidden(e))
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 5);""")
    assert not wide, f"{path} at {width} px: elements end past the window: {wide}"
    out = os.path.join(FOLDER, name)
    assert driver.save_screenshot(out), f"no screenshot at {out}"
    if width < 600:
        # The first screen of a phone, at a size one can read.
        driver.set_window_size(width, 1400)
        driver.execute_script("window.scrollTo(0, 0)")
        assert driver.save_screenshot(out.replace(".png", "-top.png"))


def queue_ready(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#ticket-queue tr[data-number]")


def ticket_ready(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#messages .ticket-message")


@step
def queue_at_1280(driver):
    whole_page(driver, "/staff/tickets?lang=fr&state=all", 1280, "tickets-queue.png", queue_ready)


@step
def queue_on_a_phone(driver):
    whole_page(driver, "/staff/tickets?lang=fr&state=all", 390, "tickets-queue-phone.png", queue_ready)


@step
def ticket_at_1280(driver):
    whole_page(driver, f"/staff/tickets/{NUMBER}?lang=fr", 1280, "ticket.png", ticket_ready)
    note = driver.find_element(By.CSS_SELECTOR, ".ticket-message.internal .internal-mark")
    assert "Note interne" in note.text, note.text


@step
def ticket_on_a_phone(driver):
    whole_page(driver, f"/staff/tickets/{NUMBER}?lang=fr", 390, "ticket-phone.png", ticket_ready)


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900", language="fr")))

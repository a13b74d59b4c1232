#!/usr/bin/env python3
"""Looks at "Mes services" on the grid in headless Chromium, at 1280 and 390 px: a demo member
whose accepted service covers a private product signs in and finds it first, under "Mes
services", then the other products under their families; signed out, the private product is
gone; nothing scrolls sideways.

Run by Tests/EndToEndTests/MyWeatherBrowserTests.swift after `statusd demo` and the tie:
    /usr/bin/python3 my_weather_walk.py BASE_URL EMAIL PASSWORD PRIVATE_NAME FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps, wait
from selenium.webdriver.common.by import By

BASE, EMAIL, PASSWORD, PRIVATE, FOLDER = sys.argv[1:6]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def submit(driver, button_id):
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, button_id).click()
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "html") != old)


def fill(driver, name, value):
    element = wait(driver, lambda d: d.find_element(By.ID, name))
    element.clear()
    element.send_keys(value)


def no_sideways_scroll(driver, what):
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{what} scrolls sideways ({scroll} > {inner})"


def shot(driver, name):
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    width = driver.execute_script("return window.outerWidth")
    driver.set_window_size(width, min(height + 140, 6000))
    path = os.path.join(FOLDER, name)
    assert driver.save_screenshot(path), f"no screenshot at {path}"


@step
def signed_out_the_private_product_is_not_on_the_grid(driver):
    driver.get(BASE + "/?lang=fr")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "table.grid"))
    assert PRIVATE not in driver.find_element(By.TAG_NAME, "main").text if driver.find_elements(By.TAG_NAME, "main") \
        else PRIVATE not in driver.find_element(By.TAG_NAME, "body").text
    assert not driver.find_elements(By.ID, "my-services")


@step
def the_member_signs_in(driver):
    driver.get(BASE + "/login?lang=fr")
    fill(driver, "email", EMAIL)
    submit(driver, "continue")
    fill(driver, "password", PASSWORD)
    submit(driver, "login")


def my_services_first(driver, width):
    driver.set_window_size(width, 900)
    driver.get(BASE + "/?lang=fr")
    section = wait(driver, lambda d: d.find_element(By.ID, "my-services"))
    assert "mes services" in section.text.lower(), section.text
    assert PRIVATE in section.text, f"{PRIVATE} is not under Mes services: {section.text}"
    bodies = driver.find_elements(By.CSS_SELECTOR, "table.grid tbody.family")
    assert bodies[0].get_attribute("id") == "my-services", "Mes services is not the first section"
    others = " ".join(body.text for body in bodies[1:])
    assert PRIVATE not in others, "the product of my services shows twice"
    assert len(bodies) > 1, "the other products are gone"
    no_sideways_scroll(driver, f"the grid at {width} px")


@step
def my_services_at_1280(driver):
    my_services_first(driver, 1280)
    shot(driver, "my-weather.png")


@step
def my_services_at_390(driver):
    my_services_first(driver, 390)
    shot(driver, "my-weather-phone.png")


@step
def the_product_page_offers_the_one_click_subscribe(driver):
    driver.set_window_size(390, 900)
    driver.get(BASE + "/?lang=fr")
    section = wait(driver, lambda d: d.find_element(By.ID, "my-services"))
    old = driver.find_element(By.TAG_NAME, "html")
    section.find_element(By.CSS_SELECTOR, "a").click()
    wait(driver, lambda d: d.find_element(By.TAG_NAME, "html") != old)
    button = wait(driver, lambda d: d.find_element(By.ID, "follow-button"))
    assert "S'inscrire aux mises à jour" in button.text, button.text
    no_sideways_scroll(driver, "the product page at 390 px")
    submit(driver, "follow-button")
    following = wait(driver, lambda d: d.find_element(By.ID, "following"))
    assert "Vous suivez ce produit" in following.text, following.text
    no_sideways_scroll(driver, "the product page followed at 390 px")


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900", language="fr")))

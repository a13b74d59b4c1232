#!/usr/bin/env python3
"""Takes the README's screenshots from the demo in headless Chromium: the grid and a product
page at 1280 px, whole pages, and the grid on a phone at 390 px.

Run by Tests/EndToEndTests/ScreenshotTests.swift after `statusd demo` and `statusd serve`:
    /usr/bin/python3 screenshots.py BASE_URL PRODUCT_SLUG FOLDER
Closes with "N passed, M failed"; exits 1 on any failure.
"""
import os
import sys

from headless import chromium, run_steps
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, PRODUCT, FOLDER = sys.argv[1:4]
STEPS = []


def step(function):
    STEPS.append(function)
    return function


def whole_page(driver, path, width, name, ready):
    """The page at `width`, the window as tall as the document so the PNG holds all of it."""
    driver.set_window_size(width, 900)
    driver.get(BASE + path)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    WebDriverWait(driver, 10).until(ready)
    # No scrollbar in the picture: the window is made as tall as the page anyway.
    driver.execute_script("document.documentElement.style.scrollbarWidth = 'none'")
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    driver.set_window_size(width, min(height + 140, 6000))
    WebDriverWait(driver, 10).until(ready)
    scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{path} at {width} px scrolls sideways ({scroll} > {inner})"
    path = os.path.join(FOLDER, name)
    assert driver.save_screenshot(path), f"no screenshot at {path}"
    assert os.path.getsize(path) > 10_000, f"{path} is nearly empty"


def images_drawn(driver):
    """Every image (logo, charts) has loaded and drawn."""
    return driver.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")


@step
def grid_at_1280(driver):
    # The demo's twelve products but one: Cegid Temps et Activités is private, not on the public grid.
    whole_page(driver, "/?lang=fr", 1280, "grid.png",
               lambda d: images_drawn(d) and len(d.find_elements(By.CSS_SELECTOR, "tr.product-row")) >= 11)


@step
def product_page_at_1280(driver):
    def ready(d):
        return images_drawn(d) and d.find_elements(By.CSS_SELECTOR, ".incidents .incident")
    whole_page(driver, f"/products/{PRODUCT}?lang=fr", 1280, "product.png", ready)


@step
def grid_on_a_phone(driver):
    driver.set_window_size(390, 844)
    driver.get(BASE + "/?lang=fr")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete" and images_drawn(d))
    # The part a person sees first: the grid scrolled into view, opened at today.
    driver.execute_script("document.documentElement.style.scrollbarWidth = 'none'")
    driver.execute_script("document.querySelector('.grid-scroll').scrollIntoView({block: 'start'})")
    path = os.path.join(FOLDER, "grid-phone.png")
    assert driver.save_screenshot(path)


if __name__ == "__main__":
    sys.exit(run_steps(STEPS, lambda: chromium(window="1280,900", language="fr")))

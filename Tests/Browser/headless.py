"""Headless Chromium through Selenium, with Debian's driver: shared by the browser walks."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(window="1400,900", language=None):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    arguments = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={window}"]
    if language:
        arguments.append(f"--lang={language}")
    for argument in arguments:
        options.add_argument(argument)
    # Selenium cannot download a driver here: Debian's chromium-driver is given by path.
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

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


def run_steps(steps, make_driver):
    """Runs a walk's steps in order in one browser and prints "N passed, M failed"; stops at the
    first failure (later steps need the earlier ones) and shows where the page was. Returns the exit code."""
    import traceback
    from selenium.webdriver.common.by import By
    driver = make_driver()
    passed = failed = 0
    try:
        for function in steps:
            try:
                function(driver)
                passed += 1
                print(f"ok {function.__name__}")
            except Exception as error:
                failed += 1
                print(f"FAILED {function.__name__}: {error!r}")
                print(traceback.format_exc())
                print(driver.current_url)
                print(driver.find_element(By.TAG_NAME, "body").text[:1500])
                break
    finally:
        driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def wait(driver, condition, timeout=10):
    """Waits for `condition`, through the moments a page is being replaced (an element gone
    stale, not there yet, or the driver between two pages)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(condition)

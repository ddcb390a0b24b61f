#!/usr/bin/env python3
"""The static site in a real browser (headless Chromium via Selenium), and its structure.

Usage: site_test.py GPTX OUTPUT_DIR
  GPTX        the gptx binary
  OUTPUT_DIR  a folder `gptx lessons` wrote (the test builds OUTPUT_DIR/site and a hostile walkthrough)

Prints one line per failed check and a closing `browser: N passed, N failed`; exit 1 on any failure.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import html5lib
from markdown_it import MarkdownIt
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

GPTX, OUT = sys.argv[1], Path(sys.argv[2]).resolve()
HOSTILE = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
# Markdown's markup (emphasis, code, math, an entity, an escape, a link) around a tag.
HOSTILE_MARKDOWN = '<b>*a* _b_ `c` $d$ &amp; \\x [l](javascript:alert(3))'
passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}", flush=True)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if key in a and a[key] is not None:
                self.refs.append(a[key])


def structure(site):
    """Every page parses as HTML5 without errors; every link and image resolves inside the site."""
    pages = sorted(site.rglob("*.html"))
    check(len(pages) > 30, f"the site has pages ({len(pages)})")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parse(text)
            check(True, "")
        except Exception as e:  # html5lib raises ParseError with the position
            check(False, f"{page.relative_to(site)} does not parse: {e}")
        links = Links()
        links.feed(text)
        for ref in links.refs:
            if ref.startswith("data:"):
                continue
            u = urlparse(ref)
            if u.scheme or u.netloc:
                check(False, f"{page.relative_to(site)} links outside the site: {ref}")
                continue
            if not u.path:
                continue
            target = (page.parent / unquote(u.path)).resolve()
            inside = str(target).startswith(str(site.resolve()))
            check(inside and target.exists(), f"{page.relative_to(site)}: {ref} does not resolve inside the site")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def requests_outside(driver, site):
    """URLs the page asked for that are not files inside the site."""
    import json
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        url = msg["params"]["request"]["url"]
        if url.startswith("data:"):
            continue
        if not url.startswith("file://") or not unquote(urlparse(url).path).startswith(str(site.resolve())):
            out.append(url)
    return out


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def open_page(driver, site, relative, width=1280):
    driver.set_window_size(width, 900)
    driver.get((site / relative).resolve().as_uri())
    driver.execute_script("return document.readyState")


def page_checks(driver, site, relative):
    open_page(driver, site, relative)
    text = driver.find_element(By.TAG_NAME, "body").text
    check("$" not in text, f"{relative}: a $ is left in the visible text (math not typeset)")
    check(not driver.find_elements(By.CSS_SELECTOR, ".katex-error, .math-error"), f"{relative}: a formula failed to typeset")
    maths = driver.find_elements(By.CSS_SELECTOR, ".math")
    check(all("typeset" in m.get_attribute("class") for m in maths), f"{relative}: not every formula was typeset")
    check(not requests_outside(driver, site), f"{relative}: requests outside the site: {requests_outside(driver, site)}")
    check(not console_errors(driver), f"{relative}: console errors: {console_errors(driver)}")
    shot = driver.get_screenshot_as_png()
    check(len(shot) > 20000, f"{relative}: the screenshot looks blank ({len(shot)} bytes)")
    open_page(driver, site, relative, width=390)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, f"{relative}: scrolls sideways at 390 px by {overflow} px")
    return maths


def presenter_checks(driver, site, relative):
    open_page(driver, site, relative)
    frames = driver.find_elements(By.CSS_SELECTOR, ".frame")
    check(len(frames) >= 3, f"{relative}: has {len(frames)} frames")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.ARROW_RIGHT)
    visible = [f.get_attribute("id") for f in frames if f.is_displayed()]
    check(visible == ["3"], f"{relative}: after → twice the visible frames are {visible}, not 3")
    check(driver.execute_script("return location.hash") == "#3", f"{relative}: → twice does not set #3")
    counter = driver.find_element(By.CSS_SELECTOR, ".counter").text
    check(counter.startswith("3 /"), f"{relative}: counter shows {counter!r}")
    driver.refresh()
    visible = [f.get_attribute("id") for f in driver.find_elements(By.CSS_SELECTOR, ".frame") if f.is_displayed()]
    check(visible == ["3"], f"{relative}: reloading #3 shows {visible}")
    # The shown frame fills the screen: not scrolled to, inside the window, its image at least half as wide.
    box = driver.execute_script("""var f = document.querySelector('.frame.current'), r = f.getBoundingClientRect(),
        i = f.querySelector('img').getBoundingClientRect();
        return [window.scrollY, r.top, r.bottom, window.innerHeight, i.width, window.innerWidth];""")
    check(box[0] == 0 and box[1] >= 0 and box[2] <= box[3] + 1, f"{relative}: frame 3 is not inside the window (scrollY, top, bottom, height = {box[:4]})")
    check(box[4] >= 0.5 * box[5], f"{relative}: frame 3's image is {box[4]:.0f} px of a {box[5]} px window")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.END)
    n = len(frames)
    check(driver.execute_script("return location.hash") == f"#{n}", f"{relative}: End does not go to frame {n}")
    body.send_keys(Keys.HOME)
    body.send_keys(Keys.SPACE)
    check(driver.execute_script("return location.hash") == "#2", f"{relative}: Home then Space does not land on 2")
    body.send_keys(Keys.PAGE_UP)
    check(driver.execute_script("return location.hash") == "#1", f"{relative}: PageUp does not go back")
    check(not console_errors(driver), f"{relative}: console errors: {console_errors(driver)}")
    check(not requests_outside(driver, site), f"{relative}: requests outside the site")
    # Without the script every frame is shown, in order.
    driver.execute_script("document.documentElement.classList.remove('js-present')")
    check(all(f.is_displayed() for f in driver.find_elements(By.CSS_SELECTOR, ".frame")), f"{relative}: frames hidden without the script's class")
    open_page(driver, site, relative, width=390)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, f"{relative}: scrolls sideways at 390 px by {overflow} px")


def hostile(driver, work):
    """Walkthroughs for a prompt that is markup: no script runs, and the characters show as typed, in
    the site and in the README as a CommonMark renderer (GitHub's base) reads it."""
    out = work / "hostile"
    shutil.copytree(OUT, out, ignore=shutil.ignore_patterns("site"))
    prompts = {"masked-attention": HOSTILE, "tokenization": HOSTILE_MARKDOWN}
    for name, prompt in prompts.items():
        subprocess.run([GPTX, "lessons", "--out", str(out), "--walkthrough", name, "--prompt", prompt], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([GPTX, "site", "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    site = out / "site"
    for name, prompt in prompts.items():
        for readme_name, page in (("README.md", "index.html"), ("README.en.md", "index.en.html")):
            where = f"hostile {name}/{page}"
            open_page(driver, site, f"walkthroughs/{name}/{page}")
            try:
                alert = driver.switch_to.alert
                check(False, f"{where}: an alert opened ({alert.text})")
                alert.dismiss()
            except NoAlertPresentException:
                check(True, "")
            check(driver.execute_script("return document.querySelectorAll('main img[src=\"x\"], main script, main em, main code, main a[href^=\"javascript\"]').length") == 0,
                  f"{where}: the prompt became markup")
            # textContent, not .text: the presenter hides every frame but one.
            text = " ".join(driver.execute_script("return document.querySelector('main').textContent").split())
            readme = rendered_readme(out / "walkthroughs" / name / readme_name)
            check(readme["markup"] == [], f"hostile {name}/{readme_name}: markdown reads the prompt as markup: {readme['markup']}")
            check(readme["paragraphs"] and all(p in text for p in readme["paragraphs"]),
                  f"{where}: a frame's text does not show as the README shows it")
            if name == "tokenization":
                check(prompt in text, f"{where}: the prompt does not show as typed")
                check(any(prompt in p for p in readme["paragraphs"]), f"hostile {name}/{readme_name}: the prompt does not show as typed")
            check(not console_errors(driver), f"{where}: console errors: {console_errors(driver)}")
        for svg in sorted((out / "walkthroughs" / name).glob("*.svg")):
            data = svg.read_text(encoding="utf-8")
            check("<script" not in data and "<img" not in data, f"hostile {name}/{svg.name}: markup in the SVG")


def rendered_readme(path):
    """A walkthrough README through a CommonMark renderer: the text of each paragraph, and any
    inline markup it produced (our READMEs have none: every caption is plain text)."""
    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.paragraphs, self.markup, self.current = [], [], None

        def handle_starttag(self, tag, attrs):
            if tag == "p":
                self.current = ""
            elif tag not in ("h1", "h2", "img"):
                self.markup.append(tag)

        def handle_endtag(self, tag):
            if tag == "p" and self.current is not None:
                if self.current.strip():
                    self.paragraphs.append(" ".join(self.current.split()))
                self.current = None

        def handle_data(self, data):
            if self.current is not None:
                self.current += data

    reader = Reader()
    reader.feed(MarkdownIt("commonmark").render(path.read_text(encoding="utf-8")))
    return {"paragraphs": reader.paragraphs, "markup": reader.markup}


def main():
    work = Path(tempfile.mkdtemp(prefix="gptx-site-"))
    try:
        subprocess.run([GPTX, "site", "--out", str(OUT)], check=True, stdout=subprocess.DEVNULL)
        site = OUT / "site"
        structure(site)
        driver = browser()
        try:
            page_checks(driver, site, "index.html")
            zh = page_checks(driver, site, "zh/05-masked-self-attention.html")
            check(len(zh) > 3, "zh chapter 5 has typeset formulas")
            page_checks(driver, site, "en/08-mathematics.html")
            for lang in ("zh", "en"):
                for page in sorted((site / lang).glob("[0-9]*.html")):
                    open_page(driver, site, f"{lang}/{page.name}")
                    check(not driver.find_elements(By.CSS_SELECTOR, ".katex-error, .math-error"), f"{lang}/{page.name}: a formula failed")
                    check("$" not in driver.find_element(By.TAG_NAME, "body").text, f"{lang}/{page.name}: a $ is left")
            presenter_checks(driver, site, "walkthroughs/masked-attention/index.html")
            presenter_checks(driver, site, "en/07-generation.slides.html")
            hostile(driver, work)
        finally:
            driver.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

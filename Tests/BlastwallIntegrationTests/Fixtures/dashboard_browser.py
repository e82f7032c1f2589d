"""Drives the dashboard in Debian's Chromium with Playwright, as a reviewer, a release manager and an on-call
engineer would use it, against a real `blastwall serve` that DashboardBrowserTests set up.

Reads a JSON scenario on standard input (server URL, tokens, the submitted change, the switch, where to put
screenshots). Prints one line per step; exits 1 with what went wrong at the first failed check. Every page
visited is also fetched raw and parsed by html5lib in strict mode, and any console error fails the run.
"""

import json
import sys
import time
import urllib.error
import urllib.request

import html5lib
from playwright.sync_api import sync_playwright

scenario = json.load(sys.stdin)
base = scenario["url"]
tokens = scenario["tokens"]
change_id = scenario["change"]
switch = scenario["switch"]
shots = scenario["screenshots"]
console_errors = []
validated = set()


def check(condition, message, context=""):
    if not condition:
        print(f"FAILED: {message}" + (f"\n{context[:1500]}" if context else ""), flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def api(method, path, token, body=None):
    request = urllib.request.Request(base + path, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(request, data=data, timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def validate(page, url=None, requester=None):
    """The page's HTML as the server sent it, parsed strictly: any parse error is a failure. Fetched with
    the page's cookies, except the sign-in page, fetched apart so as not to replace the form's CSRF cookie."""
    url = url or page.url
    path = url.split(base, 1)[-1].split("?", 1)[0].split("#", 1)[0]
    if path in validated:
        return
    answer = (requester or page.request).get(url)
    try:
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(answer.text())
    except Exception as error:  # html5lib raises ParseError with the position
        check(False, f"{path} is valid HTML: {error}")
    validated.add(path)
    print(f"ok: {path} is valid HTML", flush=True)


def browser_context(browser, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base)
    return context


def open_page(context):
    page = context.new_page()
    page.on("console", lambda message: console_errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
    # Buttons marked data-confirm ask first; the tests answer yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def sign_in(page, who):
    page.goto("/ui/changes")
    check("/ui/sign-in" in page.url, f"{who}: an unsigned visit is sent to sign in")
    page.fill("#token", tokens[who])
    page.click("button[type=submit]")
    page.wait_for_url("**/ui/changes")


def shoot(page, name):
    page.screenshot(path=f"{shots}/{name}.png")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=scenario["chromium"], args=["--no-sandbox"], headless=True)

    # The reviewer: sees the AI-assisted change, approves it as an owner, and watches the gate turn satisfied.
    dana = open_page(browser_context(browser))
    page = dana
    sign_in(page, "dana")
    page.keyboard.press("Tab")
    check(page.evaluate("document.activeElement.textContent") == "Skip to the content", "the first Tab reaches 'Skip to the content'")
    page.keyboard.press("Enter")
    check(page.url.endswith("#main"), "the skip link goes to the content")
    row = page.locator(f"tr:has(a[href='/ui/changes/{change_id}'])")
    check("AI-assisted" in row.inner_text(), "the change is listed with its AI-assisted badge")
    validate(page)
    shoot(page, "changes")
    page.click(f"a[href='/ui/changes/{change_id}']")
    text = page.inner_text("main")
    check("AI-assisted" in text and "claude" in text.lower(), "the change shows its provenance and the tool", text)
    check("Still needed" in text and "owner of `payments`" in text, "the change shows what it still needs", text)
    check("pending" in page.inner_text(".facts"), "the gate is pending")
    validate(page)
    shoot(page, "change")
    page.click("button[value=approve]")
    page.wait_for_selector(".notice")
    check("Your approval of change" in page.inner_text(".notice"), "the approval is recorded")
    check("satisfied" in page.inner_text(".facts"), "the gate turned satisfied")

    # The author and an AI identity see why they cannot approve, and no button.
    for who, reason in [("sam", "no self-approval"), ("coder", "never count as approvers")]:
        other = open_page(browser_context(browser))
        sign_in(other, who)
        other.goto(f"/ui/changes/{change_id}")
        check(reason in other.inner_text(".refusal"), f"{who} is told why: {reason}")
        check(other.locator("button[value=approve]").count() == 0, f"{who} has no approve button")
        other.context.close()

    # The release manager: a live rollout moves a step, then rolls back on bad metrics, the chart following.
    engineer = open_page(browser_context(browser))
    sign_in(engineer, "engineer")
    rollout = api("POST", "/api/v1/drills", tokens["engineer"], {
        "service": "checkout", "version": "v2", "stable": "v1", "artifact": "sha256:" + "ab" * 32,
        "router": {"type": "flags", "flag": "checkout-v2"}, "metrics": {"provider": "push"},
        "steps": [{"weight": 10, "duration": "2s"}, {"weight": 50, "duration": "1h"}],
        "analysis": {"interval": "0.5s", "minimum_requests": 20, "inconclusive": {"limit": "60s"}},
    })
    rollout_id = rollout["id"]

    def push(canary_errors):
        """A second's traffic; once the rollout has ended the server answers 409, which is expected."""
        try:
            api("POST", f"/api/v1/rollouts/{rollout_id}/observations", tokens["engineer"],
                {"canary": {"requests": 20, "errors": canary_errors}, "baseline": {"requests": 380, "errors": 0}})
        except urllib.error.HTTPError as error:
            if error.code != 409:
                raise

    engineer.goto(f"/ui/rollouts/{rollout_id}")
    check(engineer.locator("[data-live]").count() == 1, "the running rollout is marked live")
    validate(engineer)
    deadline = time.time() + 40
    while time.time() < deadline and "50% for at least" not in engineer.inner_text("li[aria-current=step]"):
        push(0)
        time.sleep(0.5)
    check("50% for at least" in engineer.inner_text("li[aria-current=step]"), "the page moved to the second step by itself")
    markers_before = engineer.locator("figure >> nth=0 >> .series-0 .marker").count()
    shoot(engineer, "rollout")
    deadline = time.time() + 40
    while time.time() < deadline and "rolled back" not in engineer.inner_text("main h1 + p"):
        push(15)
        time.sleep(0.5)
    check("rolled back" in engineer.inner_text("main h1 + p"), "the page shows the rollback by itself")
    check(engineer.locator("[data-live]").count() == 0, "a finished rollout is no longer live")
    markers_after = engineer.locator("figure >> nth=0 >> .series-0 .marker").count()
    check(markers_after > markers_before, f"the error chart gained points ({markers_before} → {markers_after})")
    check("Time to detect" in engineer.inner_text(".facts"), "the rollback's time to detect is shown")
    check(engineer.locator(".event").count() > 0, "the rollback is marked on the charts")
    shoot(engineer, "rollout-rolled-back")

    # The on-call engineer: flips a kill switch with a reason, finds it in the audit log, verifies the chain.
    engineer.goto("/ui/switches")
    validate(engineer)
    engineer.fill(f"#reason-{switch}", "checkout errors: turn the new path off")
    engineer.click(f"form[action='/ui/switches/{switch}'] button")
    engineer.wait_for_selector(".notice")
    check(f"switch {switch} is on" in engineer.inner_text(".notice"), "the switch flipped")
    api("POST", "/api/v1/incidents", tokens["engineer"], {"title": "Checkout errors", "service": "checkout", "severity": "page"})
    engineer.goto("/ui/incidents")
    validate(engineer)
    engineer.click("text=Checkout errors")
    check("Suspects" in engineer.inner_text("main"), "the incident lists its suspects")
    validate(engineer)
    shoot(engineer, "incident")
    engineer.goto("/ui/dora")
    validate(engineer)
    engineer.goto("/ui/approvals")
    validate(engineer)
    engineer.goto("/ui/rollouts")
    validate(engineer)
    engineer.goto("/ui/audit")
    engineer.fill("#action", "switch.flipped")
    engineer.click("form[role=search] button")
    engineer.wait_for_url("**/ui/audit?**")
    check(f"switch/{switch}" in engineer.inner_text("table.audit"), "the audit search finds the flip")
    check(engineer.locator("table.audit code[title]").count() >= 1, "each event shows its hash")
    engineer.click("text=Verify the whole chain")
    check("The chain is intact" in engineer.inner_text("main"), "the chain verifies")
    validate(engineer)
    shoot(engineer, "audit")

    # A form posted without the session's CSRF token is refused, cookies notwithstanding.
    forged = engineer.request.post(f"/ui/switches/{switch}", form={"enabled": "off", "reason": "no token"})
    check(forged.status == 403, f"a form without the CSRF token is refused ({forged.status})")

    # A viewer reads every page without an action button, and a forged action is refused.
    viewer = open_page(browser_context(browser))
    sign_in(viewer, "viewer")
    for path in [f"/ui/changes/{change_id}", f"/ui/rollouts/{rollout_id}", "/ui/switches"]:
        viewer.goto(path)
        buttons = viewer.locator("main form[method=post] button").count()
        check(buttons == 0, f"the viewer sees no action button on {path}")
    csrf = viewer.get_attribute("header input[name=csrf]", "value")
    refused = viewer.request.post(f"/ui/switches/{switch}", form={"csrf": csrf, "enabled": "off", "reason": "viewer"})
    check(refused.status == 403, f"the viewer's forged flip is refused ({refused.status})")

    # Readable on a phone: nothing wider than the screen but the tables, which scroll in their own box.
    phone = open_page(browser_context(browser, width=390, height=844))
    sign_in(phone, "dana")
    for path in ["/ui/changes", f"/ui/changes/{change_id}", f"/ui/rollouts/{rollout_id}", "/ui/audit"]:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        check(width <= 390, f"{path} fits 390 px ({width})")
    phone.goto(f"/ui/rollouts/{rollout_id}")
    shoot(phone, "rollout-390")

    outsider = playwright.request.new_context(base_url=base)
    validate(None, base + "/ui/sign-in", outsider)
    check(not console_errors, "no console error: " + "; ".join(console_errors))
    browser.close()
    print(json.dumps({"validated": sorted(validated)}), flush=True)

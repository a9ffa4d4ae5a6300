"""A visitor sends the contact form behind a service page's call to action, in English."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.admin import EDITOR, log_in
from tests.e2e.site import open_frontend

pytestmark = pytest.mark.e2e

CTA_FORM = """query {
  service(slug: "democratic-funding", locale: "en") {
    url
    callToAction { buttonLabel form { id handle title fields { name label type required } } }
  }
}"""

ANSWERS = {
    "SINGLELINE": "Ada Lovelace",
    "EMAIL": "ada@example.org",
    "MULTILINE": "We would like to run a civic crowdfunding campaign.",
}


def sent_mails(servers) -> list[str]:
    folder = servers.mail
    return [path.read_text() for path in sorted(folder.glob("*.log"))] if folder.is_dir() else []


def test_a_visitor_sends_the_form_and_the_organisation_gets_it(servers, page, screenshots):
    service = servers.graphql(CTA_FORM)["data"]["service"]
    cta = service["callToAction"]
    form = cta["form"]
    assert form is not None, "the demo service's call to action names a form"
    prefix = f"#form-{form['handle']}-"
    mails_before = len(sent_mails(servers))

    open_frontend(page, f"{servers.frontend}{service['url']}")
    page.locator(".block-cta a.button").click()
    dialog = page.get_by_role("dialog", name=form["title"])
    expect(dialog).to_be_visible()
    for field in form["fields"]:
        control = dialog.locator(f"{prefix}{field['name']}")
        if field["type"] == "CHECKBOX":
            control.check()
        elif field["type"] in ANSWERS:
            control.fill(ANSWERS[field["type"]])
    screenshots(page, "contact-form-filled-in")
    dialog.locator("button[type=submit]").click()
    expect(page.locator(".form-thanks")).to_be_visible()
    screenshots(page, "contact-form-sent")

    # The organisation is told by email, by the notification worker...
    deadline = time.monotonic() + 15
    while len(mails := sent_mails(servers)) == mails_before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(mails) == mails_before + 1
    assert "ada@example.org" in mails[-1]
    assert "Ada Lovelace" in mails[-1]

    # ...and the submission is in the admin's listing of the form.
    log_in(page, servers.cms, EDITOR)
    page.goto(f"{servers.cms}/admin/forms/submissions/{form['id']}/")
    rows = page.locator("table.listing tbody tr")
    expect(rows.filter(has_text="ada@example.org")).to_have_count(1)
    stored = rows.count()

    # A second, invalid submission shows what is wrong, field by field, and stores nothing.
    open_frontend(page, f"{servers.frontend}{service['url']}")
    page.locator(".block-cta a.button").click()
    dialog = page.get_by_role("dialog", name=form["title"])
    email = next(f for f in form["fields"] if f["type"] == "EMAIL")
    dialog.locator(f"{prefix}{email['name']}").fill("not-an-address")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".form-status")).to_have_attribute("role", "alert")
    invalid = dialog.locator("[aria-invalid=true]")
    required = [f["name"] for f in form["fields"] if f["required"]]
    expect(invalid).to_have_count(len(required))
    expect(dialog.locator(f"{prefix}{email['name']}-error")).to_be_visible()
    screenshots(page, "contact-form-errors")
    page.goto(f"{servers.cms}/admin/forms/submissions/{form['id']}/")
    expect(page.locator("table.listing tbody tr")).to_have_count(stored)
    assert len(sent_mails(servers)) == mails_before + 1


def test_without_javascript_the_form_is_a_page_of_the_public_site(servers, browser, screenshots):
    """The call to action leads to the form's page on the public site, in the page's
    language with the site's header and footer; a refused post shows the errors in place
    with the answers kept, and an accepted one the thanks, which lead back."""
    service = servers.graphql(CTA_FORM)["data"]["service"]
    form = service["callToAction"]["form"]
    prefix = f"#form-{form['handle']}-"
    mails_before = len(sent_mails(servers))
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto(f"{servers.frontend}{service['url']}")
        page.locator(".block-cta a.button").click()
        assert page.url == (
            f"{servers.frontend}/en/{form['handle']}/?from=%2Fen%2Fservices%2Fdemocratic-funding%2F"
        )
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text(form["title"])
        expect(page.locator(".site-nav a").first).to_be_visible()
        expect(page.locator(".site-footer")).to_be_visible()
        expect(page.locator(".skip-link")).to_have_text("Skip to content")
        required = [f for f in form["fields"] if f["required"]]
        marks = page.locator("form.contact-form label .required")
        expect(marks).to_have_count(len(required))
        screenshots(page, "contact-page-no-js")

        # Refused by the CMS (the browser's own checks pass: an address without a dot in its
        # domain): the same page (400), the error in place, what was typed kept.
        answers = {**ANSWERS, "EMAIL": "ada@example"}
        for field in form["fields"]:
            control = page.locator(f"{prefix}{field['name']}")
            if field["type"] == "CHECKBOX":
                control.check()
            elif field["type"] in answers:
                control.fill(answers[field["type"]])
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.locator("form.contact-form button[type=submit]").click()
        assert posted.value.status == 400
        email = next(f for f in form["fields"] if f["type"] == "EMAIL")
        expect(page.locator(".form-status")).to_have_text("Please check the fields marked.")
        expect(page.locator(f"{prefix}{email['name']}-error")).to_have_text(
            "Enter a valid email address."
        )
        expect(page.locator("[aria-invalid=true]")).to_have_count(1)
        for field in form["fields"]:
            control = page.locator(f"{prefix}{field['name']}")
            if field["type"] == "CHECKBOX":
                expect(control).to_be_checked()
            elif field["type"] in answers:
                expect(control).to_have_value(answers[field["type"]])
        assert len(sent_mails(servers)) == mails_before

        # Accepted: the thanks, on the public site, with a way back to the service.
        page.locator(f"{prefix}{email['name']}").fill(ANSWERS["EMAIL"])
        page.locator("form.contact-form button[type=submit]").click()
        expect(page.locator(".form-thanks")).to_be_visible()
        assert page.url.startswith(f"{servers.frontend}/en/{form['handle']}/?sent=1")
        screenshots(page, "contact-page-sent-no-js")
        back = page.get_by_role("link", name="Go back")
        expect(back).to_have_attribute("href", "/en/services/democratic-funding/")
        back.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Civic crowdfunding")
        mails = sent_mails(servers)
        assert len(mails) == mails_before + 1
        assert "ada@example.org" in mails[-1]
    finally:
        context.close()

"""What editors and translators do in the Wagtail admin, written once for every test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

# The accounts the end-to-end CMS is started with.
EDITOR = ("editor", "civic-editor-e2e")
TRANSLATOR = ("translator", "civic-translator-e2e")


def log_in(page: Page, cms: str, user: tuple[str, str]) -> None:
    username, password = user
    page.goto(f"{cms}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{cms}/admin/")


@dataclass
class Metric:
    number: str
    text: str


@dataclass
class ServiceContent:
    """What the editor types into a new service page."""

    title: str
    metrics: list[Metric] = field(default_factory=list)
    quote: str = ""
    quote_author: str = ""
    collaborators_title: str = ""
    collaborators: list[str] = field(default_factory=list)
    cta_text: str = ""
    cta_button: str = ""
    cta_url: str = ""


# Whether the StreamField child (a block, or an item of a list block) with this form prefix
# is shown and has stopped moving. Wagtail's admin inserts a new child hidden and slides it
# open with jQuery's slideDown() 10 ms later (BaseSequenceChild in
# wagtailadmin/js/telepath/blocks.js; a list item's new "Add" button slides open with it).
# While that animation runs, the child's contents move: a button clicked then can be under
# the pointer at mousedown and elsewhere at mouseup, so the browser sends the click to their
# common ancestor and nothing answers it (Playwright checks the target of the first pointer
# event only). Wait for this before clicking anything in a new child.
SETTLED = """prefix => {
    const id = document.querySelector(`input[name="${prefix}-id"]`);
    const child = id && id.closest("[data-streamfield-child]");
    return !!child && jQuery(child).is(":visible") && jQuery(":animated").length === 0;
}"""


def searched(url: str) -> str | None:
    """The search term of a request for a chooser's results (a snippet or image chooser's
    ``results/``, the page chooser's ``search/``), None for other requests."""
    parts = urlsplit(url)
    if not parts.path.endswith(("/results/", "/search/")):
        return None
    return parse_qs(parts.query).get("q", [None])[0]


def search_in_chooser(page: Page, modal, term: str) -> None:
    """Type ``term`` into the open chooser's search, as a person does, and wait until the
    listing is its results. The chooser swaps its results in (busy while it loads them):
    a row of the old listing can be swapped away under the pointer between mousedown and
    mouseup, or lose the tick given to it, leaving "Confirm selection" disabled."""

    def results_for(response) -> bool:
        return searched(response.url) == term

    with page.expect_response(results_for):
        modal.get_by_label("Search term").fill(term)
    expect(modal.locator("[aria-busy='true']")).to_have_count(0)


class ServiceEditor:
    """The page editor of a service page: blocks are added to the body's stream one by one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.body = page.locator("#panel-child-content-body-content")
        self.blocks = 0

    def add_block(self, label: str) -> str:
        """Insert a block at the end of the body; return its form prefix (body-<n>-value)."""
        self.body.locator("button.c-sf-add-button[title='Insert a block']").last.click()
        self.page.get_by_role("option", name=label, exact=True).click()
        child = f"body-{self.blocks}"
        self.settled(child)
        self.blocks += 1
        return f"{child}-value"

    def settled(self, child: str) -> None:
        """Wait until the new StreamField child ``child`` is open and still (see SETTLED)."""
        self.page.wait_for_function(SETTLED, arg=child)

    def field(self, name: str):
        return self.page.locator(f"[name='{name}']")

    def list_add_button(self, inside: str, levels: int):
        """The last "Add" button of the list block that holds the field ``inside``."""
        container = self.field(inside).locator(f"xpath=ancestor::*[@data-contentpath][{levels}]")
        return container.locator("button[title='Add']").last

    def add_metrics(self, metrics: list[Metric]) -> None:
        prefix = self.add_block("Metrics")
        for index, metric in enumerate(metrics):
            item = f"{prefix}-items-{index}-value"
            if index:
                self.list_add_button(f"{prefix}-items-0-value-text", 3).click()
                self.settled(f"{prefix}-items-{index}")
            self.field(f"{item}-number").fill(metric.number)
            self.field(f"{item}-text").fill(metric.text)

    def add_quote(self, text: str, author: str) -> None:
        prefix = self.add_block("Quote")
        # The Markdown field is an EasyMDE (CodeMirror) editor: type into it as a person does.
        editor = self.field(f"{prefix}-text").locator("xpath=..").locator(".CodeMirror").first
        editor.click()
        self.page.keyboard.type(text)
        self.field(f"{prefix}-author").fill(author)

    def add_collaborators(self, title: str, names: list[str]) -> None:
        prefix = self.add_block("Collaborators")
        self.field(f"{prefix}-title").fill(title)
        for index, name in enumerate(names):
            if index:
                self.list_add_button(f"{prefix}-title", 2).click()
                self.settled(f"{prefix}-collaborators-{index}")
            chooser = self.page.locator(
                "[data-contentpath='body'] button.chooser__choose-button",
                has_text="Choose collaborator",
            ).last
            modal = self.page.locator(".modal-content")
            chooser.click()

            # Search first (the chooser lists the page's language), and click the result
            # once the listing is the search's.
            search_in_chooser(self.page, modal, name)
            modal.get_by_role("link", name=name, exact=True).click()
            expect(modal).to_be_hidden()

    def add_call_to_action(self, text: str, button: str, url: str) -> None:
        prefix = self.add_block("Call to action in the text")
        self.field(f"{prefix}-text").fill(text)
        self.field(f"{prefix}-button_label").fill(button)
        self.field(f"{prefix}-url").fill(url)

    def fill(self, content: ServiceContent) -> None:
        self.page.locator("#id_title").fill(content.title)
        if content.metrics:
            self.add_metrics(content.metrics)
        if content.quote:
            self.add_quote(content.quote, content.quote_author)
        if content.collaborators:
            self.add_collaborators(content.collaborators_title, content.collaborators)
        if content.cta_text:
            self.add_call_to_action(content.cta_text, content.cta_button, content.cta_url)

    def publish(self) -> None:
        self.page.get_by_role("button", name="More actions").click()
        self.page.get_by_role("button", name="Publish", exact=True).click()

    def save_draft(self, title: str) -> None:
        self.page.get_by_role("button", name="Save draft").click()
        expect(self.page.locator(".messages")).to_contain_text(f"'{title}' has been updated")

    def publish_changes(self, title: str) -> None:
        self.publish()
        expect(self.page.locator(".messages")).to_contain_text(f"'{title}' has been published")

    def open_preview_in_frontend(self, context):
        """Preview panel (the public site is its default mode) → open it in a new tab."""
        self.page.get_by_role("button", name="Toggle preview", exact=True).click()
        expect(self.page.get_by_label("Preview mode")).to_have_value("frontend")
        with context.expect_page() as new_tab:
            self.page.get_by_role("link", name="Preview in new tab").click()
        return new_tab.value


def create_service_page(
    page: Page, cms: str, index_id: int, content: ServiceContent, *, screenshots=None
) -> None:
    """From the services listing: add a child page, fill it in, publish it."""
    page.goto(f"{cms}/admin/pages/{index_id}/")
    page.locator(f"a[href='/admin/pages/{index_id}/add_subpage/']").first.click()
    expect(page.locator("#id_title")).to_be_visible()
    editor = ServiceEditor(page)
    editor.fill(content)
    if screenshots:
        screenshots(page, "admin-page-filled-in")
    editor.publish()
    expect(page.locator(".messages")).to_contain_text(
        re.compile(rf"{re.escape(content.title)}.*published")
    )
    if screenshots:
        screenshots(page, "admin-page-published")


def open_translate_action(page: Page, cms: str, index_id: int, title: str) -> None:
    """In the services listing, the page's "More options" menu → Translate."""
    page.goto(f"{cms}/admin/pages/{index_id}/")
    row = page.locator("tr").filter(has_text=title).first
    row.get_by_role("button", name=re.compile("More options")).click()
    page.get_by_role("link", name=re.compile(r"^Translate")).click()


def submit_for_translation(page: Page, language: str) -> None:
    page.get_by_label(language, exact=True).check()
    page.get_by_role("button", name=re.compile("Submit")).click()
    expect(page.locator(".messages")).to_contain_text(
        f"successfully submitted for translation into {language}"
    )


def translate_segments(page: Page, translations: dict[str, str], tab: str = "Content") -> list[str]:
    """Translate every string of one tab of wagtail-localize's editor, one after the other.

    Each source text is replaced by its entry in ``translations`` (texts without one, such
    as figures and slugs, are kept as they are). Returns the source texts in the order shown.
    """
    page.get_by_role("tab", name=tab).click()
    sources = []
    buttons = page.get_by_role("button", name="Translate", exact=True)
    while (remaining := buttons.count()) > 0:
        segment = buttons.first.locator("xpath=ancestor::li[2]").element_handle()
        source = segment.query_selector("p").inner_text().strip()
        sources.append(source)
        buttons.first.click()
        segment.query_selector("textarea").fill(translations.get(source, source))
        segment.query_selector("button:text-is('Save')").click()
        expect(buttons).to_have_count(remaining - 1)
    return sources


def publish_translation(page: Page, title: str, language: str) -> None:
    page.get_by_role("button", name=f"Publish in {language}").click()
    expect(page.locator(".messages")).to_have_text(f"Published '{title}' in {language}.")


def edit_service_page(page: Page, cms: str, page_id: int) -> ServiceEditor:
    page.goto(f"{cms}/admin/pages/{page_id}/edit/")
    expect(page.locator("#id_title")).to_be_visible()
    editor = ServiceEditor(page)
    editor.blocks = int(page.locator("[name='body-count']").input_value())
    return editor

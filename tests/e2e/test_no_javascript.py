"""The public site without JavaScript (as crawlers and link previews read it): every page
type in every language arrives as full HTML with its content and its language links, the
projects filters work as a plain form, an unknown path answers the 404 page with status
404 and an old URL redirects. Screenshots of each page type at phone and desktop widths
go to artifacts/e2e/screenshots/."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

LANGUAGES = ("es", "en", "ca")
# Each page type of the demo content, by its path without the language prefix.
PAGES = {
    "home": "",
    "services-index": "services/",
    "service": "services/democratic-funding/",
    "projects-index": "projects/",
    "project": "projects/neighbourhood-fund/",
    "categories-index": "categories/",
    "category": "categories/shared-economy/",
    "standard": "about-us/",
    "team": "team/",
}
TEAM_TITLES = {"es": "Nuestro equipo", "en": "Our team", "ca": "El nostre equip"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SCREENSHOTS = ARTIFACTS / "screenshots"
# Phone widths no page may be wider than.
NARROW = (320, 360, 390)
# The page's width beyond the viewport, and the elements that stick out (empty when none).
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  // An element that sticks out, or whose content (a long word) overflows it.
  const out = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5
      || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 0.5
          && getComputedStyle(el).overflowX === "visible"))
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`
      + ` (${Math.round(el.getBoundingClientRect().right)} px)`);
  return [`page ${document.documentElement.scrollWidth} px`, ...out.slice(0, 8)];
}"""

PAGE = """query ($path: String!) {
  page(path: $path, fallback: true) {
    __typename title url locale { code }
    translations { url locale { code } }
  }
}"""


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(20_000)
    yield context
    context.close()


def status_of(url: str) -> tuple[int, str | None]:
    """The HTTP status and Location of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_is_full_html_without_javascript(servers, no_js, language, kind):
    path = f"/{language}/{PAGES[kind]}"
    tab = no_js.new_page()
    try:
        response = tab.goto(f"{servers.frontend}{path}")
        assert response.status == 200
        body = tab.locator("body")
        expect(body).to_have_attribute("data-rendered", "server")
        expect(body).to_have_attribute("data-state", "ready")
        main = tab.locator("main")
        expect(main.locator("h1")).to_have_count(1)
        switcher = tab.locator(".language-switcher a[hreflang]")
        links = {
            switcher.nth(i).get_attribute("hreflang"): switcher.nth(i).get_attribute("href")
            for i in range(switcher.count())
        }
        if kind == "team":
            expect(main.locator("h1")).to_have_text(TEAM_TITLES[language])
            members = servers.graphql(
                "query ($l: String!) { members(locale: $l) { name } }", {"l": language}
            )["data"]["members"]
            expect(main.locator(".member-card h2")).to_have_text([m["name"] for m in members])
            # Search results and link previews say who is in it.
            names = ", ".join(m["name"] for m in members)
            expect(tab.locator("head meta[name=description]")).to_have_attribute(
                "content", f"{TEAM_TITLES[language]}: {names}"[:160]
            )
            assert links == {code: f"/{code}/team/" for code in LANGUAGES}
        else:
            page = servers.graphql(PAGE, {"path": path})["data"]["page"]
            assert page is not None, path
            if page["__typename"] != "HomePage":
                expect(main.locator("h1")).to_have_text(page["title"])
            else:
                expect(main.locator("h1")).not_to_be_empty()
                # The home page leads to what the organisation offers: its services.
                services = servers.graphql(
                    "query ($l: String!) { services(locale: $l, first: 6) "
                    "{ edges { node { title url } } } }",
                    {"l": language},
                )["data"]["services"]["edges"]
                cards = main.locator(".related-services .service-card h3 a")
                expect(cards).to_have_text([s["node"]["title"] for s in services])
                expect(main.locator(".related-services .more a")).to_have_attribute(
                    "href", f"/{language}/services/"
                )
            # Every page's main menu leads to the services listing.
            expect(tab.locator(f".site-nav a[href='/{language}/services/']")).to_have_count(1)
            expect(main).to_have_attribute("data-page-type", page["__typename"])
            expected = {page["locale"]["code"]: page["url"]} | {
                t["locale"]["code"]: t["url"] for t in page["translations"] if t["url"]
            }
            assert links == expected
            # The content of the page's own language is marked when it stands in for another.
            if page["locale"]["code"] != language:
                expect(main.locator(".fallback-notice")).to_be_visible()
        # A real page, not a shell: content beyond the title.
        title = main.locator("h1").inner_text()
        assert len(main.inner_text().replace(title, "", 1).strip()) > 5
        expect(main.locator("p.loading")).to_have_count(0)
        # Its head names its canonical address: the page itself, or the version it shows.
        canonical = tab.locator("head link[rel=canonical]")
        expect(canonical).to_have_count(1)
        if kind == "team" or page["locale"]["code"] == language:
            assert canonical.get_attribute("href").endswith(path)
        # No page is wider than a phone's screen: nothing to scroll sideways.
        for width in NARROW:
            tab.set_viewport_size({"width": width, "height": 800})
            wide = tab.evaluate(WIDER_THAN_VIEWPORT)
            assert wide == [], f"{path} at {width} px: {wide}"
        if language == "es" or kind == "home":
            for name, viewport in VIEWPORTS.items():
                tab.set_viewport_size(viewport)
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                tab.screenshot(
                    path=str(SCREENSHOTS / f"{language}-{kind}-{name}.png"), full_page=True
                )
    finally:
        tab.close()


def test_projects_filters_work_without_javascript(servers, no_js):
    data = servers.graphql(
        """{ projectStates(locale: "es") { slug title }
             projects(locale: "es", first: 50) { edges { node { title state { slug } } } } }"""
    )["data"]
    projects = [edge["node"] for edge in data["projects"]["edges"]]
    assert projects, "the demo has projects"
    state = projects[0]["state"]["slug"]
    in_state = sorted(p["title"] for p in projects if p["state"] and p["state"]["slug"] == state)

    tab = no_js.new_page()
    try:
        tab.goto(f"{servers.frontend}/es/projects/")
        tab.locator("#filter-state").select_option(state)
        tab.get_by_role("button", name="Filtrar").click()
        tab.wait_for_url(f"**/es/projects/?state={state}&category=")
        expect(tab.locator("body")).to_have_attribute("data-rendered", "server")
        expect(tab.locator(".project-list h3")).to_have_text(in_state)
        expect(tab.locator("#filter-state option[selected]")).to_have_attribute("value", state)

        other = next(
            (
                s["slug"]
                for s in data["projectStates"]
                if s["slug"] != state
                and not any(p["state"] and p["state"]["slug"] == s["slug"] for p in projects)
            ),
            None,
        )
        if other:
            tab.goto(f"{servers.frontend}/es/projects/?state={other}")
            expect(tab.locator(".project-list")).to_have_count(0)
            expect(tab.locator("main [role=status]")).to_have_text("No hay proyectos que mostrar.")
    finally:
        tab.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_path_is_the_404_page_with_status_404(servers, no_js, language):
    url = f"{servers.frontend}/{language}/no-such-page/"
    assert status_of(url)[0] == 404
    tab = no_js.new_page()
    try:
        response = tab.goto(url)
        assert response.status == 404
        expect(tab.locator("body")).to_have_attribute("data-state", "not-found")
        expect(tab.locator("meta[name=robots]")).to_have_attribute("content", "noindex, nofollow")
        cms_404 = servers.graphql(PAGE, {"path": f"/{language}/404/"})["data"]["page"]
        if cms_404 and cms_404["locale"]["code"] == language:
            expect(tab.locator("main h1")).to_have_text(cms_404["title"])
        else:
            expect(tab.locator("main h1")).not_to_be_empty()
    finally:
        tab.close()


def test_an_old_url_redirects(servers, no_js):
    servers.shell(
        "from wagtail.contrib.redirects.models import Redirect\n"
        "from wagtail.models import Page, Site\n"
        "target = Page.objects.get(url_path__endswith='/services/democratic-funding/',"
        " locale__language_code='es')\n"
        "Redirect.add_redirect('/es/financiacion-democratica', target, is_permanent=True)\n"
    )
    url = f"{servers.frontend}/es/financiacion-democratica/"
    status, location = status_of(url)
    assert status == 301
    assert location.endswith("/es/services/democratic-funding/")
    tab = no_js.new_page()
    try:
        tab.goto(url)
        expect(tab).to_have_url(f"{servers.frontend}/es/services/democratic-funding/")
        expect(tab.locator("main h1")).to_have_text("Crowdfunding cívico")
    finally:
        tab.close()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        # Any form of an accented path finds the page; an escaped NUL or a way out of the
        # build folder finds nothing, and nothing breaks.
        ("/es/services/democratic-funding/", 200),
        ("/es/services/democratic%2Dfunding/", 200),
        ("/es/%00/", 400),
        ("/es/%2e%2e/%2e%2e/etc/passwd/", 404),
    ],
    ids=["plain", "escaped", "nul", "dot-dot"],
)
def test_the_public_site_reads_any_form_of_a_path(servers, path, status):
    assert status_of(f"{servers.frontend}{path}")[0] == status

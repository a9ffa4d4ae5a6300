"""The public site in each language, rendered by the frontend from the CMS's API: its own
words before another language's site texts, languages named in the reader's language, a
note wherever content of another language is shown, and the demo's Catalan site."""

from __future__ import annotations

import pytest

from tests.factories import make_member, make_site_texts, make_standard_page
from tests.frontend.cms_render import needs_node, render
from tests.graphql_api.conftest import translate_snippet

pytestmark = [pytest.mark.django_db, needs_node]


@pytest.mark.parametrize(
    ("catalan", "skip"),
    [(None, "Ves al contingut"), ("Salta al contingut", "Salta al contingut")],
    ids=["only-a-spanish-text", "a-catalan-text"],
)
def test_a_catalan_page_prefers_its_own_words_to_a_spanish_site_text(
    site_structure, locales, client, catalan, skip
):
    """The API serves the Spanish text to a Catalan page (fallback, key by key) and says it
    is Spanish: the frontend's built-in Catalan words win, a Catalan site text wins over
    both."""
    make_site_texts(locales["es"], strings=[("skip_to_content", "Ir al contenido")])
    if catalan:
        make_site_texts(locales["ca"], strings=[("skip_to_content", catalan)])
    pages = render(client, "/ca/", "/en/", "/es/")
    assert {path: page["skip"] for path, page in pages.items()} == {
        "/ca/": skip,
        "/en/": "Skip to content",
        "/es/": "Ir al contenido",
    }


def test_the_fallback_notice_names_the_language_in_the_readers_language(
    site_structure, locales, client, settings
):
    homes = site_structure.homes
    make_standard_page(homes["es"], title="Solo en castellano", slug="solo")
    make_standard_page(homes["en"], title="Only in English", slug="only-english")
    pages = render(client, "/ca/solo/", "/en/solo/", "/es/only-english/", "/ca/only-english/")
    assert {path: page["notices"] for path, page in pages.items()} == {
        "/ca/solo/": ["Aquesta pàgina encara no està traduïda; es mostra en castellà."],
        "/en/solo/": ["This page is not translated yet; it is shown in Spanish."],
        "/es/only-english/": ["Esta página todavía no está traducida; se muestra en inglés."],
        "/ca/only-english/": ["Aquesta pàgina encara no està traduïda; es mostra en anglès."],
    }
    # The page is the reader's language; the content (after the note) is marked as its own.
    solo = pages["/ca/solo/"]
    assert (solo["status"], solo["lang"], solo["parts"][1:]) == (200, "ca", ["es"])

    # Catalan as the language others fall back to.
    settings.CIVIC_LANGUAGE_FALLBACKS = {"es": ["ca"], "en": ["ca"]}
    make_standard_page(homes["ca"], title="Només en català", slug="nomes")
    pages = render(client, "/es/nomes/", "/en/nomes/")
    assert {path: page["notices"] for path, page in pages.items()} == {
        "/es/nomes/": ["Esta página todavía no está traducida; se muestra en catalán."],
        "/en/nomes/": ["This page is not translated yet; it is shown in Catalan."],
    }


def test_the_team_page_says_which_members_are_not_translated(site_structure, locales, client):
    ana = make_member(locales["es"], slug="ag", name="Ana García", position="Coordinadora")
    make_member(locales["es"], slug="bm", name="Berta Mas", position="Diseñadora")
    translate_snippet(ana, locales["ca"], position="Coordinadora")
    pages = render(client, "/ca/team/", "/en/team/", "/es/team/")
    assert {path: (page["notices"], page["members"]) for path, page in pages.items()} == {
        "/ca/team/": (
            ["Una part d'aquesta pàgina encara no està traduïda; es mostra en castellà."],
            [["Ana García", None], ["Berta Mas", "es"]],
        ),
        "/en/team/": (
            ["This page is not translated yet; it is shown in Spanish."],
            [["Ana García", "es"], ["Berta Mas", "es"]],
        ),
        "/es/team/": ([], [["Ana García", None], ["Berta Mas", None]]),
    }


CATALAN_NAV = ["/ca/", "/ca/services/", "/ca/about-us/", "/ca/projects/", "/ca/contact/"]
CATALAN_FOOTER = [
    "/ca/services/",
    "/ca/about-us/",
    "/ca/contact/",
    "https://example.org/civic-cms",
    "/ca/legal-notice/",
    "/ca/privacy-policy/",
    "https://mastodon.example.org/@civic",
    "https://github.com/example/civic-cms",
]


def test_the_demo_is_a_catalan_site(demo_page, client):
    paths = [
        "/ca/",
        "/ca/services/",
        "/ca/services/democratic-funding/",
        "/ca/projects/neighbourhood-fund/",
        "/ca/team/",
        "/ca/about-us/",
    ]
    pages = render(client, *paths)
    assert {path: page["title"] for path, page in pages.items()} == {
        "/ca/": "Inici · Civic CMS",
        "/ca/services/": "Serveis · Civic CMS",
        "/ca/services/democratic-funding/": "Crowdfunding cívic · Civic CMS",
        "/ca/projects/neighbourhood-fund/": "Fons de barri · Civic CMS",
        "/ca/team/": "El nostre equip · Civic CMS",
        "/ca/about-us/": "Qui som · Civic CMS",
    }
    for page in pages.values():
        assert (page["status"], page["lang"], page["notices"]) == (200, "ca", [])
        assert (page["skip"], page["nav"], page["footer"]) == (
            "Salta al contingut",
            CATALAN_NAV,
            CATALAN_FOOTER,
        )
    assert pages["/ca/team/"]["members"] == [["Ana Ruiz", None], ["Bruno Soler", None]]


def test_a_demo_member_not_in_catalan_is_noted_on_the_project_and_the_team(demo_page, client):
    from cms.models import Member
    from projects.models import ProjectMember

    # The Catalan project then names the Spanish version, as when it was never translated.
    catalan = Member.objects.get(slug="bs", locale__language_code="ca")
    spanish = Member.objects.get(slug="bs", locale__language_code="es")
    for link in ProjectMember.objects.filter(member=catalan):
        link.member = spanish
        link.save()
    catalan.delete()
    pages = render(client, "/ca/projects/neighbourhood-fund/", "/ca/team/")
    note = "Una part d'aquesta pàgina encara no està traduïda; es mostra en castellà."
    assert {path: (page["notices"], page["members"]) for path, page in pages.items()} == {
        "/ca/projects/neighbourhood-fund/": (
            [note],
            [["Ana Ruiz", None], ["Bruno Soler", "es"]],
        ),
        "/ca/team/": ([note], [["Ana Ruiz", None], ["Bruno Soler", "es"]]),
    }

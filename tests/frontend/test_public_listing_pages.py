"""The listing pages' own fields on the public site: the team, projects, services and
categories pages show the title, introduction and picture their CMS page holds (the old
site's listing pages are imported there), and the projects filter its own label."""

from __future__ import annotations

import pytest

from team.models import TeamIndexPage
from tests.factories import make_image
from tests.frontend.cms_render import needs_node, render

pytestmark = [pytest.mark.django_db, needs_node]


def _publish(page):
    page.save_revision().publish()


def test_the_listing_pages_show_their_own_title_introduction_and_picture(
    site_structure, locales, client
):
    team = site_structure.homes["es"].add_child(
        instance=TeamIndexPage(
            title="Quiénes somos",
            slug="team",
            intro="Un equipo **pequeño** y cercano.",
            image=make_image("Equipo"),
            image_alt="El equipo en el taller",
        )
    )
    _publish(team)
    projects = site_structure.project_indexes["es"]
    projects.intro = "Lo que hacemos con otras organizaciones."
    projects.image = make_image("Proyectos")
    projects.image_alt = "Una asamblea"
    projects.category_filter_label = "Ámbito de trabajo"
    _publish(projects)
    services = site_structure.service_indexes["es"]
    services.image = make_image("Servicios")
    services.image_alt = "Un taller"
    _publish(services)
    categories = site_structure.category_indexes["es"]
    categories.image = make_image("Ámbitos")
    categories.image_alt = "Un mapa"
    _publish(categories)

    pages = render(
        client, "/es/team/", "/en/team/", "/es/projects/", "/es/services/", "/es/categories/"
    )

    seen = {
        path: (page["status"], page["heading"], page["intro"], page["picture"])
        for path, page in pages.items()
    }
    assert seen == {
        "/es/team/": (
            200,
            "Quiénes somos",
            "Un equipo pequeño y cercano.",
            "El equipo en el taller",
        ),
        # No team listing page in English: the interface's own title, nothing else.
        "/en/team/": (200, "Our team", "", None),
        "/es/projects/": (
            200,
            projects.title,
            "Lo que hacemos con otras organizaciones.",
            "Una asamblea",
        ),
        "/es/services/": (200, services.title, "", "Un taller"),
        "/es/categories/": (200, categories.title, "", "Un mapa"),
    }
    assert pages["/es/team/"]["title"].startswith("Quiénes somos")
    assert pages["/es/projects/"]["categoryLabel"] == "Ámbito de trabajo"


def test_without_their_own_texts_the_listing_pages_keep_the_interfaces(site_structure, client):
    pages = render(client, "/es/team/", "/es/projects/")
    assert {path: (page["heading"], page["picture"]) for path, page in pages.items()} == {
        "/es/team/": ("Nuestro equipo", None),
        "/es/projects/": (site_structure.project_indexes["es"].title, None),
    }
    assert pages["/es/projects/"]["categoryLabel"] == "Categoría"

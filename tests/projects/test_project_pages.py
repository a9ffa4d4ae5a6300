"""Project and category pages on Wagtail's own serving, and their links on the edit screens."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from categories.models import CategoryPage, CategoryService
from cms.models import Collaborator, Member
from projects.models import (
    ProjectCategory,
    ProjectCollaborator,
    ProjectMember,
    ProjectPage,
    ProjectService,
    ProjectState,
)
from tests.factories import make_service

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def content(site_structure, locales):
    es = locales["es"]
    service = make_service(site_structure.service_indexes["es"], title="Crowdfunding", slug="cf")
    hidden = make_service(site_structure.service_indexes["es"], title="Borrador", slug="draft")
    hidden.unpublish()
    state = ProjectState.objects.create(slug="open", title="Abierto", color="green", locale=es)
    member = Member.objects.create(slug="ag", name="Ana García", position="Directora", locale=es)
    partner = Collaborator.objects.create(slug="coop", name="La Coop", locale=es)
    category = CategoryPage(title="Economía", slug="económica", subtitle="Financiar **juntas**")
    site_structure.category_indexes["es"].add_child(instance=category)
    category.service_links.add(CategoryService(service=service))
    _publish(category)
    project = ProjectPage(
        title="Goteo",
        slug="goteo",
        subtitle="Más que *crowdfunding*",
        budget="600.000",
        state=state,
    )
    site_structure.project_indexes["es"].add_child(instance=project)
    project.service_links.add(ProjectService(service=service))
    project.service_links.add(ProjectService(service=hidden))
    project.category_links.add(ProjectCategory(category=category))
    project.member_links.add(ProjectMember(member=member))
    project.collaborator_links.add(ProjectCollaborator(collaborator=partner))
    _publish(project)
    return {
        "service": service,
        "hidden": hidden,
        "category": category,
        "project": project,
        "member": member,
        "partner": partner,
    }


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_project_page_shows_its_public_links_only(client, content):
    response = client.get("/es/projects/goteo/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "Abierto" in html
    assert '<a href="/es/services/cf/">Crowdfunding</a>' in html
    assert "Borrador" not in html
    assert "Ana García, Directora" in _text(html)


def test_category_page_lists_services_and_projects_that_name_it(client, content):
    response = client.get("/es/categories/económica/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/es/services/cf/">Crowdfunding</a>' in html
    assert '<a href="/es/projects/goteo/">Goteo</a>' in html


def test_category_page_hides_a_private_project(client, content):
    PageViewRestriction.objects.create(
        page=content["project"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = client.get("/es/categories/económica/").content.decode()
    assert "Goteo" not in html


def test_index_pages_list_live_children(client, content):
    assert '<a href="/es/projects/goteo/">Goteo</a>' in client.get("/es/projects/").content.decode()
    html = client.get("/es/categories/").content.decode()
    assert '<a href="/es/categories/econ%C3%B3mica/">Economía</a>' in html


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("target", "url", "expected"),
    [
        (
            "service",
            "/admin/pages/{pk}/edit/",
            ["Projects using this service", "Goteo", "Categories", "Economía"],
        ),
        ("category", "/admin/pages/{pk}/edit/", ["Projects in this category", "Goteo"]),
        ("member", "/admin/snippets/cms/member/edit/{pk}/", ["Projects", "Goteo"]),
        ("partner", "/admin/snippets/cms/collaborator/edit/{pk}/", ["Projects", "Goteo"]),
    ],
)
def test_edit_screens_show_reverse_links_read_only(client, editor, content, target, url, expected):
    response = client.get(url.format(pk=content[target].pk))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index(expected[0]) :]
    for text in expected[1:]:
        assert text in section
    project_edit = f"/admin/pages/{content['project'].pk}/edit/"
    assert f'<a href="{project_edit}">Goteo</a>' in section


def test_collaborator_edit_screen_lists_services_naming_it_in_their_body(
    client, editor, content, site_structure
):
    partner = content["partner"]
    make_service(
        site_structure.service_indexes["es"],
        title="Asambleas",
        slug="asambleas",
        body=[("collaborators", {"title": "", "collaborators": [partner]})],
    )
    html = client.get(f"/admin/snippets/cms/collaborator/edit/{partner.pk}/").content.decode()
    section = html[html.index("Service pages name collaborators") :]
    assert "Asambleas" in section
    assert "Crowdfunding" not in section

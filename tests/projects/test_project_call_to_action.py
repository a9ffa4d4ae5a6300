"""A project page's call to action in the admin: its field says what it is for, comes last
like the invitation it holds, and a draft may hold one still being written."""

import pytest
from django.utils import translation
from django.utils.html import escape

from projects.models import ProjectPage
from tests.factories import make_project

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]

LINK_ROWS = ("service_links", "category_links", "member_links", "collaborator_links")


@pytest.fixture
def project(site_structure):
    return make_project(site_structure.project_indexes["es"], title="Huertos", slug="huertos")


def edit_data(page, cta: dict, *, publish: bool) -> dict:
    """The edit form of ``page`` with one call to action in its own field, as the admin
    posts it (no link rows, an empty body)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "subtitle": "",
        "description": "",
        "banner_image": "",
        "banner_image_alt": "",
        "start_date": "",
        "end_date": "",
        "date": "",
        "state": "",
        "budget": "",
        "private_percentage": "",
        "public_percentage": "",
        "looking_for_finance_percentage": "",
        "body-count": "0",
        "call_to_action-count": "1",
        "call_to_action-0-type": "call_to_action",
        "call_to_action-0-deleted": "",
        "call_to_action-0-order": "0",
        "call_to_action-0-id": "",
        "call_to_action-0-value-text": cta["text"],
        "call_to_action-0-value-button_label": cta["button_label"],
        "call_to_action-0-value-form": "",
        "call_to_action-0-value-page": "",
        "call_to_action-0-value-url": cta["url"],
        "call_to_action-0-value-image": "",
        "call_to_action-0-value-image_alt": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    for rows in LINK_ROWS:
        data.update(
            {
                f"{rows}-TOTAL_FORMS": "0",
                f"{rows}-INITIAL_FORMS": "0",
                f"{rows}-MIN_NUM_FORMS": "0",
                f"{rows}-MAX_NUM_FORMS": "1000",
            }
        )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_saving_a_draft_keeps_an_unfinished_call_to_action(admin_client, project):
    revisions = project.revisions.count()
    unfinished = {"text": "¿Te sumas?", "button_label": "", "url": ""}
    url = f"/admin/pages/{project.pk}/edit/"
    response = admin_client.post(url, edit_data(project, unfinished, publish=False))
    assert (response.status_code, response["Location"]) == (302, url)
    assert project.revisions.count() == revisions + 1
    draft = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert [(b.value["text"], b.value["button_label"]) for b in draft.call_to_action] == [
        ("¿Te sumas?", "")
    ]

    response = admin_client.post(url, edit_data(project, unfinished, publish=True))
    assert response.status_code == 200
    error = response.context["form"].errors["call_to_action"].as_data()[0].block_errors[0]
    with translation.override("en"):
        assert {name: list(e.messages) for name, e in error.block_errors.items()} == {
            "button_label": ["This field is required."]
        }
    assert project.revisions.count() == revisions + 1
    assert len(ProjectPage.objects.get(pk=project.pk).call_to_action) == 0


def test_publishing_a_complete_call_to_action(admin_client, project):
    complete = {"text": "¿Te sumas?", "button_label": "Apúntate", "url": "#alta"}
    response = admin_client.post(
        f"/admin/pages/{project.pk}/edit/", edit_data(project, complete, publish=True)
    )
    assert response.status_code == 302
    live = ProjectPage.objects.get(pk=project.pk)
    assert [(b.value["button_label"], b.value.link_url) for b in live.call_to_action] == [
        ("Apúntate", "#alta")
    ]


def test_the_field_says_it_is_the_invitation_at_the_end(admin_client, project):
    field = ProjectPage._meta.get_field("call_to_action")
    assert field.verbose_name == "call to action at the end of the page"
    assert field.help_text == (
        "The page's call to action: the invitation shown at the end of the page, after "
        "everything else, e.g. ¿Quieres saber más? with a button that opens the contact form. "
        'For an invitation in the middle of the story, add a "Call to action in the text" '
        "block to the body instead."
    )
    # The form follows the page: the body, then the invitation that ends it.
    assert ProjectPage.content_panels[-2:] == ["body", "call_to_action"]
    html = admin_client.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    assert "Call to action at the end of the page" in html
    assert escape(field.help_text) in html

"""A service page's calls to action in the admin: which field is for which, and drafts that
hold one still being written."""

import pytest
from django.utils import translation
from django.utils.html import escape

from services.models import ServicePage
from services.stream import ServiceBodyBlock
from tests.factories import make_service

# The CMS's own HTML: read with no public site configured (else it redirects there).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cms_templates")]

UNFINISHED = {"text": "¿Quieres un huerto en tu barrio?", "button_label": "", "url": ""}
COMPLETE = {"text": "¿Quieres un huerto en tu barrio?", "button_label": "Escríbenos", "url": "#c"}


@pytest.fixture
def service(site_structure):
    return make_service(site_structure.service_indexes["es"], title="Huertos", slug="huertos")


def edit_data(page, field: str, cta: dict, *, publish: bool) -> dict:
    """The edit form of ``page`` with one call to action in ``field`` (the page's own field,
    or the body), as the admin posts it."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "description": "",
        "image": "",
        "image_alt": "",
        "body-count": "0",
        "call_to_action-count": "0",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        f"{field}-count": "1",
        f"{field}-0-type": "call_to_action",
        f"{field}-0-deleted": "",
        f"{field}-0-order": "0",
        f"{field}-0-id": "",
        f"{field}-0-value-text": cta["text"],
        f"{field}-0-value-button_label": cta["button_label"],
        f"{field}-0-value-form": "",
        f"{field}-0-value-page": "",
        f"{field}-0-value-url": cta["url"],
        f"{field}-0-value-image": "",
        f"{field}-0-value-image_alt": "",
    }
    if publish:
        data["action-publish"] = "action-publish"
    return data


def block_errors(response, field: str) -> dict[str, list[str]]:
    """The errors on the fields of the first block of ``field`` in the edit form the admin
    answered with, as an English-speaking editor reads them."""
    error = response.context["form"].errors[field].as_data()[0].block_errors[0]
    with translation.override("en"):
        return {name: list(e.messages) for name, e in error.block_errors.items()}


FIELDS = pytest.mark.parametrize("field", ["call_to_action", "body"])


@FIELDS
def test_saving_a_draft_keeps_an_unfinished_call_to_action(admin_client, service, field):
    revisions = service.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", edit_data(service, field, UNFINISHED, publish=False)
    )
    assert (response.status_code, response["Location"]) == (302, f"/admin/pages/{service.pk}/edit/")
    assert service.revisions.count() == revisions + 1
    draft = ServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    cta = getattr(draft, field)[0]
    assert (cta.block_type, cta.value["text"], cta.value["button_label"], cta.value.link_url) == (
        "call_to_action",
        "¿Quieres un huerto en tu barrio?",
        "",
        None,
    )
    # The published page is as it was: a draft changes nothing public.
    live = ServicePage.objects.get(pk=service.pk)
    assert (live.live, len(live.call_to_action), len(live.body)) == (True, 0, 0)


@FIELDS
def test_autosave_keeps_an_unfinished_call_to_action(admin_client, service, field):
    revisions = service.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/",
        edit_data(service, field, UNFINISHED, publish=False),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is True
    assert service.revisions.count() == revisions + 1
    assert service.revisions.order_by("-created_at", "-pk").first().pk == answer["revision_id"]


@FIELDS
def test_publishing_refuses_an_unfinished_call_to_action_on_its_field(admin_client, service, field):
    revisions = service.revisions.count()
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", edit_data(service, field, UNFINISHED, publish=True)
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert block_errors(response, field) == {
        "button_label": ["This field is required."],
    }
    assert service.revisions.count() == revisions

    labelled = {**UNFINISHED, "button_label": "Escríbenos"}
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", edit_data(service, field, labelled, publish=True)
    )
    assert response.status_code == 200
    assert block_errors(response, field) == {
        "url": [
            "The button must lead somewhere: choose a form or a page, or enter a URL or anchor."
        ],
    }
    assert "The button must lead somewhere" in response.content.decode()
    assert service.revisions.count() == revisions
    assert len(getattr(ServicePage.objects.get(pk=service.pk), field)) == 0


@FIELDS
def test_publishing_a_complete_call_to_action(admin_client, service, field):
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/", edit_data(service, field, COMPLETE, publish=True)
    )
    assert response.status_code == 302
    live = ServicePage.objects.get(pk=service.pk)
    cta = getattr(live, field)[0]
    assert (live.live, cta.value["button_label"], cta.value.link_url) == (True, "Escríbenos", "#c")
    assert live.get_latest_revision().pk == live.live_revision_id


def test_a_draft_still_refuses_an_unsafe_link(admin_client, service):
    unsafe = {**UNFINISHED, "url": "javascript:alert(1)"}
    response = admin_client.post(
        f"/admin/pages/{service.pk}/edit/",
        edit_data(service, "call_to_action", unsafe, publish=False),
    )
    assert response.status_code == 200
    assert block_errors(response, "call_to_action") == {
        "url": ["Enter a web address that starts with http:// or https:// (got javascript:)."],
    }


def test_the_page_field_and_the_body_block_say_which_is_which(admin_client, service):
    field = ServicePage._meta.get_field("call_to_action")
    assert field.verbose_name == "call to action at the end of the page"
    assert field.help_text == (
        "The page's call to action: the invitation shown at the end of the page, after the "
        "body, e.g. ¿Quieres saber más? with a button that opens the contact form. For an "
        'invitation in the middle of the text, add a "Call to action in the text" block to '
        "the body instead."
    )
    body_block = ServiceBodyBlock().child_blocks["call_to_action"]
    assert body_block.label == "Call to action in the text"
    assert body_block.meta.description == "An invitation with a button in the middle of the text."
    assert body_block.meta.help_text == (
        "An invitation in the middle of the text, next to the passage it follows from. The "
        "invitation at the end of a service or project page is not added here: it has its own "
        'field, "Call to action at the end of the page".'
    )
    html = admin_client.get(f"/admin/pages/{service.pk}/edit/").content.decode()
    assert "Call to action at the end of the page" in html
    assert escape(field.help_text) in html


def test_the_listings_bulk_publish_refuses_an_unfinished_draft(admin_client, service):
    other = make_service(
        service.get_parent(), title="Bancos de tiempo", slug="bancos-de-tiempo", publish=False
    )
    admin_client.post(  # followed: the saved draft's message is shown there
        f"/admin/pages/{service.pk}/edit/",
        edit_data(service, "body", UNFINISHED, publish=False),
        follow=True,
    )
    listing = f"/admin/pages/{service.get_parent().pk}/"
    url = f"/admin/bulk/wagtailcore/page/publish/?id={service.pk}&id={other.pk}&next={listing}"
    response = admin_client.post(url, {}, follow=True)
    assert response.redirect_chain == [(listing, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "'Huertos' was not published: its draft has an unfinished block in body. "
        "Open the page to finish it."
    ]
    # Nothing of the selection was published: the editor chooses again.
    live = ServicePage.objects.get(pk=service.pk)
    assert (len(live.body), ServicePage.objects.get(pk=other.pk).live) == (0, False)
    # Finished, the same bulk action publishes it.
    admin_client.post(
        f"/admin/pages/{service.pk}/edit/", edit_data(service, "body", COMPLETE, publish=False)
    )
    admin_client.post(url, {})
    live = ServicePage.objects.get(pk=service.pk)
    assert (live.body[0].value.link_url, ServicePage.objects.get(pk=other.pk).live) == ("#c", True)

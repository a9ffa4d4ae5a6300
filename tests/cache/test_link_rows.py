"""Issue 14's content and the invalidation registry: what renews the generation and what not.

Link rows (a project's services, categories, members and collaborators; a category's
services) are live content the API reads, in both directions. Publishing writes them with
the page; a draft commits none (modelcluster commits child relations only on a full save),
so drafts still renew nothing. A row written outside a publish renews by itself. Team
members and project states are snippets: saves and deletes renew.
"""

import pytest

from categories.models import CategoryService
from graphql_api import invalidation
from graphql_api.invalidation import REGISTRY, Event, events_for
from projects.models import (
    ProjectCategory,
    ProjectCollaborator,
    ProjectMember,
    ProjectPage,
    ProjectService,
)
from tests.factories import make_member, make_service, make_state

pytestmark = pytest.mark.django_db

LINK_MODELS = [ProjectService, ProjectCategory, ProjectMember, ProjectCollaborator, CategoryService]
SERVICE_PROJECTS = '{ service(slug: "financiacion") { projects { title } } }'


def test_link_rows_are_watched_on_save_and_delete():
    for model in LINK_MODELS:
        assert events_for(model) == {Event.SAVE, Event.DELETE}, model


def test_a_link_row_written_outside_a_publish_renews(project_world, site_structure, renews):
    w = project_world
    other = make_service(site_structure.service_indexes["es"], title="Otro", slug="otro")
    row = ProjectService(project=w["project"], service=other)
    assert renews(row.save) is True
    assert renews(row.delete) is True
    assert renews(lambda: CategoryService.objects.create(category=w["category"], service=other))
    assert renews(ProjectMember.objects.filter(member=w["bea"]).delete) is True


@pytest.mark.parametrize("model", LINK_MODELS, ids=lambda model: model.__name__)
def test_without_its_entry_a_link_row_renews_nothing(model, project_world, monkeypatch, renews):
    """The wiring reads the registry: without the entry, the same write renews nothing."""
    label = f"{model._meta.app_label}.{model.__name__}"
    monkeypatch.setattr(invalidation, "REGISTRY", tuple(w for w in REGISTRY if w.model != label))
    invalidation._fixed_events.cache_clear()
    try:
        row = model.objects.first()
        assert renews(row.save) is False
    finally:
        invalidation._fixed_events.cache_clear()


def test_a_draft_that_changes_links_renews_nothing_until_published(
    project_world, site_structure, graphql, renews
):
    w = project_world
    other = make_service(site_structure.service_indexes["es"], title="Otro", slug="otro")
    assert graphql(SERVICE_PROJECTS)["data"]["service"]["projects"] == [{"title": "Goteo Cultura"}]
    page = ProjectPage.objects.get(pk=w["project"].pk)
    page.service_links.set([ProjectService(service=other)])

    revision = None

    def draft():
        nonlocal revision
        revision = page.save_revision()

    assert renews(draft) is False
    # The rows in the database are the live ones: the API answers as before.
    assert graphql(SERVICE_PROJECTS)["data"]["service"]["projects"] == [{"title": "Goteo Cultura"}]
    assert renews(revision.publish) is True
    assert graphql(SERVICE_PROJECTS)["data"]["service"]["projects"] == []
    assert graphql('{ service(slug: "otro") { projects { title } } }') == {
        "data": {"service": {"projects": [{"title": "Goteo Cultura"}]}}
    }


def test_members_and_states_renew_on_save_and_delete(locales, renews):
    member = make_member(locales["es"], slug="zz", name="Zoe")
    state = make_state(locales["es"], slug="paused", title="Pausado")
    outcomes = {
        "member created": renews(lambda: make_member(locales["es"], slug="yy", name="Yo")),
        "member saved": renews(lambda: (setattr(member, "name", "Zoé"), member.save())),
        "member deleted": renews(member.delete),
        "state created": renews(lambda: make_state(locales["es"], slug="done", title="Hecho")),
        "state saved": renews(lambda: (setattr(state, "color", "red"), state.save())),
        "state deleted": renews(state.delete),
    }
    assert outcomes == dict.fromkeys(outcomes, True)

"""The invalidation registry: every change that can alter a public answer renews the content
generation, and nothing an editor does on a draft does.

Each renewing change is tried against the full registry, then (parametrised) against the
registry without the entry it depends on: the change then renews nothing, which shows the
wiring is read from the registry and no other list.
"""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowTask,
)

from cms.models import Collaborator, ImportRecord
from delivery.models import FrontendSettings
from delivery.preview import issue_token
from graphql_api import invalidation
from graphql_api.invalidation import (
    DOCUMENTS,
    IMAGES,
    REGISTRY,
    RENDITIONS,
    SNIPPETS,
    Event,
    events_for,
)
from tests.factories import make_image, make_member

pytestmark = pytest.mark.django_db


def make_document(title="Informe", collection=None):
    document = get_document_model()(title=title)
    if collection is not None:
        document.collection = collection
    document.file = ContentFile(b"%PDF-1.4 test", name=f"{title}.pdf")
    document.save()
    return document


def child_collection(name: str, parent: Collection | None = None) -> Collection:
    return (parent or Collection.get_first_root_node()).add_child(name=name)


@pytest.fixture
def page(demo_page):
    return Page.objects.get(pk=demo_page.pk).specific


@pytest.fixture
def group(db):
    return Group.objects.create(name="Socias")


# Changes that renew -----------------------------------------------------------------------


def schedule(page):
    """Publish with a future go-live date: a live page only marks the revision."""
    page.go_live_at = timezone.now() + timedelta(days=2)
    revision = page.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at == page.go_live_at
    assert Page.objects.get(pk=page.pk).live_revision_id != revision.pk


def test_every_change_of_a_public_answer_renews(page, site_structure, group, renews):
    other_index = site_structure.service_indexes["en"]
    image = make_image("Foto")
    document = make_document()
    rendition = image.get_rendition("width-100")
    private = child_collection("Privada")
    moved = child_collection("Suelta")
    collaborator = Collaborator.objects.get(slug="goteo", locale__language_code="es")
    site = Site.objects.get(is_default_site=True)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="groups"
    )
    english = page.get_translations().get(locale__language_code="en").specific

    def retitle_and_publish():
        page.title = "Otro título"
        page.save_revision().publish()

    outcomes = {
        "publish": renews(retitle_and_publish),
        "unpublish": renews(english.unpublish),
        "schedule": renews(lambda: schedule(page)),
        "move": renews(lambda: english.move(other_index, pos="first-child")),
        "page restriction (login)": renews(
            lambda: PageViewRestriction.objects.create(page=english, restriction_type="login")
        ),
        "page restriction (password)": renews(
            lambda: PageViewRestriction.objects.create(
                page=site_structure.homes["ca"], restriction_type="password", password="x"
            )
        ),
        "page restriction group added": renews(lambda: restriction.groups.add(group)),
        "page restriction group removed": renews(lambda: restriction.groups.remove(group)),
        "page restriction deleted": renews(restriction.delete),
        "collection restriction (login)": renews(
            lambda: CollectionViewRestriction.objects.create(
                collection=moved, restriction_type="login"
            )
        ),
        "collection restriction group added": renews(
            lambda: collection_restriction.groups.add(group)
        ),
        "collection restriction group cleared": renews(collection_restriction.groups.clear),
        "collection restriction deleted": renews(collection_restriction.delete),
        "image saved": renews(lambda: make_image("Nueva")),
        "image moved to a private collection": renews(
            lambda: (setattr(image, "collection", private), image.save())
        ),
        "rendition deleted": renews(rendition.delete),
        "document saved": renews(lambda: make_document("Otro")),
        "document moved to a private collection": renews(
            lambda: (setattr(document, "collection", private), document.save())
        ),
        "document deleted": renews(document.delete),
        "image deleted": renews(image.delete),
        "collection saved": renews(lambda: child_collection("Nueva")),
        "Collection.move": renews(lambda: moved.move(private, pos="sorted-child")),
        "collection deleted": renews(lambda: Collection.objects.get(pk=moved.pk).delete()),
        "snippet saved": renews(
            lambda: (setattr(collaborator, "name", "Goteo 2"), collaborator.save())
        ),
        "snippet created": renews(
            lambda: Collaborator.objects.create(
                name="Nueva", slug="nueva", locale=collaborator.locale
            )
        ),
        "snippet deleted": renews(collaborator.delete),
        "site hostname": renews(lambda: (setattr(site, "hostname", "civic.test"), site.save())),
        "locale added": renews(lambda: Locale.objects.create(language_code="fr")),
        "locale deleted": renews(lambda: Locale.objects.get(language_code="fr").delete()),
        "page deleted": renews(english.delete),
    }
    assert outcomes == dict.fromkeys(outcomes, True)


def test_a_snippet_registered_later_is_watched(monkeypatch, renews, db):
    """Snippets are asked from Wagtail at each signal, not listed once at start-up."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.snippets import models as snippets

    def record(slug):
        return lambda: ImportRecord.objects.create(
            collection="x", slug=slug, language_code="es", source_path="x.md",
            content_hash="0", content_type=ContentType.objects.get_for_model(Page), object_id=1,
        )  # fmt: skip

    assert (events_for(ImportRecord), renews(record("a"))) == (frozenset(), False)
    monkeypatch.setattr(snippets, "SNIPPET_MODELS", [*snippets.SNIPPET_MODELS, ImportRecord])
    assert events_for(ImportRecord) == {Event.LIVE_SAVE, Event.DELETE}
    assert renews(record("b")) is True
    assert renews(ImportRecord.objects.get(slug="b").delete) is True


# Editors' work that must not renew ---------------------------------------------------------


@pytest.fixture
def two_step_workflow(group):
    workflow = Workflow.objects.create(name="Dos pasos")
    for order, name in enumerate(("Revisión", "Aprobación")):
        task = GroupApprovalTask.objects.create(name=name)
        task.groups.add(group)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def test_drafts_previews_locks_and_workflow_steps_renew_nothing(
    page, admin_user, client, two_step_workflow, renews
):
    def draft():
        page.title = "Borrador"
        page.save_revision(user=admin_user)

    def autosave():
        latest = page.save_revision(user=admin_user)
        page.title = "Borrador (autoguardado)"
        again = page.save_revision(user=admin_user, overwrite_revision=latest)
        assert again.pk == latest.pk

    def api_preview():
        token = issue_token(page)
        query = "query ($t: String) { page(previewToken: $t) { title } }"
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": {"t": token}}),
            content_type="application/json",
        )
        assert response.json() == {"data": {"page": {"title": "Borrador (autoguardado)"}}}

    def lock():
        page.locked, page.locked_by, page.locked_at = True, admin_user, timezone.now()
        page.save(update_fields=["locked", "locked_by", "locked_at"])

    def unlock():
        page.locked, page.locked_by, page.locked_at = False, None, None
        page.save(update_fields=["locked", "locked_by", "locked_at"])

    state = {}

    def start_workflow():
        page.save_revision(user=admin_user)
        state["workflow"] = two_step_workflow.start(page, admin_user)

    def approve_first_step():
        workflow_state = state["workflow"]
        workflow_state.current_task_state.approve(user=admin_user)
        workflow_state.refresh_from_db()
        assert workflow_state.current_task_state.task.name == "Aprobación"

    def reject():
        state["workflow"].current_task_state.reject(user=admin_user)

    outcomes = {
        "draft (save_revision)": renews(draft),
        "autosave (revision overwritten)": renews(autosave),
        "preview in the frontend": renews(
            lambda: page.make_preview_request(preview_mode="frontend")
        ),
        "preview through the API": renews(api_preview),
        "lock": renews(lock),
        "unlock": renews(unlock),
        "workflow started": renews(start_workflow),
        "workflow step approved (not the last)": renews(approve_first_step),
        "workflow step rejected": renews(reject),
        "rendition made while reading": renews(lambda: page.image.get_rendition("width-300")),
    }
    assert outcomes == dict.fromkeys(outcomes, False)
    live = Page.objects.get(pk=page.pk)
    assert (live.title, live.draft_title) == ("Crowdfunding cívico", "Borrador (autoguardado)")


# Each entry drives its events ---------------------------------------------------------------


def _link_row_change(entry: str, page):
    """Issue 14's link rows: one written outside a publish, naming the demo service."""
    from cms.site_structure import ensure_site_structure
    from tests.factories import make_category, make_member, make_project

    structure = ensure_site_structure()
    project = make_project(structure.project_indexes["es"], title="Enlaces", slug="enlaces")
    category = make_category(structure.category_indexes["es"], title="Área", slug="area-x")
    member = make_member(page.locale, slug="zz", name="Zoe")
    collaborator = Collaborator.objects.get(slug="goteo", locale__language_code="es")
    model = apps.get_model(entry)
    fields = {
        "projects.ProjectService": {"project": project, "service": page},
        "projects.ProjectCategory": {"project": project, "category": category},
        "projects.ProjectMember": {"project": project, "member": member},
        "projects.ProjectCollaborator": {"project": project, "collaborator": collaborator},
        "categories.CategoryService": {"category": category, "service": page},
    }[entry]
    return lambda: model.objects.create(**fields)


def _translation_change(entry: str, page):
    """A change of one of wagtail-localize's tables, and of no other: a source and its
    segments exist first."""
    from django.utils import timezone
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationLog,
        TranslationSource,
    )

    source, _created = TranslationSource.get_or_create_from_instance(page)
    segment = StringSegment.objects.filter(source=source).select_related("string").first()
    catalan = Locale.objects.get(language_code="ca")
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=catalan)
    translated, _created = StringTranslation.objects.get_or_create(
        translation_of=segment.string,
        locale=catalan,
        context=segment.context,
        defaults={"data": "Text"},
    )
    return {
        "wagtail_localize.Translation": lambda: (
            setattr(translation, "enabled", not translation.enabled),
            translation.save(),
        ),
        "wagtail_localize.TranslationSource": lambda: (
            setattr(source, "last_updated_at", timezone.now()),
            source.save(),
        ),
        "wagtail_localize.StringSegment": lambda: (
            setattr(segment, "order", segment.order + 100),
            segment.save(),
        ),
        "wagtail_localize.StringTranslation": lambda: (
            setattr(translated, "data", "Other text"),
            translated.save(),
        ),
        "wagtail_localize.TranslationLog": lambda: TranslationLog.objects.create(
            source=source, locale=catalan
        ),
    }[entry]


def _change_for(entry: str, page, group):
    """A change that depends on the registry entry ``entry`` alone."""
    if entry.startswith(("projects.", "categories.")):
        return _link_row_change(entry, page)
    if entry == "contact.ContactFormField":
        from contact.models import ContactFormField
        from tests.factories import make_contact_form

        form = make_contact_form(page.get_parent(), fields=[])
        return lambda: ContactFormField.objects.create(
            page=form,
            clean_name="extra",
            label="Extra",
            field_type="singleline",
            locale=form.locale,
        )
    if entry.startswith("wagtail_localize."):
        return _translation_change(entry, page)
    if entry == "sitewide.SocialSettings":
        from tests.factories import set_social_links

        return lambda: set_social_links(("github", "https://github.com/civic"))
    private = child_collection("Privada")
    loose = child_collection("Suelta")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="groups"
    )
    image = make_image("Foto")
    rendition = image.get_rendition("width-100")
    collaborator = Collaborator.objects.get(slug="goteo", locale__language_code="es")
    site = Site.objects.get(is_default_site=True)
    return {
        "wagtailcore.Page": page.unpublish,
        "wagtailcore.Revision": lambda: schedule(page),
        "wagtailcore.PageViewRestriction": lambda: PageViewRestriction.objects.create(
            page=page, restriction_type="login"
        ),
        "wagtailcore.PageViewRestriction.groups": lambda: restriction.groups.add(group),
        "wagtailcore.CollectionViewRestriction": lambda: CollectionViewRestriction.objects.create(
            collection=loose, restriction_type="login"
        ),
        "wagtailcore.CollectionViewRestriction.groups": lambda: collection_restriction.groups.add(
            group
        ),
        "wagtailcore.Collection": lambda: loose.move(private, pos="sorted-child"),
        IMAGES: lambda: (setattr(image, "title", "Otra"), image.save()),
        RENDITIONS: rendition.delete,
        DOCUMENTS: lambda: make_document("Otro"),
        "wagtailcore.Site": lambda: (setattr(site, "hostname", "civic.test"), site.save()),
        "wagtailcore.Locale": lambda: Locale.objects.create(language_code="fr"),
        SNIPPETS: lambda: (setattr(collaborator, "name", "Goteo 2"), collaborator.save()),
        "delivery.FrontendSettings": lambda: FrontendSettings.objects.create(
            site=site, frontend_url="https://www.example.org"
        ),
        "wagtailredirects.Redirect": lambda: Redirect.add_redirect("/viejo", page, site=site),
    }[entry]


@pytest.mark.parametrize("without", [False, True], ids=["registry", "registry-without-it"])
@pytest.mark.parametrize("entry", [watched.model for watched in REGISTRY])
def test_each_entry_drives_its_change(entry, without, page, group, renews, monkeypatch):
    change = _change_for(entry, page, group)
    if without:
        kept = tuple(watched for watched in REGISTRY if watched.model != entry)
        assert len(kept) == len(REGISTRY) - 1
        monkeypatch.setattr(invalidation, "REGISTRY", kept)
    assert renews(change) is not without


def test_the_site_root_paths_are_dropped_by_what_can_move_them_and_nothing_else(
    page, site_structure, group, renewed
):
    """Every change renews the generation; the sites, languages, tree changes and the site
    roots' url_paths also drop Wagtail's site root paths at commit (a request during the
    change may have put the old ones back). Content changes leave them: the first request
    after a publish reads what a warm one reads."""
    image = make_image("Foto")
    collaborator = Collaborator.objects.get(slug="goteo", locale__language_code="es")
    english = page.get_translations().get(locale__language_code="en").specific
    site = Site.objects.get(is_default_site=True)
    private = child_collection("Privada")
    loose = child_collection("Suelta")
    restriction = PageViewRestriction.objects.create(page=english, restriction_type="groups")
    home = Page.objects.get(pk=site_structure.homes["es"].pk).specific
    home_en = Page.objects.get(pk=site_structure.homes["en"].pk).specific

    def retitle_and_publish(target, **fields):
        def change():
            for name, value in fields.items():
                setattr(target, name, value)
            target.save_revision().publish()

        return change

    document = make_document("Informe")
    content = {
        "publish a service": renewed(retitle_and_publish(page, title="Otro título")),
        "unpublish a translation": renewed(english.unpublish),
        "schedule": renewed(lambda: schedule(page)),
        "image saved": renewed(lambda: (setattr(image, "title", "Otra"), image.save())),
        "document saved": renewed(lambda: (setattr(document, "title", "Otro"), document.save())),
        "snippet saved": renewed(
            lambda: (setattr(collaborator, "name", "Goteo 2"), collaborator.save())
        ),
        "image deleted": renewed(image.delete),
        "document deleted": renewed(document.delete),
        "snippet deleted": renewed(collaborator.delete),
        "page restriction": renewed(
            lambda: PageViewRestriction.objects.create(page=page, restriction_type="login")
        ),
        "page restriction group": renewed(lambda: restriction.groups.add(group)),
        "collection restriction": renewed(
            lambda: CollectionViewRestriction.objects.create(
                collection=private, restriction_type="login"
            )
        ),
        "Collection.move": renewed(lambda: loose.move(private, pos="sorted-child")),
    }
    assert content == dict.fromkeys(content, (True, False))
    structure = {
        "home page renamed": renewed(retitle_and_publish(home, slug="inicio")),
        "home's translation renamed": renewed(retitle_and_publish(home_en, slug="home-en")),
        "page moved": renewed(
            lambda: page.move(site_structure.service_indexes["es"], pos="first-child")
        ),
        "site hostname": renewed(lambda: (setattr(site, "hostname", "civic.test"), site.save())),
        "locale added": renewed(lambda: Locale.objects.create(language_code="fr")),
        "page deleted": renewed(english.delete),
    }
    assert structure == dict.fromkeys(structure, (True, True))


def test_a_renamed_home_page_is_found_at_its_new_path_at_once(
    demo_page, client, django_capture_on_commit_callbacks
):
    """Wagtail keeps the site's root paths in the shared cache: renaming the home page (its
    url_path, and every page's below it) must not leave the old ones in use."""
    query = json.dumps({"query": "query ($p: String!) { page(path: $p) { title url } }"})

    def page_at(path: str) -> dict:
        body = json.loads(query)
        body["variables"] = {"p": path}
        response = client.post("/graphql/", json.dumps(body), content_type="application/json")
        return response.json()

    assert page_at(f"/es/services/{demo_page.slug}/") == {
        "data": {"page": {"title": "Crowdfunding cívico", "url": f"/es/services/{demo_page.slug}/"}}
    }
    home = Page.objects.get(pk=demo_page.get_parent().get_parent().pk).specific
    with django_capture_on_commit_callbacks(execute=True):
        home.slug = "inicio"
        home.save_revision().publish()
    assert page_at(f"/es/services/{demo_page.slug}/") == {
        "data": {"page": {"title": "Crowdfunding cívico", "url": f"/es/services/{demo_page.slug}/"}}
    }


def test_wagtail_site_root_paths_read_during_a_change_are_dropped_at_commit(
    site_structure, django_capture_on_commit_callbacks
):
    """Wagtail drops them when the site is saved, before the commit; a request running
    meanwhile puts the old ones back (done here by hand), and the commit drops them."""
    from django.core.cache import cache
    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

    site = Site.objects.get(is_default_site=True)
    old = Site.get_site_root_paths()
    with django_capture_on_commit_callbacks(execute=True):
        site.hostname = "civic.test"
        site.save()
        cache.set(SITE_ROOT_PATHS_CACHE_KEY, old, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    assert cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION) is None
    assert {path.root_url for path in Site.get_site_root_paths()} == {"http://civic.test"}


def test_site_texts_menus_social_links_and_form_fields_renew(site_structure, locales, renews):
    from contact.models import ContactFormField
    from tests.factories import (
        make_contact_form,
        make_menu,
        make_site_texts,
        menu_item,
        set_social_links,
    )

    form = make_contact_form(site_structure.homes["es"])
    texts = make_site_texts(locales["es"], strings=[("k", "v")])
    menu = make_menu(locales["es"], "footer", [menu_item("Inicio", url="/es/")])
    row = ContactFormField.objects.filter(page=form).first()

    def relabel():
        row.label = "Otro"
        row.save()

    def retitle(obj):
        obj.title = "Nuevo"
        obj.save()

    assert {
        "site texts saved": renews(lambda: retitle(texts)),
        "site texts created": renews(lambda: make_site_texts(locales["en"])),
        "menu saved": renews(lambda: retitle(menu)),
        "menu deleted": renews(menu.delete),
        "social links saved": renews(lambda: set_social_links(("github", "https://x.org/"))),
        "form field saved": renews(relabel),
        "form field deleted": renews(row.delete),
        "site texts deleted": renews(texts.delete),
    } == dict.fromkeys(
        [
            "site texts saved",
            "site texts created",
            "menu saved",
            "menu deleted",
            "social links saved",
            "form field saved",
            "form field deleted",
            "site texts deleted",
        ],
        True,
    )


def test_a_submission_renews_nothing(site_structure, settings, tmp_path, client, renews):
    """A visitor sending a form (with a file) changes no public answer: the cache stays warm."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.contrib.forms.models import FormSubmission

    from contact.models import ContactUpload
    from tests.factories import make_contact_form

    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path
    make_contact_form(site_structure.homes["es"])
    query = (
        "mutation ($v: [FieldValueInput!]!, $f: Upload) { submitForm(handle: "
        '"cta-contact-service", locale: "es", values: $v, file: $f) { ok errors { code } } }'
    )
    values = [
        {"name": "name", "value": "Ana"},
        {"name": "email", "value": "ana@example.org"},
        {"name": "privacy_policy", "value": "true"},
    ]
    operations = json.dumps({"query": query, "variables": {"v": values, "f": None}})

    def send():
        upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        answer = client.post(
            "/graphql/",
            data={"operations": operations, "map": json.dumps({"0": ["variables.f"]}), "0": upload},
        )
        assert answer.json() == {"data": {"submitForm": {"ok": True, "errors": []}}}

    assert renews(send) is False
    assert (FormSubmission.objects.count(), ContactUpload.objects.count()) == (1, 1)
    assert renews(FormSubmission.objects.get().delete) is False


def test_loading_a_fixture_of_content_renews_once(locales, tmp_path, renewed, client):
    """loaddata saves rows raw (no relations yet, no signal of a change): each asks for a
    renewal, held until the load ends, so its content is public at once."""
    from django.core.management import call_command

    member = make_member(locales["es"], slug="ana", name="Ana García")
    fixture = tmp_path / "member.json"
    call_command("dumpdata", "cms.member", f"--pks={member.pk}", output=str(fixture))
    member.delete()
    query = '{ members(locale: "es") { slug name } }'
    ask = lambda: client.post(  # noqa: E731 - a question asked twice
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    ).json()
    assert ask() == {"data": {"members": []}}
    with mock.patch.object(
        invalidation, "renew_generation", wraps=invalidation.renew_generation
    ) as renew:
        assert renewed(lambda: call_command("loaddata", str(fixture), verbosity=0)) == (True, True)
    assert renew.call_args_list == [mock.call(), mock.call()]
    assert ask() == {"data": {"members": [{"slug": "ana", "name": "Ana García"}]}}

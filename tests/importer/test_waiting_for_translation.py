"""The admin report lists what the import left waiting for translators."""

import pytest
from django.urls import reverse

from cms.models import Member
from projects.models import ProjectPage

pytestmark = pytest.mark.django_db

PROJECT = "---\nlayout: project\nslug: p\ntitle: Fondo de barrio\n---\nHistoria.\n"
MEMBER = "---\nslug: ar\ntitle: Ana Ruiz\nposition: Coordinadora\n---\n"


def test_report_lists_stub_pages_and_snippets_with_edit_links(run_import, write_site, admin_client):
    run_import(
        write_site(
            {
                "_projects/es/p.md": PROJECT,
                "_projects/cat/p.md": "---\nlayout: project\nslug: p\n---\n",
                "_projects/en/p.md": PROJECT.replace("Fondo de barrio", "Neighbourhood fund"),
                "_members/es/ar.md": MEMBER,
                "_members/cat/ar.md": "---\nslug: ar\ntitle: Ana Ruiz\n---\n",
            }
        )
    )
    ca_page = ProjectPage.objects.get(slug="p", locale__language_code="ca")
    ca_member = Member.objects.get(slug="ar", locale__language_code="ca")
    es_member = Member.objects.get(slug="ar", locale__language_code="es")
    response = admin_client.get(reverse("waiting_for_translation"))
    assert response.status_code == 200
    rows = response.context["object_list"]
    assert [(r.title, r.language, r.kind, r.source_title, r.status, r.edit_url) for r in rows] == [
        # The stubs hold only the source's words.
        (
            "Fondo de barrio",
            "Catalán",
            "project page",
            "Fondo de barrio",
            "never translated",
            f"/admin/pages/{ca_page.pk}/edit/",
        ),
        (
            "Ana Ruiz",
            "Catalán",
            "team member",
            "Ana Ruiz",
            "never translated",
            f"/admin/snippets/cms/member/edit/{ca_member.pk}/",
        ),
        # No English file: nothing in English yet; the link leads to the source.
        (
            "Ana Ruiz",
            "Inglés",
            "team member",
            "Ana Ruiz",
            "never translated",
            f"/admin/snippets/cms/member/edit/{es_member.pk}/",
        ),
    ]
    html = response.content.decode()
    assert f'href="/admin/pages/{ca_page.pk}/edit/"' in html
    assert "Waiting for translation" in html
    # The English page has words of its own: not listed.
    assert "Neighbourhood fund" not in html
    # The menu under Reports leads to it.
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("waiting_for_translation") in home

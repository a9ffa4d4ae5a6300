"""Bad and unusual input in pages, data files and call-to-action files: each problem is a
warning naming the file and what it could not map; nothing of the source is lost."""

import pytest

from categories.models import CategoryPage
from cms.models import HomePage
from contact.models import ContactFormPage
from generic.models import StandardPage
from sitewide.models import Menu

pytestmark = pytest.mark.django_db

FORM = """---
uid: cta-x
es:
  title: Escríbenos
  content: Te leemos.
  button:
    label: Enviar
  form_fields: |
{es}
{rest}---
"""


def form_file(es_html: str, rest: str = "") -> str:
    html = "\n".join(f"    {line}" for line in es_html.strip().split("\n"))
    return FORM.format(es=html, rest=rest)


def page(slug: str, extra: str = "", body: str = "") -> str:
    return f"---\nlayout: legal\nslug: {slug}\ntitle: Página {slug}\n{extra}---\n{body}"


def test_form_html_without_labels_and_with_unknown_types(run_import, write_site):
    html = """
<input type="text" name="full-name" required>
<input type="color" name="favourite" id="favourite">
<input type="submit" value="Enviar">
<label>Tu correo <b>*</b><input type="email" name="email" required></label>
<blink>¡Hola!</blink>
"""
    site = write_site({"_call_to_actions/x.md": form_file(html)})
    run = run_import(site, "--form-email", "hola@example.org")
    assert run.failed is None
    form = ContactFormPage.objects.get(slug="cta-x")
    fields = [(f.clean_name, f.label, f.field_type, f.required) for f in form.form_fields.all()]
    assert fields == [
        ("full_name", "Full name", "singleline", True),
        ("email", "Tu correo", "email", True),
    ]
    assert form.to_address == "hola@example.org"
    path = "_call_to_actions/x.md"
    assert run.file(path)["warnings"] == [
        f"{path}: es.form_fields, line 5: <blink> is not a form field; left out",
        f"{path}: es.form_fields, line 1: the field 'full-name' has no label; labelled "
        "'Full name' after its name",
        f'{path}: es.form_fields, line 2: <input type="color"> is a kind of field the CMS has '
        "no type for; left out",
        f'{path}: es.form_fields, line 3: an <input type="submit"> is a button, not a field; '
        "the form's button is its button label",
    ]
    # The HTML as written is kept for editors when anything could not be mapped.
    assert 'type="color"' in form.notes


def test_form_without_an_address_names_the_setting(run_import, write_site, settings):
    settings.CIVIC_CONTACT_EMAIL = ""
    html = '<label for="n">Nombre</label><input id="n" name="n" type="text">'
    site = write_site({"_call_to_actions/x.md": form_file(html)})
    run = run_import(site)
    assert run.file("_call_to_actions/x.md")["warnings"] == [
        "_call_to_actions/x.md: no address to send submissions to (--form-email or "
        "CIVIC_CONTACT_EMAIL): they are stored in the CMS only"
    ]
    assert ContactFormPage.objects.get().to_address == ""
    settings.CIVIC_CONTACT_EMAIL = "equipo@example.org"
    run_import(site)
    assert ContactFormPage.objects.get().to_address == "equipo@example.org"


def test_a_call_to_action_file_missing_a_language(run_import, write_site):
    html = '<label for="n">Nombre</label><input id="n" name="n" type="text" required>'
    english = (
        "en:\n  title: Write to us\n  button:\n    label: Send\n  form_fields: |\n"
        '    <label for="n">Name</label><input id="n" name="n" type="text" required>\n'
    )
    category = (
        "---\nlayout: category\nslug: eco\ntitle: {title}\nsubtitle: {title}\n"
        "call_to_action: cta-x\n---\n"
    )
    site = write_site(
        {
            "_call_to_actions/x.md": form_file(html, english),
            "_categories/es/eco.md": category.format(title="Economía"),
            "_categories/cat/eco.md": category.format(title="Economia"),
        }
    )
    run = run_import(site, "--form-email", "hola@example.org")
    assert run.failed is None
    assert run.file("_call_to_actions/x.md")["warnings"] == [
        "_call_to_actions/x.md: no 'ca' part: no ca form; ca pages naming 'cta-x' open the es form"
    ]
    forms = {f.locale.language_code: f for f in ContactFormPage.objects.all()}
    assert sorted(forms) == ["en", "es"]
    assert forms["en"].translation_key == forms["es"].translation_key
    (es_field,) = forms["es"].form_fields.all()
    (en_field,) = forms["en"].form_fields.all()
    assert (en_field.clean_name, en_field.label, en_field.translation_key) == (
        "n",
        "Name",
        es_field.translation_key,
    )
    ca = CategoryPage.objects.get(locale__language_code="ca")
    cta = ca.call_to_action[0].value
    assert (cta["form"].pk, cta["url"], cta["text"]) == (forms["es"].pk, "", "Escríbenos")


def test_a_call_to_action_naming_an_unknown_uid(run_import, write_site):
    site = write_site(
        {
            "_pages/es/contacto.md": page("contacto", extra="call_to_action: cta-nowhere\n"),
            "_services/es/s.md": (
                "---\nslug: s\ntitle: S\ncall_to_action:\n  text: ¿Hablamos?\n"
                "  url_text: Pregúntanos\n---\n"
            ),
        }
    )
    run = run_import(site, "--default-form", "cta-ghost")
    assert run.failed is None
    assert run.file("_pages/es/contacto.md")["warnings"] == [
        "_pages/es/contacto.md: call_to_action: no call-to-action file with uid 'cta-nowhere' "
        "(kept in the page's notes)"
    ]
    standard = StandardPage.objects.get(slug="contacto")
    assert standard.notes == "# from _pages/es/contacto.md\ncall_to_action: cta-nowhere\n"
    assert list(standard.body) == []
    assert run.file("_services/es/s.md")["warnings"] == [
        "_services/es/s.md: call_to_action: no contact form 'cta-ghost' in this import or the "
        "CMS (--default-form); the button leads to #contact"
    ]


def test_layout_switches_and_extra_images_are_kept_in_notes(run_import, write_site):
    extra = (
        "hide: true\npermalink: /x.html\ncategory_select: false\nsymbol:\n  path: /media/no.png\n"
        "mood: sunny\n"
    )
    site = write_site({"_pages/es/x.md": page("x", extra=extra, body="Hola.\n")})
    run = run_import(site)
    rel = "_pages/es/x.md"
    assert run.file(rel)["warnings"] == [
        f"{rel}: media file /media/no.png not found in {site.resolve()} (page 'x'); the rest "
        "was imported",
        f"{rel}: layout switch 'hide: True' has no use in the CMS; kept in the page's notes",
        f"{rel}: layout switch 'permalink: /x.html' has no use in the CMS; kept in the page's "
        "notes",
        f"{rel}: layout switch 'category_select: False' has no use in the CMS; kept in the "
        "page's notes",
        f"{rel}: unexpected front-matter key 'mood' kept in the page's notes",
    ]
    standard = StandardPage.objects.get(slug="x")
    assert standard.notes == (
        "# from _pages/es/x.md\nsymbol:\n  path: /media/no.png\nhide: true\n"
        "permalink: /x.html\ncategory_select: false\nmood: sunny\n"
    )
    assert [b.block_type for b in standard.body] == ["markdown"]
    again = run_import(site)
    assert again.file(rel)["status"] == "unchanged"


def test_menu_links_to_missing_pages_stay_urls(run_import, write_site):
    menu = "- name: Aviso\n  link: /es/aviso\n- name: Nada\n  link: /es/nada\n- name: Fuera\n"
    menu += "  link: https://example.org/\n  icon: star\n"
    site = write_site({"_pages/es/aviso.md": page("aviso"), "_data/es/legal_links.yml": menu})
    run = run_import(site)
    rel = "_data/es/legal_links.yml"
    assert run.file(rel)["warnings"] == [
        f"{rel}: item 2 ('Nada'): no page of the CMS at /es/nada; kept as a URL",
        f'{rel}: item 3: icon have no place in a menu (left out: {{"icon": "star"}})',
    ]
    items = [b.value for b in Menu.objects.get(handle="legal_links").items]
    assert [(i["label"], i["page"] and i["page"].slug, i["url"]) for i in items] == [
        ("Aviso", "aviso", ""),
        ("Nada", None, "/es/nada"),
        ("Fuera", None, "https://example.org/"),
    ]
    # The page appears later: the next run links it.
    (site / "_pages/es/nada.md").write_text(page("nada"), encoding="utf-8")
    run = run_import(site)
    assert run.file(rel)["status"] == "updated"
    items = [b.value for b in Menu.objects.get(handle="legal_links").items]
    assert items[1]["page"].slug == "nada"


def test_values_with_broken_html(run_import, write_site):
    values = (
        "- <strong>Valentía<strong> y <em>calma</em>\n"
        '- <strong>Apertura</strong> <blink>ya</blink> <a href="/es/x">aquí</a>\n'
        "- title: no es texto\n"
    )
    site = write_site({"_data/es/homepage/values.yml": values})
    run = run_import(site)
    rel = "_data/es/homepage/values.yml"
    assert run.file(rel)["warnings"] == [
        f"{rel}: value 1: an unclosed <strong> was closed",
        f"{rel}: value 2: HTML with no Markdown equivalent (<blink>); the words are kept and "
        "the value as written is in the home page's notes",
        f"{rel}: value 3 is not text; kept in the home page's notes",
    ]
    home = HomePage.objects.get(locale__language_code="es")
    assert [b.value for b in home.values] == [
        "**Valentía** y *calma*",
        "**Apertura** ya [aquí](/es/x)",
    ]
    assert home.notes == (
        f"# from {rel}\nvalue 2: <strong>Apertura</strong> <blink>ya</blink> <a "
        'href="/es/x">aquí</a>\nvalue 3:\n  title: no es texto\n'
    )


def test_broken_data_files_are_errors_naming_the_line(run_import, write_site):
    site = write_site({"_data/es/global.yml": "a: 1\nb: [unclosed\n", "_data/es/notes.txt": "hola"})
    run = run_import(site)
    assert run.failed is not None
    (error,) = run.file("_data/es/global.yml")["errors"]
    assert error.startswith("_data/es/global.yml, line 3: invalid YAML:")
    assert run.file("_data/es/notes.txt")["status"] == "skipped"

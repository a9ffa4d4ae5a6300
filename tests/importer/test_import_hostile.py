"""Malformed and hostile sources: each problem is named for a person, the rest imports."""

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import Collaborator, ImportRecord
from services.models import ServicePage

pytestmark = pytest.mark.django_db


def service(slug: str, title: str = "Título", body: str = "Texto.", extra: str = "") -> str:
    return f"---\nlayout: service\nslug: {slug}\ntitle: {title}\n{extra}---\n{body}\n"


GOOD = service("good", "Bueno")


def png(path, colour=(10, 20, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (8, 8), colour).save(path, format="PNG")


def pages():
    return sorted(ServicePage.objects.values_list("locale__language_code", "slug"))


def test_bad_yaml_is_an_error_naming_file_and_line(run_import, write_site):
    site = write_site(
        {
            "_services/es/good.md": GOOD,
            "_services/es/bad.md": "---\nslug: bad\ntitle: [unclosed\nimage: x\n---\nBody\n",
        }
    )
    run = run_import(site)
    assert run.failed == "1 file(s) had errors and were not imported; every other file was."
    assert run.file("_services/es/bad.md")["errors"] == [
        "_services/es/bad.md, line 4: invalid YAML in front matter: while parsing a flow "
        "sequence expected ',' or ']', but got ':'"
    ]
    assert "_services/es/bad.md, line 4: invalid YAML" in run.stderr
    assert pages() == [("es", "good")]


def test_bad_json_in_a_tag_is_an_error_naming_file_and_line(run_import, write_site):
    body = 'Intro\n\nMore\n\n{% metrics { "items": [{"text": "a",}] } %}\n'
    site = write_site(
        {"_services/es/good.md": GOOD, "_services/es/json.md": service("j", body=body)}
    )
    run = run_import(site)
    assert run.file("_services/es/json.md")["errors"] == [
        "_services/es/json.md, line 10: invalid JSON in the {% metrics %} tag: Expecting "
        "property name enclosed in double quotes (column 26 of the tag's arguments)"
    ]
    assert run.file("_services/es/json.md")["status"] == "error"
    assert pages() == [("es", "good")]
    assert run.report["summary"][0] | {} == {
        "collection": "services",
        "language": "es",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "warnings": 0,
        "errors": 1,
        "untranslated": 0,
    }


def test_unknown_tags_and_stripped_html_are_kept_verbatim(run_import, write_site):
    body = (
        'Antes\n\n{% countdown {"to": "2025"} %}\n\n'
        '<form action="/x"><input name="q"></form>\n\n'
        'Texto con <span style="color:red">color</span>.\n\n'
        '<iframe src="https://evil.example/embed"></iframe>\n\n'
        '{% metrics {"items": [{"text": "A", "number": "1", "icon": "x"}]} %}\n'
    )
    site = write_site({"_services/es/u.md": service("u", body=body, extra="Obsolete: yes\n")})
    run = run_import(site)
    assert run.failed is None
    page = ServicePage.objects.get(slug="u")
    assert [
        (b.block_type, b.value.get("reason") if b.block_type == "verbatim" else None)
        for b in page.body
    ] == [
        ("markdown", None),
        ("verbatim", "Unknown tag {% countdown %}"),
        ("verbatim", "HTML the sanitiser strips: <form>, <input>"),
        ("markdown", None),
        ("verbatim", "HTML the sanitiser strips: <span>"),
        ("verbatim", "An iframe that is not a known video"),
        ("metrics", None),
        ("verbatim", "Not everything of {% metrics %} fits: unknown field 'icon' in items"),
        ("verbatim", "Unexpected front matter: 'Obsolete'"),
    ]
    assert page.body[1].value["source"] == '{% countdown {"to": "2025"} %}'
    assert page.body[8].value["source"] == "Obsolete: true\n"
    assert run.file("_services/es/u.md")["warnings"] == [
        "_services/es/u.md, line 9: unknown tag {% countdown %} kept in a verbatim block",
        "_services/es/u.md, line 11: HTML the sanitiser would strip (<form>, <input>) kept in a "
        "verbatim block",
        "_services/es/u.md, line 13: HTML the sanitiser would strip (<span>) kept in a verbatim "
        "block",
        "_services/es/u.md, line 15: <iframe> from https://evil.example/embed is not a known "
        "video; kept verbatim",
        "_services/es/u.md, line 17: {% metrics %}: unknown field 'icon' in items; the whole "
        "tag is also kept verbatim",
        "_services/es/u.md: unexpected front-matter key(s) 'Obsolete' kept verbatim at the end "
        "of the body",
    ]


def test_missing_media_and_collaborators_are_warnings(run_import, write_site):
    extra = (
        "image:\n  path: /media/nowhere.png\n  alt: Nada\ncollaborators:\n  - ghost\n"
        "call_to_action:\n  text: ¿Hablamos?\n  url: Pregúntanos\n  url_text: Pregúntanos\n"
    )
    site = write_site(
        {"_services/es/m.md": service("m", body="![Falta](/media/gone.png)", extra=extra)}
    )
    run = run_import(site)
    assert run.failed is None
    media = site.resolve()
    assert run.file("_services/es/m.md")["warnings"] == [
        f"_services/es/m.md: media file /media/nowhere.png not found in {media} (page 'm'); "
        "the rest was imported",
        f"_services/es/m.md, line 15: media file /media/gone.png not found in {media} (page "
        "'m'); the rest was imported",
        "_services/es/m.md: collaborator 'ghost' does not exist (page 'm')",
        "_services/es/m.md: call_to_action: no contact form 'cta-contact-service' in this "
        "import or the CMS (--default-form); the button leads to #contact",
    ]
    page = ServicePage.objects.get(slug="m")
    assert page.image is None
    assert [b.block_type for b in page.body] == ["markdown", "verbatim"]
    (cta,) = page.call_to_action
    assert (cta.value["text"], cta.value["button_label"], cta.value["form"], cta.value["url"]) == (
        "¿Hablamos?",
        "Pregúntanos",
        None,
        "#contact",
    )
    assert page.body[0].value == "![Falta](/media/gone.png)"
    assert page.body[1].value["source"] == "collaborators:\n- ghost\n"


def test_duplicate_slugs_in_one_language_import_neither(run_import, write_site):
    site = write_site(
        {
            "_services/es/a.md": service("same", "A"),
            "_services/es/b.md": service("same", "B"),
            "_services/en/a.md": service("same", "A en"),
        }
    )
    run = run_import(site)
    message = (
        "slug 'same' is used by several es files (_services/es/a.md, _services/es/b.md); "
        "none of them was imported: give each a different slug"
    )
    assert run.file("_services/es/a.md")["errors"] == [f"_services/es/a.md: {message}"]
    assert run.file("_services/es/b.md")["errors"] == [f"_services/es/b.md: {message}"]
    # The English file has no Spanish page to translate: imported on its own, and said so.
    assert run.file("_services/en/a.md")["warnings"] == [
        "_services/en/a.md: no es service with slug 'same': imported without a translation link"
    ]
    assert pages() == [("en", "same")]


def test_non_utf8_enormous_and_slugless_files(run_import, write_site):
    site = write_site(
        {
            "_services/es/good.md": GOOD,
            "_services/es/latin1.md": "---\nslug: l\ntitle: Caf\u00e9\n---\n".encode("latin-1"),
            "_services/es/huge.md": service("huge", body="x" * (3 * 1024 * 1024)),
            "_services/es/noslug.md": "---\ntitle: Sin slug\n---\n",
            "_services/xx/other.md": service("other"),
            "_services/loose.md": service("loose"),
        }
    )
    run = run_import(site)
    errors = {f["path"]: f["errors"] for f in run.report["files"] if f["errors"]}
    assert errors == {
        "_services/es/latin1.md": [
            "_services/es/latin1.md, line 3: file is not valid UTF-8 (byte 0xe9 at byte 22); "
            "save it as UTF-8"
        ],
        "_services/es/huge.md": [
            "_services/es/huge.md: file is too large to be a page (3,145,779 bytes; the limit "
            "is 2,097,152 bytes)"
        ],
        "_services/es/noslug.md": ["_services/es/noslug.md: no 'slug' in the front matter"],
        "_services/xx/other.md": [
            "_services/xx/other.md: language folder 'xx' is not one of es, en, ca (map it with "
            "--locale-map xx=CODE)"
        ],
        "_services/loose.md": [
            "_services/loose.md: not inside a language folder (expected _services/<language>/…)"
        ],
    }
    assert pages() == [("es", "good")]


def test_paths_escaping_the_media_dir_are_refused(run_import, write_site, tmp_path):
    outside = tmp_path / "secret.png"
    png(outside)
    site = write_site({})
    (site / "media").mkdir()
    (site / "media" / "link.png").symlink_to(outside)
    extra = "image:\n  path: ../../etc/passwd\n  alt: x\n"
    body = "![a](/media/link.png)\n\n![b](/media/../../secret.png)\n\n![c](/etc/passwd)"
    (site / "_services" / "es").mkdir(parents=True)
    (site / "_services" / "es" / "p.md").write_text(service("p", body=body, extra=extra))
    run = run_import(site)
    assert run.failed is None
    assert run.file("_services/es/p.md")["warnings"] == [
        "_services/es/p.md: ../../etc/passwd points outside the media folder; it was not read "
        "(page 'p'); the rest was imported",
        "_services/es/p.md, line 9: /media/link.png points outside the media folder (through a "
        "link); it was not read (page 'p'); the rest was imported",
        "_services/es/p.md, line 11: /media/../../secret.png points outside the media folder; "
        "it was not read (page 'p'); the rest was imported",
        f"_services/es/p.md, line 13: media file /etc/passwd not found in {site.resolve()} "
        "(page 'p'); the rest was imported",
    ]
    assert get_image_model().objects.count() == 0
    assert ServicePage.objects.get(slug="p").image is None


def test_a_file_that_fails_leaves_nothing_behind(run_import, write_site, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media-root")
    site = write_site(
        {"_services/es/bad.md": service("bad slug!", extra="image:\n  path: /media/a.png\n")}
    )
    png(site / "media" / "a.png")
    run = run_import(site)
    (error,) = run.file("_services/es/bad.md")["errors"]
    assert error.startswith("_services/es/bad.md: not valid: slug: ")
    assert ServicePage.objects.filter(slug="bad slug!").count() == 0
    assert get_image_model().objects.count() == 0
    assert ImportRecord.objects.count() == 0
    assert not any(p.is_file() for p in (tmp_path / "media-root").rglob("*"))
    assert run.report["media"]["created"] == {"images": 0, "documents": 0}


def test_images_are_shared_by_content_and_keep_alt_and_title(run_import, write_site):
    site = write_site(
        {
            "_services/es/a.md": service("a", body='![Primera](/media/one.png "Título uno")'),
            "_services/es/b.md": service("b", body="![Segunda](/media/copy.png)"),
            "_collaborators/es/c.md": (
                "---\nslug: c\ntitle: C\nlogo:\n  path: /media/l.webp\n  alt: Logo C\n---\n"
            ),
            "_collaborators/es/d.md": "---\nslug: d\ntitle: D\nlogo:\n  path: /media/l.svg\n---\n",
        }
    )
    png(site / "media" / "one.png")
    png(site / "media" / "copy.png")
    PILImage.new("RGB", (4, 4), (1, 2, 3)).save(site / "media" / "l.webp", format="WEBP")
    (site / "media" / "l.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    )
    run = run_import(site)
    assert run.failed is None
    images = get_image_model().objects.order_by("pk")
    assert [(i.title, i.description) for i in images] == [
        ("C", "Logo C"),
        ("D", "D"),
        ("Título uno", "Primera"),
    ]
    first = ServicePage.objects.get(slug="a").body[0].value
    second = ServicePage.objects.get(slug="b").body[0].value
    assert first["image"].pk == second["image"].pk
    assert (first["alt"], second["alt"]) == ("Primera", "Segunda")
    assert Collaborator.objects.get(slug="c").logo.file.name.endswith(".webp")


def test_separators_and_videos(run_import, write_site):
    body = (
        "Uno\n\n# _\n\nDos\n\n# \\-\n\n"
        '<iframe src="https://player.vimeo.com/video/273906415" title="Vimeo"></iframe>\n\n'
        '{% video {"title": "PeerTube", "url": "https://videos.laguixeta.cat/videos/embed/'
        'a40e7792-f959-4775-a474-e4d8eac6c7de"} %}\n\n'
        "{% quote %}Cita{% endquote %}\n\n"
        '{% call_to_action {"url": "https://goteo.org", "label": "Ir"} %}'
        "Apóyanos{% endcall_to_action %}"
    )
    site = write_site({"_services/es/v.md": service("v", body=body)})
    run = run_import(site)
    assert run.failed is None
    assert run.file("_services/es/v.md")["warnings"] == []
    page = ServicePage.objects.get(slug="v")
    assert [(b.block_type, b.value if b.block_type == "markdown" else None) for b in page.body] == [
        ("markdown", "Uno"),
        ("separator", None),
        ("markdown", "Dos"),
        ("separator", None),
        ("video", None),
        ("video", None),
        ("quote", None),
        ("call_to_action", None),
    ]
    assert page.body[4].value["url"] == "https://player.vimeo.com/video/273906415"
    assert page.body[5].value["title"] == "PeerTube"
    assert dict(page.body[6].value) == {"text": "Cita", "author": ""}
    cta = page.body[7].value
    assert (cta["text"], cta["button_label"], cta["url"]) == ("Apóyanos", "Ir", "https://goteo.org")


def test_draft_option_saves_unpublished_revisions(run_import, write_site):
    site = write_site({"_services/es/d.md": service("d", "Borrador")})
    run = run_import(site, "--draft")
    assert run.report["draft"] is True
    page = ServicePage.objects.get(slug="d")
    assert (page.live, page.has_unpublished_changes, page.revisions.count()) == (False, True, 1)


def test_collaborator_leftovers_are_kept_in_its_notes(run_import, write_site):
    site = write_site(
        {
            "_collaborators/es/x.md": (
                "---\nslug: xarxa\ntitle: Xarxa\nweb: javascript:alert(1)\ntwitter: '@xarxa'\n---\n"
            )
        }
    )
    run = run_import(site)
    assert run.failed is None
    assert run.file("_collaborators/es/x.md")["warnings"] == [
        "_collaborators/es/x.md: unexpected front-matter key 'twitter' kept in the "
        "collaborator's notes",
        "_collaborators/es/x.md: web 'javascript:alert(1)' is not an http(s) address; kept in "
        "the collaborator's notes",
    ]
    collaborator = Collaborator.objects.get(slug="xarxa")
    assert (collaborator.name, collaborator.url) == ("Xarxa", "")
    assert collaborator.notes == "twitter: '@xarxa'\nweb: javascript:alert(1)\n"


NUL_CASES = [
    (
        "raw in the body",
        service("n", body="Antes\n\nTexto \x00 nulo"),
        "line 8: a NUL character (U+0000) at column 7; ",
    ),
    (
        "raw in a quote",
        service("n", body="{% quote %}\nCi\x00ta\n{% endquote %}"),
        "line 7: a NUL character (U+0000) at column 3; ",
    ),
    (
        "escaped in the title",
        service("n", title='"Tí\\0tulo"'),
        "line 4: 'title' holds a NUL character (U+0000, written \\0 or \\x00); ",
    ),
    (
        "escaped in a call to action",
        service("n", extra='call_to_action:\n  url: x\n  text: "a\\x00b"\n'),
        "line 7: 'call_to_action.text' holds a NUL character (U+0000, written \\0 or \\x00); ",
    ),
    (
        "escaped in a collaborator slug",
        service("n", extra='collaborators:\n  - ok\n  - "c\\0"\n'),
        "line 7: 'collaborators[1]' holds a NUL character (U+0000, written \\0 or \\x00); ",
    ),
    (
        "escaped in a tag argument",
        service("n", body='Uno\n\n{% metrics {"items": [{"text": "a\\u0000", "number": "1"}]} %}'),
        "line 8: 'items[0].text' in the {% metrics %} tag holds a NUL character (U+0000, "
        "written \\u0000); ",
    ),
    (
        "escaped in an unknown tag's key",
        service("n", body='{% quote {"au\\u0000thor": "A"} %}Cita{% endquote %}'),
        "line 6: 'au\\0thor (the key)' in the {% quote %} tag holds a NUL character (U+0000, "
        "written \\u0000); ",
    ),
]


@pytest.mark.parametrize(
    ("source", "where"), [c[1:] for c in NUL_CASES], ids=[c[0] for c in NUL_CASES]
)
def test_nul_characters_are_refused_naming_file_line_and_field(
    run_import, write_site, source, where
):
    """PostgreSQL cannot store U+0000: the file is refused whole, and the page already
    imported from it stays as it was, on every database alike."""
    site = write_site({"_services/es/n.md": service("n", "Antes", body="Primera versión.")})
    assert run_import(site).failed is None
    before = ServicePage.objects.get(slug="n")
    record = ImportRecord.objects.get(slug="n")
    (site / "_services/es/n.md").write_text(source, encoding="utf-8")
    run = run_import(site)
    assert run.failed == "1 file(s) had errors and were not imported; every other file was."
    assert run.file("_services/es/n.md")["errors"] == [
        f"_services/es/n.md, {where}remove it: it is not text, and the database cannot store it"
    ]
    after = ServicePage.objects.get(slug="n")
    assert (after.pk, after.title, list(after.body.raw_data), after.revisions.count()) == (
        before.pk,
        "Antes",
        list(before.body.raw_data),
        1,
    )
    # The record still describes the first version, so fixing the file imports it again.
    assert ImportRecord.objects.get(slug="n").content_hash == record.content_hash


@pytest.mark.django_db
def test_a_quote_whose_opening_mark_is_never_closed(run_import, write_site):
    from services.models import ServicePage

    site = write_site(
        {
            "_services/es/cita.md": "---\nslug: cita\ntitle: Cita\n---\n"
            '{% quote { "author": "Ana" } %}"Se cultiva entre vecinas.{% endquote %}\n'
            '{% quote %}"Bien cerrada", dijo.{% endquote %}\n',
        }
    )
    run = run_import(site)
    page = ServicePage.objects.get(slug="cita")
    quotes = [block.value["text"] for block in page.body if block.block_type == "quote"]
    assert quotes == ["Se cultiva entre vecinas.", '"Bien cerrada", dijo.']
    assert run.file("_services/es/cita.md")["warnings"] == [
        '_services/es/cita.md, line 5: {% quote %}: the opening quotation mark " is never '
        "closed; removed (quotes are shown between quotation marks)"
    ]

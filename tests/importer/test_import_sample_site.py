"""The sample's generic pages, data files and call-to-action files: every front-matter field
and data value, in all three languages, is found again in the database."""

import hashlib
import re

import pytest
import yaml
from wagtail.models import Locale

from cms.models import HomePage
from contact.models import ContactFormPage
from generic.models import StandardPage
from importer.source import Tag, parse_file, split_front_matter
from projects.models import ProjectIndexPage
from services.models import ServiceIndexPage
from sitewide.models import Menu, SiteTexts, SocialSettings

pytestmark = pytest.mark.django_db

LANGUAGES = {"es": "es", "en": "en", "cat": "ca"}
SWITCHES = ("hide", "search", "category_select", "permalink", "uid")
HERO_TITLES = {
    "es": "Diseñamos ==futuros más justos==\ny, por qué no,\ntambién más ==divertidos==",
    "en": "We shape ==fairer futures== and, why not, more ==fun ones== too.",
    "ca": "Dissenyem ==futurs més justos== i, per què no, també més ==divertits==",
}


def sha1(path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 (Wagtail's file hash)


def notes_of(text: str) -> dict:
    """Every section of an object's notes, as one mapping (sections are YAML)."""
    found: dict = {}
    for section in re.split(r"^# from \S+$", text, flags=re.M):
        if section.strip():
            found.update(yaml.safe_load(section))
    return found


def section(text: str, source: str) -> dict:
    match = re.search(rf"^# from {re.escape(source)}\n(.*?)(?=^# from |\Z)", text, re.M | re.S)
    return yaml.safe_load(match.group(1)) if match else {}


@pytest.fixture
def sample_run(imported_sample, sample_dir):
    """The sample, imported once for this module's tests, which only read it."""
    return imported_sample


def pages(sample_dir):
    for path in sorted((sample_dir / "_pages").glob("*/*.md")):
        rel = path.relative_to(sample_dir).as_posix()
        yield rel, LANGUAGES[path.parent.name], parse_file(path.read_bytes(), rel)


def data(sample_dir, folder, name):
    return yaml.safe_load((sample_dir / "_data" / folder / name).read_text(encoding="utf-8"))


def test_every_generic_page_field_is_imported(sample_run, sample_dir):
    for rel, language, source in pages(sample_dir):
        fm = source.front_matter
        if fm["slug"] == "home":
            continue
        home = HomePage.objects.get(locale__language_code=language)
        page = StandardPage.objects.child_of(home).get(slug=str(fm["slug"]))
        assert page.live, rel
        assert (page.title, page.subtitle, page.description, page.layout) == (
            fm["title"],
            fm.get("subtitle", ""),
            fm.get("description", ""),
            str(fm["layout"]),
        ), rel
        # The first of img, image, Image and symbol is the page's image; the others and the
        # layout switches are kept in its notes, each with a warning.
        keys = [k for k in ("img", "image", "Image", "symbol") if k in fm]
        chosen = fm[keys[0]]
        path = chosen["source" if keys[0] == "img" else "path"]
        assert page.image.file_hash == sha1(sample_dir / path.lstrip("/")), rel
        assert page.image_alt == chosen.get("alt", ""), rel
        kept = section(page.notes, rel)
        warnings = sample_run.file(rel)["warnings"]
        for key in keys[1:]:
            assert kept[key] == fm[key], (rel, key)
            assert f"{rel}: '{key}' kept in the page's notes (the page's image is '{keys[0]}')" in (
                warnings
            )
        for key in SWITCHES:
            if key in fm:
                assert kept[key] == fm[key], (rel, key)
                assert any(f"layout switch '{key}: " in w for w in warnings), (rel, key)
        # The body: the same tags as a service, every one found again as its block.
        types = [b.block_type for b in page.body]
        for segment in source.segments:
            if isinstance(segment, Tag):
                assert segment.name in types, (rel, segment.name)
        if "<iframe" in source.body:
            assert "video" in types, rel
        # The contact page names a form: a call to action at the end of the body opens it.
        if "call_to_action" in fm:
            cta = page.body[-1]
            assert cta.block_type == "call_to_action", rel
            assert (cta.value["form"].slug, cta.value["form"].locale.language_code) == (
                fm["call_to_action"],
                language,
            ), rel
            assert cta.value["url"] == "", rel


def test_home_pages_hero_and_sections(sample_run, sample_dir):
    for rel, language, source in pages(sample_dir):
        fm = source.front_matter
        if fm["slug"] != "home":
            continue
        home = HomePage.objects.get(locale__language_code=language)
        assert (home.hero_title, home.subtitle, home.intro) == (
            HERO_TITLES[language],
            fm["subtitle"],
            fm["description"],
        ), rel
        # The Spanish title colours its words; the others make them bold (theme colour).
        assert home.highlight_color == ("#e30062" if language == "es" else ""), rel
        assert home.image.file_hash == sha1(sample_dir / fm["image"]["path"].lstrip("/"))
        assert sample_run.file(rel)["warnings"] == []
        folder = {"es": "es", "en": "en", "ca": "cat"}[language]
        main = data(sample_dir, folder, "homepage/main.yml")
        assert (
            home.values_title,
            home.values_text,
            home.projects_title,
            home.journal_title,
            home.collaborators_title,
        ) == (
            main["values_title"],
            main["values_description"],
            main["projects_title"],
            main["journal_title"],
            main["who_title"],
        )
        assert home.values_image.file_hash == sha1(sample_dir / main["values_img"].lstrip("/"))
        kept = section(home.notes, f"_data/{folder}/homepage/main.yml")
        assert kept == {"journal_img": None, "image_url": main["image_url"]}
        values = data(sample_dir, folder, "homepage/values.yml")
        stored = [block.value for block in home.values]
        assert len(stored) == len(values)
        for written, markdown in zip(values, stored, strict=True):
            words = re.sub(r"<[^>]+>", "", written).strip()
            assert markdown.replace("**", "") == words
            assert markdown.count("**") == written.count("<strong>") + written.count("</strong>")
            assert "<" not in markdown
    # The real data's unclosed <strong> is closed, with a warning naming the value.
    assert sample_run.file("_data/cat/homepage/values.yml")["warnings"] == [
        "_data/cat/homepage/values.yml: value 3: an unclosed <strong> was closed",
        "_data/cat/homepage/values.yml: value 4: an unclosed <strong> was closed",
    ]
    ca = HomePage.objects.get(locale__language_code="ca")
    assert ca.values[3].value == "**Internacionalitat** des del **Mediterrani**"


def _flat(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flat(item, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def test_site_texts_and_newsletter(sample_run, sample_dir):
    for folder, language in LANGUAGES.items():
        texts = SiteTexts.objects.get(locale__language_code=language)
        strings = {b.value["key"]: b.value["value"] for b in texts.strings}
        kept = notes_of(texts.notes)
        expected = {}
        for name in ("global", "project", "offer", "contact", "footer"):
            prefix = "" if name == "global" else name
            for key, value in _flat(data(sample_dir, folder, f"{name}.yml"), prefix):
                if value in (None, ""):
                    assert key in kept, (language, key)
                else:
                    expected[key] = str(value)
        assert strings == expected, language
        newsletter = data(sample_dir, folder, "newsletter.yml")
        assert (
            texts.newsletter_title,
            texts.newsletter_text,
            texts.newsletter_email_label,
            texts.newsletter_button,
        ) == (
            newsletter["title"],
            newsletter["description"],
            newsletter["email-label"],
            newsletter["submit-btn"],
        )
        link = re.search(r'href="([^"]+)"', newsletter["policy-label"]).group(1)
        words = re.sub(r"<[^>]+>", "", newsletter["policy-label"])
        assert (
            texts.newsletter_consent.replace("**", "").replace(f"]({link})", "").replace("[", "")
            == words
        )
    # The Catalan global.yml names 'cat' twice: the later wins, the earlier is in the notes.
    ca = SiteTexts.objects.get(locale__language_code="ca")
    assert {b.value["key"]: b.value["value"] for b in ca.strings}["locales.cat"] == "Catalan"
    assert notes_of(ca.notes)["cat (earlier)"] == "Català"
    # One set of texts, translated: the same translation key and block ids in every language.
    es = SiteTexts.objects.get(locale__language_code="es")
    assert {t.locale.language_code for t in es.get_translations(inclusive=True)} == {
        "es",
        "en",
        "ca",
    }
    ids = {b.value["key"]: b.id for b in es.strings}
    en = SiteTexts.objects.get(locale__language_code="en")
    assert all(ids[b.value["key"]] == b.id for b in en.strings if b.value["key"] in ids)


def test_menus_link_pages_of_the_cms(sample_run, sample_dir):
    for folder, language in LANGUAGES.items():
        home = HomePage.objects.get(locale__language_code=language)
        for handle in ("about_nav", "breadcrum", "footer_links", "legal_links"):
            rel = f"_data/{folder}/{handle}.yml"
            menu = Menu.objects.get(handle=handle, locale__language_code=language)
            written = data(sample_dir, folder, f"{handle}.yml")
            items = [b.value for b in menu.items]
            warnings = sample_run.file(rel)["warnings"]
            if handle == "about_nav":
                # The main menu leads to the services listing, after the projects listing.
                services = ServiceIndexPage.objects.get(locale__language_code=language)
                projects = ProjectIndexPage.objects.get(locale__language_code=language)
                pages = [i["page"].pk if i["page"] else None for i in items]
                position = pages.index(projects.pk) + 1
                added = items.pop(position)
                assert (added["label"], added["page"].pk, added["url"]) == (
                    services.title,
                    services.pk,
                    "",
                )
                assert (
                    f"{rel}: the menu had no link to the services listing: '{services.title}' "
                    f"({services.url}) added as item {position + 1}" in warnings
                )
            assert [i["label"] for i in items] == [w["name"].strip() for w in written], rel
            for index, (item, source) in enumerate(zip(items, written, strict=True), start=1):
                link = source["link"]
                if item["page"] is not None:
                    rest = link.strip("/").split("/", 1)[1] if "/" in link.strip("/") else ""
                    wanted = home.url_path if rest in ("", "home") else f"{home.url_path}{rest}/"
                    assert item["page"].url_path == wanted, (rel, link)
                    assert item["url"] == ""
                else:
                    assert item["url"] == link, rel
                    if link.startswith("/"):
                        assert (
                            f"{rel}: item {index} ('{item['label']}'): no page of the CMS at "
                            f"{link}; kept as a URL" in warnings
                        )
    about = Menu.objects.get(handle="about_nav", locale__language_code="en")
    assert [(b.value["label"], b.value.link_url) for b in about.items][:2] == [
        ("Home", "/en/"),
        ("About Platoniq", "/en/about-us/"),
    ]


def test_social_links(sample_run, sample_dir):
    written = yaml.safe_load((sample_dir / "_data/socials.yml").read_text(encoding="utf-8"))
    links = [(b.value["kind"], b.value["url"]) for b in SocialSettings.objects.get().links]
    assert links == [(w["name"], w["link"]) for w in written]
    # The theme's icon classes have no field: dropped, each named in the report.
    (warning,) = sample_run.file("_data/socials.yml")["warnings"]
    for item in written:
        assert f"{item['name']}: {item['icon']}" in warning


def test_every_call_to_action_file_is_a_contact_form(sample_run, sample_dir):
    locales = {loc.language_code: loc for loc in Locale.objects.all()}
    for path in sorted((sample_dir / "_call_to_actions").glob("*.md")):
        rel = path.relative_to(sample_dir).as_posix()
        fm, _body, _line = split_front_matter(path.read_text(encoding="utf-8"), rel)
        uid = fm["uid"]
        es = ContactFormPage.objects.get(slug=uid, locale=locales["es"])
        es_names = [f.clean_name for f in es.form_fields.all()]
        for folder, language in LANGUAGES.items():
            part = fm[folder]
            form = ContactFormPage.objects.get(slug=uid, locale=locales[language])
            assert form.live
            assert form.get_parent().specific.locale == locales[language]
            assert form.translation_key == es.translation_key, (rel, language)
            assert (form.title, form.intro, form.button_label, form.image_alt) == (
                part.get("title", uid),
                part["content"] if "content" in part else fm["es"].get("content", ""),
                part["button"]["label"],
                part["image"]["alt"],
            ), (rel, language)
            image = sample_dir / part["image"]["path"].lstrip("/")
            if image.is_file():
                assert form.image.file_hash == sha1(image)
            else:
                assert form.image is None
                assert any(part["image"]["path"] in w for w in sample_run.file(rel)["warnings"])
            fields = list(form.form_fields.all())
            # The same names in every language: submissions line up whatever the language.
            assert [f.clean_name for f in fields] == es_names, (rel, language)
            assert [f.translation_key for f in fields] == [
                f.translation_key for f in es.form_fields.all()
            ]
            labels = re.findall(r"<label[^>]*>(.*?)</label>", part["form_fields"], re.S)
            words = [" ".join(re.sub(r"<[^>]+>|\*", "", label).split()) for label in labels]
            assert [f.label for f in fields] == words, (rel, language)
            assert all(f.required for f in fields)
            kinds = {f.clean_name: f.field_type for f in fields}
            assert kinds["email"] == "email"
            assert kinds["message"] == "multiline"
            assert kinds["privacy_policy"] == "checkbox"
            consent = fields[-1]
            assert consent.help_text == f"/{folder}/privacy-policy", (rel, language)
            # The "Mandatory fields *" note is not a label; it is kept in the notes.
            note = re.search(r"<small>(.*?)</small>", part["form_fields"]).group(1)
            assert notes_of(form.notes)["form_text"] == [re.sub(r"<[^>]+>", "", note)]
    offer = ContactFormPage.objects.get(slug="cta-contact-offer", locale=locales["en"])
    assert [f.field_type for f in offer.form_fields.all()][3] == "file"


def test_404_page_keeps_every_value_of_the_data_file(sample_run, sample_dir):
    fm, _body, _line = split_front_matter(
        (sample_dir / "_data/404.md").read_text(encoding="utf-8"), "_data/404.md"
    )
    for folder, language in LANGUAGES.items():
        home = HomePage.objects.get(locale__language_code=language)
        page = StandardPage.objects.child_of(home).get(slug="404")
        page_fm = parse_file(
            (sample_dir / f"_pages/{folder}/404.md").read_bytes(), "404.md"
        ).front_matter
        kept = section(page.notes, "_data/404.md")
        values = {k: v for k, v in fm.items() if k not in LANGUAGES} | fm[folder]
        for key, value in values.items():
            same = (
                " ".join(str(value).split()) == " ".join(str(page_fm[key]).split())
                if key in page_fm
                else False
            )
            assert same or kept[key] == value, (language, key)

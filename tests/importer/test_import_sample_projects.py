"""The sample's project states, team, categories and projects are found again, field by field."""

import datetime
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation

from categories.models import CategoryPage
from cms.models import Collaborator, ImportRecord, Member
from importer.mapping import is_stub
from importer.source import Tag, parse_file
from projects.models import ProjectPage, ProjectState
from services.models import ServicePage

pytestmark = pytest.mark.django_db

LANGUAGES = {"es": "es", "en": "en", "cat": "ca"}
MADRID = ZoneInfo("Europe/Madrid")
# Slugs the sample's projects name that exist only in the full site (each one a warning).
NOT_IN_THE_SAMPLE = {"db", "democratic_innovation", "citizen-assemblies-dialogues"}


def sha1(path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 (Wagtail's file hash)


def sources(root, collection):
    """(path, language, parsed file, Spanish file of the same slug), Spanish files first."""
    paths = sorted((root / collection).glob("*/*.md"), key=lambda p: (p.parent.name != "es", p))
    spanish = {}
    for path in paths:
        language = LANGUAGES[path.parent.name]
        rel = path.relative_to(root).as_posix()
        source = parse_file(path.read_bytes(), rel)
        slug = source.front_matter["slug"]
        if language == "es":
            spanish[slug] = source
        yield rel, language, source, spanish.get(slug)


def media_hash(root, reference) -> str:
    return sha1(root / reference.lstrip("/"))


def expected_stub(run, rel, language, source, collection) -> bool:
    """A translation without words of its own, reported as untranslated."""
    stub = language != "es" and is_stub(collection, source)
    assert run.file(rel)["untranslated"] is stub, rel
    return stub


def day(value) -> datetime.date:
    return value.astimezone(MADRID).date()


@pytest.fixture
def sample_run(imported_sample, sample_dir):
    """The sample, imported once for this module's tests, which only read it."""
    return imported_sample


def test_every_state_field_is_imported(sample_run, sample_dir):
    for rel, language, source, _es in sources(sample_dir, "_states"):
        fm = source.front_matter
        state = ProjectState.objects.get(slug=fm["slug"], locale__language_code=language)
        assert (state.title, state.color, state.notes) == (fm["title"], fm["color"], ""), rel
        assert sample_run.file(rel)["status"] == "created"
    es = ProjectState.objects.get(slug="open", locale__language_code="es")
    assert sorted(s.locale.language_code for s in es.get_translations(inclusive=True)) == [
        "ca",
        "en",
        "es",
    ]


def test_every_member_field_is_imported(sample_run, sample_dir):
    for rel, language, source, es in sources(sample_dir, "_members"):
        fm = source.front_matter
        member = Member.objects.get(slug=fm["slug"], locale__language_code=language)
        stub = expected_stub(sample_run, rel, language, source, "members")
        # A stub shows the Spanish member's words until it is translated.
        words = es.front_matter if stub else fm
        assert member.name == fm["title"], rel
        assert member.kind == fm["type"], rel
        assert member.position == words.get("position", ""), rel
        assert member.bio == words.get("description", ""), rel
        assert member.photo.file_hash == media_hash(sample_dir, fm["image"]["path"]), rel
        assert member.photo_alt == words["image"].get("alt", ""), rel
        assert member.email == fm["email"].replace("[at]", "@"), rel
        assert "[at]" in fm["email"]
        for kind in ("twitter", "linkedin", "facebook", "github"):
            assert getattr(member, kind) == fm.get(kind, ""), (rel, kind)
        assert member.notes == "", rel
        if language != "es":
            source_member = Member.objects.get(slug=fm["slug"], locale__language_code="es")
            assert member.translation_key == source_member.translation_key
            assert Translation.objects.get(
                source__object_id=source_member.translation_key,
                target_locale__language_code=language,
            ).enabled
    stubs = sorted(
        f["path"]
        for f in sample_run.report["files"]
        if f["untranslated"] and "_members" in f["path"]
    )
    assert stubs == [
        "_members/cat/alejandra-gallardo.md",
        "_members/cat/andrea-santiago.md",
        "_members/cat/cristian-palazzi.md",
        "_members/cat/daniel-subiabre.md",
    ]
    assert sample_run.file("_members/cat/cristian-palazzi.md")["warnings"] == [
        "_members/cat/cristian-palazzi.md: no words of its own: a translation of the es member "
        "'Cristian Palazzi' with its texts, waiting for translators"
    ]


def _call_to_action(sample_dir, uid: str, folder: str) -> dict:
    for path in (sample_dir / "_call_to_actions").glob("*.md"):
        fm = parse_file(path.read_bytes(), path.name).front_matter
        if fm["uid"] == uid:
            return fm[folder]
    raise AssertionError(uid)


def test_every_category_field_is_imported(sample_run, sample_dir):
    services = {s.lower() for s in ServicePage.objects.values_list("slug", flat=True)}
    folders = {v: k for k, v in LANGUAGES.items()}
    for rel, language, source, _es in sources(sample_dir, "_categories"):
        fm = source.front_matter
        page = CategoryPage.objects.get(slug=fm["slug"], locale__language_code=language)
        assert not expected_stub(sample_run, rel, language, source, "categories")
        assert page.live, rel
        assert (page.title, page.subtitle, page.notes) == (fm["title"], fm["subtitle"], ""), rel
        assert page.symbol.file_hash == media_hash(sample_dir, fm["symbol"]["path"]), rel
        assert page.symbol_alt == fm["symbol"]["alt"], rel
        linked = [row.service for row in page.service_links.all()]
        assert [s.slug for s in linked] == [s for s in fm["services"] if s.lower() in services]
        assert {s.locale.language_code for s in linked} <= {language, "es"}, rel
        missing = [s for s in fm["services"] if s.lower() not in services]
        assert sample_run.file(rel)["warnings"] == [
            f"{rel}: services: no service with slug '{slug}'" for slug in missing
        ]
        part = _call_to_action(sample_dir, fm["call_to_action"], folders[language])
        (block,) = page.call_to_action
        assert block.block_type == "call_to_action"
        cta = block.value
        # The button opens the contact form the category names, in its own language.
        assert (cta["text"], cta["button_label"], cta["url"], cta["image_alt"]) == (
            part["title"],
            part["button"]["label"],
            "",
            part["image"]["alt"],
        ), rel
        assert (cta["form"].slug, cta["form"].locale.language_code) == (
            fm["call_to_action"],
            language,
        ), rel
        assert cta["image"].file_hash == media_hash(sample_dir, part["image"]["path"])


def test_every_project_field_and_tag_is_imported(sample_run, sample_dir):
    locales = {loc.language_code: loc for loc in Locale.objects.all()}
    seen_tags = set()
    for rel, language, source, es in sources(sample_dir, "_projects"):
        page = ProjectPage.objects.get(
            slug=source.front_matter["slug"], locale__language_code=language
        )
        stub = expected_stub(sample_run, rel, language, source, "projects")
        if stub:
            # A draft translation synced from the Spanish page, which stays live.
            es_page = ProjectPage.objects.get(slug=page.slug, locale=locales["es"])
            assert (page.live, page.first_published_at, es_page.live) == (False, None, True)
            assert page.translation_key == es_page.translation_key
            assert Translation.objects.get(
                source__object_id=es_page.translation_key, target_locale=locales[language]
            ).enabled
            record = ImportRecord.objects.get(
                collection="projects", language_code=language, slug=page.slug
            )
            assert (record.object_id, record.untranslated) == (page.pk, True)
            source = es
        else:
            assert page.live, rel
        fm = source.front_matter
        assert page.title == fm["title"].strip(), rel
        assert page.subtitle == fm.get("subtitle", ""), rel
        assert page.description == fm.get("description", ""), rel
        banner = fm["banner_image"]
        assert page.banner_image.file_hash == media_hash(sample_dir, banner["path"]), rel
        assert page.banner_image_alt == banner.get("alt", ""), rel
        assert page.start_date == day(fm["date_start"]), rel
        assert page.end_date == day(fm["date_end"]), rel
        assert page.date == fm.get("date"), rel
        assert (
            page.budget,
            page.private_percentage,
            page.public_percentage,
            page.looking_for_finance_percentage,
        ) == (
            fm["budget"],
            fm["private_percentage"],
            fm["public_percentage"],
            fm["looking_finance_percentage"],
        ), rel
        assert page.state is not None, rel
        assert page.state.slug == fm["state"], rel
        # Links lead to the same-language version where there is one, else the Spanish one.
        for name, relation, attr in (
            ("services", "service_links", "service"),
            ("categories", "category_links", "category"),
            ("members", "member_links", "member"),
            ("collaborators", "collaborator_links", "collaborator"),
        ):
            linked = [getattr(row, attr) for row in getattr(page, relation).all()]
            wanted = [s.casefold() for s in fm[name] if s not in NOT_IN_THE_SAMPLE]
            assert [t.slug.casefold() for t in linked] == wanted, (rel, name)
            assert {t.locale.language_code for t in linked} <= {language, "es"}, (rel, name)
        # What a translation's call to action leaves out comes from the Spanish one.
        cta_source = es.front_matter["call_to_action"] | fm["call_to_action"]
        (block,) = page.call_to_action
        cta = block.value
        assert (cta["text"], cta["button_label"], cta["url"], cta["image_alt"]) == (
            cta_source["text"],
            cta_source["url_text"],
            "",
            cta_source["image_alt"],
        ), rel
        # The old theme sent every such button to the contact modal: the default form.
        # A stub (a draft synced from the Spanish page) opens the Spanish form.
        assert (cta["form"].slug, cta["form"].locale.language_code) == (
            "cta-contact-service",
            language if page.live else "es",
        ), rel
        assert cta["image"].file_hash == media_hash(sample_dir, cta_source["image_path"])
        by_type = {}
        for b in page.body:
            by_type.setdefault(b.block_type, []).append(b.value)
        for segment in source.segments:
            if not isinstance(segment, Tag):
                continue
            seen_tags.add(segment.name)
            values = by_type[segment.name]
            if segment.name == "metrics":
                assert [[dict(i) for i in v["items"]] for v in values] == [segment.args["items"]]
            elif segment.name == "quote":
                assert {"text": segment.inner, "author": ""} in [dict(v) for v in values]
            elif segment.name == "video":
                assert dict(segment.args) in [dict(v) for v in values], rel
            else:
                pytest.fail(f"{rel}: tag {segment.name} has no check")
        for line in source.body.split("\n"):
            line = line.strip()
            if line and not line.startswith(("{%", "![", "<!--")) and line != "# _":
                texts = "\n".join(v for v in by_type.get("markdown", []))
                assert re.sub(r"\s+", " ", line) in re.sub(r"\s+", " ", texts), (rel, line)
    assert seen_tags == {"metrics", "quote", "video"}
    goteo = "_projects/es/goteo-financiación-colectiva-y-crowdvocacy.md"
    assert sample_run.file(goteo)["warnings"] == [f"{goteo}: members: no member with slug 'db'"]
    assert sample_run.file("_projects/es/proyecto-5.md")["warnings"] == [
        "_projects/es/proyecto-5.md: services: no service with slug 'citizen-assemblies-dialogues'",
        "_projects/es/proyecto-5.md: categories: no category with slug 'democratic_innovation'",
    ]


def test_collaborators_with_accents_and_capitals_in_the_sample_import(sample_run):
    goteo = ProjectPage.objects.get(slug="Goteo", locale__language_code="es")
    assert [row.collaborator.slug for row in goteo.collaborator_links.all()] == ["ay-bcn", "getxo"]
    assert Collaborator.objects.filter(slug="canodrom").count() == 3
    assert sample_run.report["errors"] == 0

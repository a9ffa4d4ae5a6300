"""The real sample of the source site: everything in it is found again in the database."""

import hashlib
import re

import pytest
import yaml
from wagtail.images import get_image_model
from wagtail.models import Locale, Revision
from wagtail_localize.models import StringTranslation, Translation

from cms.models import Collaborator, ImportRecord
from importer.mapping import is_stub, media_references
from importer.source import Markdown, Tag, html_elements, parse_file
from services.models import ServicePage

pytestmark = pytest.mark.django_db

LANGUAGES = {"es": "es", "en": "en", "cat": "ca"}
NEW_COLLECTIONS = ("_states", "_members", "_categories", "_projects")
IMAGE_LINE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\((?P<src>\S+)(?: "(?P<title>[^"]*)")?\)$')
SEPARATOR_LINE = re.compile(r"^#\s+\\?[_-]\s*$")


def sha1(path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 (Wagtail's file hash)


def sources(root, collection):
    paths = sorted((root / collection).glob("*/*.md"), key=lambda p: (p.parent.name != "es", p))
    for path in paths:
        language = LANGUAGES[path.parent.name]
        rel = path.relative_to(root).as_posix()
        yield rel, language, parse_file(path.read_bytes(), rel)


def media_file(root, reference):
    return root / reference.lstrip("/")


def stream_texts(page) -> str:
    """All the words a page keeps in its body, visible or verbatim."""
    parts = []
    for block in page.body:
        if block.block_type == "markdown":
            parts.append(block.value)
        elif block.block_type == "verbatim":
            parts.append(block.value["source"])
        elif block.block_type == "quote":
            parts.append(block.value["text"])
    return "\n".join(parts)


def test_every_collaborator_field_is_imported(imported_sample, sample_dir):
    run = imported_sample
    assert run.failed is None
    for rel, language, source in sources(sample_dir, "_collaborators"):
        fm = source.front_matter
        collaborator = Collaborator.objects.get(slug=fm["slug"], locale__language_code=language)
        assert collaborator.name == fm["title"], rel
        assert collaborator.url == fm.get("web", ""), rel
        assert collaborator.logo_alt == fm["logo"].get("alt", ""), rel
        assert collaborator.logo.file_hash == sha1(media_file(sample_dir, fm["logo"]["path"]))
        assert run.file(rel)["status"] == "created"
    # SVG logos import like any other image, once per content.
    svg = Collaborator.objects.filter(slug="decidim").values_list("logo__file", flat=True)
    assert {name.rsplit(".", 1)[-1] for name in svg} == {"svg"}
    assert len(set(Collaborator.objects.filter(slug="decidim").values_list("logo", flat=True))) == 1


def test_every_service_field_and_tag_is_imported(imported_sample, sample_dir):
    run = imported_sample
    assert run.failed is None
    es_titles, es_sources = {}, {}
    checked_tags = set()
    for rel, language, source in sources(sample_dir, "_services"):
        fm = source.front_matter
        page = ServicePage.objects.get(slug=fm["slug"], locale__language_code=language)
        # A translation without words of its own is a draft synced from the Spanish page.
        stub = language != "es" and is_stub("services", source)
        assert page.live is not stub, rel
        assert run.file(rel)["untranslated"] is ("title" not in fm)
        if language == "es":
            es_sources[fm["slug"]] = source
        elif stub:
            # Everything below is found again as the Spanish file has it.
            source = es_sources[fm["slug"]]
            fm = source.front_matter
        blocks = list(page.body)
        by_type = {}
        for block in blocks:
            by_type.setdefault(block.block_type, []).append(block.value)
        if language == "es":
            es_titles[fm["slug"]] = fm["title"]
        # Front matter
        assert page.title == fm.get("title", es_titles[fm["slug"]]), rel
        if "description" in fm:
            assert page.description == fm["description"], rel
        assert page.image.file_hash == sha1(media_file(sample_dir, fm["image"]["path"])), rel
        assert page.image_alt == fm["image"].get("alt", ""), rel
        (collaborators,) = by_type["collaborators"]
        found = {c.slug for c in collaborators["collaborators"]}
        for slug in fm["collaborators"]:
            assert slug in found, (rel, slug)
        # wagtail-localize points a synced stub at the collaborators of its own language too.
        linked = {c.locale.language_code for c in collaborators["collaborators"]}
        assert linked == {language}, rel
        assert stub or run.file(rel)["status"] == "created", rel
        # The front matter's call to action is the page's own field; its button opens the
        # default contact form (cta-contact-service) in the page's language.
        assert "call_to_action" not in by_type, rel
        cta_source = fm["call_to_action"]
        (cta_block,) = page.call_to_action
        cta = cta_block.value
        assert (cta["url"], cta["page"]) == ("", None), rel
        # A stub is synced from the Spanish page, Spanish form included (readers of its
        # language get the Spanish page through the fallback chain anyway).
        assert (cta["form"].slug, cta["form"].locale.language_code) == (
            "cta-contact-service",
            "es" if stub else language,
        ), rel
        assert cta["image"].file_hash == sha1(media_file(sample_dir, cta_source["image_path"]))
        if "text" in cta_source:
            assert cta["text"] == cta_source["text"], rel
            assert cta["button_label"] == cta_source["url_text"], rel
            assert cta["image_alt"] == cta_source["image_alt"], rel
        for key in set(fm) - {
            "layout",
            "slug",
            "title",
            "description",
            "image",
            "collaborators",
            "call_to_action",
        }:
            kept = [v["source"] for v in by_type["verbatim"] if v["source"].startswith(f"{key}:")]
            assert kept, (rel, key)
            assert fm[key]["path"] in kept[0]
            assert any(f"'{key}'" in w for w in run.file(rel)["warnings"])
        # Body: every tag becomes its block with all its fields
        for segment in source.segments:
            if isinstance(segment, Tag):
                checked_tags.add(segment.name)
                values = by_type[segment.name]
                if segment.name in ("metrics", "questions"):
                    wanted = [
                        {
                            k: item.get(k, "")
                            for k in (
                                {"number", "text"} if segment.name == "metrics" else {"question"}
                            )
                        }
                        for item in segment.args["items"]
                    ]
                    assert any([dict(i) for i in v["items"]] == wanted for v in values), (
                        rel,
                        segment.raw,
                    )
                else:
                    pytest.fail(f"{rel}: tag {segment.name} has no check")
        # Body: separators, lone images, iframes and the words between them
        body_lines = [line.strip() for line in source.body.split("\n")]
        separators = [line for line in body_lines if SEPARATOR_LINE.match(line)]
        assert len(by_type.get("separator", [])) == len(separators), rel
        images = [IMAGE_LINE.match(line) for line in body_lines if IMAGE_LINE.match(line)]
        got = [(v["alt"], v["image"].file_hash) for v in by_type.get("image", [])]
        assert got == [(m["alt"], sha1(media_file(sample_dir, m["src"]))) for m in images], rel
        for value, match in zip(by_type.get("image", []), images, strict=True):
            assert match["title"] in (value["image"].title, value["alt"], value["caption"])
        iframes = [
            attrs["src"]
            for segment in source.segments
            if isinstance(segment, Markdown)
            for tag, attrs in html_elements(segment.text)[0]
            if tag == "iframe"
        ]
        assert [v["url"] for v in by_type.get("video", [])] == iframes, rel
        kept_text = stream_texts(page)
        for line in body_lines:
            if not line or "{%" in line or SEPARATOR_LINE.match(line) or IMAGE_LINE.match(line):
                continue
            if line.startswith("<iframe"):
                continue
            assert line in kept_text, (rel, line)
    assert checked_tags == {"metrics", "questions"}
    # The Vimeo embed's wrapper <div style> and <script> are kept for editors, and reported.
    matchfunding = ServicePage.objects.get(slug="matchfunding", locale__language_code="es")
    verbatim = [b.value for b in matchfunding.body if b.block_type == "verbatim"]
    assert len(verbatim) == 1
    assert verbatim[0]["source"].startswith('<div style="padding:56.25% 0 0 0;position:relative;">')
    assert verbatim[0]["reason"] == "HTML around the video: <div>, <script>"
    assert run.file("_services/es/estrategias-de-matchfunding.md")["warnings"] == [
        "_services/es/estrategias-de-matchfunding.md, line 81: HTML around a video that the "
        "sanitiser would strip (<div>, <script>) kept in a verbatim block; the video itself "
        "became a video block"
    ]


def test_images_are_imported_once_per_content(imported_sample, sample_dir):
    run = imported_sample
    references = set()
    named_calls = set()
    for collection in ("_services", "_collaborators", *NEW_COLLECTIONS):
        for _rel, _language, source in sources(sample_dir, collection):
            references.update(
                r for r in media_references(source) if media_file(sample_dir, r).is_file()
            )
            if collection == "_categories":
                named_calls.add(source.front_matter["call_to_action"])
    # Every call-to-action file is a contact form with its image.
    for path in sorted((sample_dir / "_call_to_actions").glob("*.md")):
        source = parse_file(path.read_bytes(), path.name)
        references.update(
            r for r in media_references(source) if media_file(sample_dir, r).is_file()
        )
    # A generic page's image is the first of img, image, Image and symbol (the others are
    # kept in its notes); the home page's sections name the values image.
    for _rel, _language, source in sources(sample_dir, "_pages"):
        fm = source.front_matter
        key = next(k for k in ("img", "image", "Image", "symbol") if k in fm)
        references.add(fm[key]["source" if key == "img" else "path"])
    for path in (sample_dir / "_data").glob("*/homepage/main.yml"):
        references.add(yaml.safe_load(path.read_text(encoding="utf-8"))["values_img"])
    # The stale 'Image:' key is kept verbatim, not imported.
    hashes = {sha1(media_file(sample_dir, r)) for r in references}
    assert get_image_model().objects.count() == len(hashes)
    assert run.report["media"]["created"]["images"] == len(hashes)
    assert {"gif", "png", "svg", "jpg"} <= {
        name.rsplit(".", 1)[-1] for name in get_image_model().objects.values_list("file", flat=True)
    }


def test_translations_are_linked_through_wagtail_localize(imported_sample):
    locales = {loc.language_code: loc for loc in Locale.objects.all()}
    for slug in ("democratic-funding", "matchfunding", "participatory-diagnosis"):
        es = ServicePage.objects.get(slug=slug, locale=locales["es"])
        for code in ("en", "ca"):
            target = ServicePage.objects.get(slug=slug, locale=locales[code])
            assert target.translation_key == es.translation_key
            assert es.get_translation(locales[code]).pk == target.pk
            translation = Translation.objects.get(
                source__object_id=es.translation_key, target_locale=locales[code]
            )
            assert translation.enabled
            assert translation.source.locale == locales["es"]
    for slug in ("decidim", "ay-bcn"):
        es = Collaborator.objects.get(slug=slug, locale=locales["es"])
        assert {c.locale.language_code for c in es.get_translations(inclusive=True)} == {
            "es",
            "en",
            "ca",
        }
        assert (
            Translation.objects.filter(source__object_id=es.translation_key, enabled=True).count()
            == 2
        )
    # Where the structures line up, wagtail-localize knows the target's own words.
    es = ServicePage.objects.get(slug="democratic-funding", locale=locales["es"])
    source = Translation.objects.get(
        source__object_id=es.translation_key, target_locale=locales["en"]
    ).source
    known = set(
        StringTranslation.objects.filter(
            translation_of__segments__source=source, locale=locales["en"]
        ).values_list("translation_of__data", "data")
    )
    assert {
        ("Crowdfunding cívico", "Civic crowdfunding"),
        ("Dinero recaudado", "Money raised"),
        ("Proyectos exitosos", "Successfull projects"),
        ("¿Quieres saber más?", "Want to know more?"),
    } <= known


def _sample_files(root) -> tuple[int, dict[str, int]]:
    """The files of the collections the importer models (Markdown, and YAML in _data), and
    the Markdown files of the others."""
    from importer.run import CALL_TO_ACTIONS, DATA, JEKYLL_FOLDERS, MODELLED

    modelled, skipped = 0, {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("_")):
        if folder.name in JEKYLL_FOLDERS:
            continue
        count = sum(1 for p in folder.rglob("*.md") if p.is_file())
        if folder.name == DATA:
            modelled += sum(1 for p in folder.rglob("*") if p.is_file())
        elif folder.name in (*MODELLED, CALL_TO_ACTIONS):
            modelled += count
        else:
            skipped[folder.name.lstrip("_")] = count
    return modelled, skipped


def test_second_run_changes_nothing(run_import, sample_dir):
    first = run_import(sample_dir)
    counts = (
        ServicePage.objects.count(),
        Collaborator.objects.count(),
        get_image_model().objects.count(),
        Revision.objects.count(),
        ImportRecord.objects.count(),
        Translation.objects.count(),
    )
    second = run_import(sample_dir)
    assert second.failed is None
    assert set(second.statuses().values()) == {"unchanged"}
    modelled, skipped = _sample_files(sample_dir)
    assert len(second.statuses()) == len(first.statuses()) == modelled
    assert counts == (
        ServicePage.objects.count(),
        Collaborator.objects.count(),
        get_image_model().objects.count(),
        Revision.objects.count(),
        ImportRecord.objects.count(),
        Translation.objects.count(),
    )
    assert [
        (r["collection"], r["language"], r["unchanged"], r["warnings"])
        for r in second.report["summary"]
    ] == [
        # The home pages exist before the import: their files update them.
        (r["collection"], r["language"], r["created"] + r["updated"], r["warnings"])
        for r in first.report["summary"]
    ]
    assert second.report["skipped_collections"] == skipped


def test_changed_file_updates_the_page_in_place(run_import, sample_copy):
    run_import(sample_copy)
    es = ServicePage.objects.get(slug="democratic-funding", locale__language_code="es")
    before = (es.pk, es.url, es.revisions.count())
    path = sample_copy / "_services/es/financiación-democrática.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: Crowdfunding cívico", "title: Crowdfunding cívico y abierto")
        + "\nUn párrafo nuevo.\n",
        encoding="utf-8",
    )
    run = run_import(sample_copy)
    es.refresh_from_db()
    assert (es.pk, es.url, es.revisions.count()) == (before[0], before[1], before[2] + 1)
    assert es.title == "Crowdfunding cívico y abierto"
    assert "Un párrafo nuevo." in stream_texts(es)
    changed = {p: s for p, s in run.statuses().items() if s != "unchanged"}
    # Its translations are re-linked to the new source text (the Catalan stub takes its title).
    assert changed == {
        "_services/es/financiación-democrática.md": "updated",
        "_services/en/financiación-democrática.md": "updated",
        "_services/cat/financiación-democrática.md": "updated",
    }
    ca = ServicePage.objects.get(slug="democratic-funding", locale__language_code="ca")
    assert ca.title == "Crowdfunding cívico y abierto"


def test_dry_run_reports_and_writes_nothing(run_import, sample_dir, settings, tmp_path):
    media_root = tmp_path / "media"
    settings.MEDIA_ROOT = str(media_root)
    before = (ServicePage.objects.count(), Collaborator.objects.count(), Revision.objects.count())
    dry = run_import(sample_dir, "--dry-run")
    assert dry.report["dry_run"] is True
    assert "Dry run: nothing was written." in dry.stdout
    assert before == (
        ServicePage.objects.count(),
        Collaborator.objects.count(),
        Revision.objects.count(),
    )
    assert get_image_model().objects.count() == 0
    assert ImportRecord.objects.count() == 0
    assert not media_root.exists() or not any(media_root.rglob("*.*"))
    real = run_import(sample_dir)
    assert dry.statuses() == real.statuses()
    assert dry.report["summary"] == real.report["summary"]
    assert dry.report["media"] == real.report["media"]

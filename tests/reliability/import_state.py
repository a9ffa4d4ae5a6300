"""The state an import leaves, for the tests that interrupt or kill one.

``build_site`` writes a site (the demo content plus numbered services with images of their
own); ``snapshot`` describes everything the importer wrote, free of database ids, so two
databases can be compared; ``clean_import`` is the snapshot of one uninterrupted import.

``manage.py shell -c "from tests.reliability.import_state import main; main()"`` prints
the snapshot of the configured database as JSON.
"""

import json
import shutil
import sys
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision
from wagtail_localize.models import StringTranslation, TranslationSource

from cms.demo import DEMO_CONTENT
from cms.models import Collaborator, ImportRecord
from importer.media import scratch_storage
from importer.run import Importer, Options, run_import
from services.models import ServicePage

# --- the site ----------------------------------------------------------------------------

SERVICE = """---
layout: service
slug: {slug}
title: {title}
description: Servicio **{n}** de la prueba, con una descripción
  en dos líneas.
image:
  path: /media/services/{slug}.png
  alt: Imagen de {title}
collaborators:
  - decidim
  - goteo
call_to_action:
  image_path: /media/services/ask-us.gif
  image_alt: ¿Quieres saber más?
  text: ¿Quieres saber más sobre {title}?
  url: Pregúntanos
  url_text: Pregúntanos
---
# {title}

Primer párrafo de {title}, con [un enlace](https://example.org/{slug}).

{{% metrics {{"items": [{{"text": "Proyectos", "number": "{n}"}}, {{"text": "Personas", "number": "{n}00"}}]}} %}}

# _

{{% quote {{"author": "Ana {n}"}} %}}Una cita del servicio {n}.{{% endquote %}}

![Foto de {title}](/media/services/{slug}.png "Foto {n}")

{{% questions {{"items": [{{"question": "¿Pregunta {n}?"}}]}} %}}

{{% video {{"title": "Vídeo {n}", "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ"}} %}}
"""  # noqa: E501 - one tag on one line, as in the source format


def build_site(root: Path, services: int = 4, translated: tuple[int, ...] = (1, 2)) -> Path:
    """The demo's services and collaborators plus ``services`` more service pages, each with
    an image of its own.

    Services whose number is in ``translated`` also get an English file (a different file
    name, the same slug); the others are Spanish only.
    """
    # The services and collaborators of the demo in Spanish and English: the file orders and
    # snapshots below are written for them (projects, categories, members, states and the
    # Catalan files have tests of their own).
    shutil.copytree(
        DEMO_CONTENT,
        root,
        ignore=shutil.ignore_patterns(
            "ca",
            "_projects",
            "_categories",
            "_members",
            "_states",
            "_call_to_actions",
            "_pages",
            "_data",
        ),
    )
    for n in range(1, services + 1):
        slug = f"servicio-{n}"
        colour = (40 * n % 256, 90, 160)
        image = root / "media" / "services" / f"{slug}.png"
        PILImage.new("RGB", (12, 8), colour).save(image, format="PNG")
        text = SERVICE.format(slug=slug, title=f"Servicio {n}", n=n)
        (root / "_services" / "es" / f"s{n}.md").write_text(text, encoding="utf-8")
        if n in translated:
            english = text.replace(f"title: Servicio {n}", f"title: Service {n}")
            english = english.replace("Primer párrafo", "First paragraph")
            (root / "_services" / "en" / f"service-{n}.md").write_text(english, encoding="utf-8")
    return root


def file_order(site: Path) -> list[str]:
    """The files in the order the importer imports them."""
    return [entry.rel for entry in Importer(Options(source_dir=site))._scan()]


# --- what the database holds -------------------------------------------------------------


def _key(collection: str, language: str, slug: str) -> str:
    return f"{collection}/{language}/{slug}"


def _media_names(model) -> set[str]:
    return set(model.objects.values_list("file", flat=True))


def _stored_files(model, folder: str) -> set[str]:
    storage = model._meta.get_field("file").storage
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return set()
    return {f"{folder}/{name}" for name in files}


def snapshot() -> dict:
    """Everything the importer writes, keyed by source item, free of database ids.

    ``items`` maps ``collection/language/slug`` to the object the file became (fields,
    body blocks with their ids, its import record, its revisions and, for a translation,
    its wagtail-localize source, translation and strings). ``leftovers`` lists what belongs
    to no item (orphan images, duplicate media, unaccounted revisions, sources or records);
    after any import, complete or interrupted, it must be empty.
    """
    Image, Document = get_image_model(), get_document_model()
    images = dict(Image.objects.values_list("pk", "file_hash"))
    documents = dict(Document.objects.values_list("pk", "file_hash"))
    collaborators = {
        c.pk: _key("collaborators", c.locale.language_code, c.slug)
        for c in Collaborator.objects.select_related("locale")
    }
    referenced: set[str] = set()

    def image(pk):
        if pk is None:
            return None
        referenced.add(images.get(pk, f"missing image {pk}"))
        return images.get(pk, f"missing image {pk}")

    def normalise(node, key=None):
        if isinstance(node, dict):
            return {k: normalise(v, k) for k, v in node.items()}
        if isinstance(node, list):
            if key == "collaborators":
                return [
                    {**item, "value": collaborators.get(item["value"], item["value"])}
                    for item in node
                ]
            return [normalise(v, key) for v in node]
        if key in ("image", "sticker_one", "sticker_two") and isinstance(node, int):
            return image(node)
        if key == "document" and isinstance(node, int):
            return documents.get(node, f"missing document {node}")
        return node

    def translation_of(obj, model, language_field="locale__language_code"):
        source = (
            model.objects.filter(translation_key=obj.translation_key, **{language_field: "es"})
            .exclude(pk=obj.pk)
            .first()
        )
        return source.slug if source is not None else None

    def localize(obj):
        if obj.locale.language_code == "es":
            return None
        sources = TranslationSource.objects.filter(object_id=obj.translation_key)
        return {
            "sources": [
                {
                    "targets": sorted(
                        (t.target_locale.language_code, t.enabled)
                        for t in source.translations.select_related("target_locale")
                    ),
                    "segments": source.stringsegment_set.count(),
                }
                for source in sources
            ],
            "strings": sorted(
                (s.context.path, s.data, s.translation_type)
                for s in StringTranslation.objects.filter(
                    locale=obj.locale, context__object_id=obj.translation_key
                ).select_related("context")
            ),
        }

    items: dict[str, dict] = {}
    for c in Collaborator.objects.select_related("locale").order_by("pk"):
        items[collaborators[c.pk]] = {
            "name": c.name,
            "url": c.url,
            "logo": image(c.logo_id),
            "logo_alt": c.logo_alt,
            "notes": c.notes,
            "translation_of": translation_of(c, Collaborator),
            "localize": localize(c),
        }
    page_type = ContentType.objects.get_for_model(ServicePage)
    for page in ServicePage.objects.select_related("locale").order_by("pk"):
        key = _key("services", page.locale.language_code, page.slug)
        items[key] = {
            "title": page.title,
            "url_path": page.url_path,
            "live": page.live,
            "has_unpublished_changes": page.has_unpublished_changes,
            "description": page.description,
            "image": image(page.image_id),
            "image_alt": page.image_alt,
            "body": normalise(list(page.body.raw_data)),
            "call_to_action": normalise(list(page.call_to_action.raw_data)),
            "revisions": Revision.objects.filter(
                content_type=page_type, object_id=str(page.pk)
            ).count(),
            "translation_of": translation_of(page, ServicePage),
            "localize": localize(page),
        }
    objects = {
        ContentType.objects.get_for_model(Collaborator).pk: collaborators,
        page_type.pk: {
            p.pk: _key("services", p.locale.language_code, p.slug)
            for p in ServicePage.objects.select_related("locale")
        },
    }
    leftovers: dict[str, object] = {}
    for record in ImportRecord.objects.order_by("pk"):
        key = _key(record.collection, record.language_code, record.slug)
        target = objects.get(record.content_type_id, {}).get(record.object_id)
        if key not in items or target != key or "record" in items[key]:
            leftovers.setdefault("records without their object", []).append(key)
            continue
        items[key]["record"] = {
            "source_path": record.source_path,
            "content_hash": record.content_hash,
            "source_hash": record.source_hash,
            "warnings": record.warnings,
            "untranslated": record.untranslated,
        }
    for item in items.values():
        item.setdefault("record", None)
    hashes = list(images.values())
    if duplicates := sorted({h for h in hashes if hashes.count(h) > 1}):
        leftovers["duplicate images"] = duplicates
    if unused := sorted(set(hashes) - referenced):
        leftovers["images nothing uses"] = unused
    doc_hashes = list(documents.values())
    if duplicates := sorted({h for h in doc_hashes if doc_hashes.count(h) > 1}):
        leftovers["duplicate documents"] = duplicates
    revisions = Revision.objects.filter(content_type=page_type).count()
    if revisions != sum(i.get("revisions", 0) for i in items.values()):
        leftovers["revisions of no page"] = revisions
    sources = TranslationSource.objects.count()
    if sources != sum(len((i["localize"] or {}).get("sources", [])) for i in items.values()):
        leftovers["translation sources of no item"] = sources
    orphans = sorted(
        (_stored_files(Image, "original_images") - _media_names(Image))
        | (_stored_files(Document, "documents") - _media_names(Document))
    )
    return {"items": items, "leftovers": leftovers, "media_orphans": orphans}


def restricted(clean: dict, done: list[str]) -> dict:
    """What ``clean`` holds of the files in ``done``: the state after importing only them."""
    done = set(done)
    return {
        "items": {
            key: item
            for key, item in clean["items"].items()
            if item["record"] is not None and item["record"]["source_path"] in done
        },
        "leftovers": {},
        "media_orphans": [],
    }


_clean_imports: dict[tuple, dict] = {}


def clean_import(site: Path, *build) -> dict:
    """The snapshot of one uninterrupted import of ``site``, rolled back afterwards.

    ``build`` are the arguments ``site`` was built with: the same site gives the same
    snapshot, so it is taken once per test run.
    """
    if build in _clean_imports:
        return _clean_imports[build]
    with scratch_storage(), transaction.atomic():
        report = run_import(Options(source_dir=site))
        assert report.error_count == 0, [e for f in report.files for e in f.errors]
        state = snapshot()
        transaction.set_rollback(True)
    assert state["leftovers"] == {}
    assert state["media_orphans"] == []
    _clean_imports[build] = state
    return state


def main() -> None:
    json.dump(snapshot(), sys.stdout, ensure_ascii=False, sort_keys=True)

"""Drive an import: find the files, import each in its own transaction, and report."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from services.models import ServicePage
from services.stream import ServiceBodyBlock

from ..models import Collaborator, ImportRecord
from ..site_structure import ensure_site_structure
from .journal import ImportJournal, JournalBusy
from .mapping import Mapper, Outcome, media_references, validation_messages
from .media import MediaLibrary, scratch_storage
from .source import MAX_FILE_BYTES, SourceError, SourceFile, parse_file

# Bump when the mapping changes, so a re-run rewrites pages made by an older importer.
IMPORTER_VERSION = "1"

# Collections the CMS models, in the order they are imported (pages refer to collaborators).
MODELLED = {"_collaborators": "collaborators", "_services": "services"}
# Jekyll's own folders: code and build output, not content.
JEKYLL_FOLDERS = frozenset({"_layouts", "_includes", "_sass", "_site", "_plugins"})
DEFAULT_LOCALE_MAP = {"cat": "ca"}
STATUSES = ("created", "updated", "unchanged", "skipped")


class ImportFailure(Exception):
    """A problem that keeps one file out of the database; the message names the file."""


@dataclass
class Options:
    """How to run an import."""

    source_dir: Path
    media_dir: Path | None = None
    locale_map: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LOCALE_MAP))
    dry_run: bool = False
    draft: bool = False
    contact_url: str = "#contact"
    max_file_bytes: int = MAX_FILE_BYTES


@dataclass
class FileReport:
    """The outcome of one source file."""

    path: str
    collection: str
    language: str
    slug: str = ""
    status: str = "error"
    object_id: int | None = None
    title: str = ""
    url: str = ""
    untranslated: bool = False
    synced: bool | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything an import did or, in a dry run, would do."""

    source_dir: str
    media_dir: str
    dry_run: bool
    draft: bool
    files: list[FileReport] = field(default_factory=list)
    skipped_collections: dict[str, int] = field(default_factory=dict)
    media: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.files if f.errors)

    @property
    def warning_count(self) -> int:
        return sum(len(f.warnings) for f in self.files)

    def summary(self) -> list[dict]:
        """One row per collection and language: created, updated, unchanged, ... counts."""
        rows: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for f in self.files:
            row = rows[(f.collection, f.language)]
            if f.status in STATUSES:
                row[f.status] += 1
            row["warnings"] += len(f.warnings)
            row["errors"] += 1 if f.errors else 0
            row["untranslated"] += 1 if f.untranslated else 0
        for name, count in self.skipped_collections.items():
            rows[(name, "*")]["skipped"] += count
        keys = (*STATUSES, "warnings", "errors", "untranslated")
        return [
            {"collection": c, "language": lang, **{k: rows[(c, lang)][k] for k in keys}}
            for c, lang in sorted(rows)
        ]

    def to_dict(self) -> dict:
        return {
            "source_dir": self.source_dir,
            "media_dir": self.media_dir,
            "dry_run": self.dry_run,
            "draft": self.draft,
            "summary": self.summary(),
            "skipped_collections": self.skipped_collections,
            "media": self.media,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "files": [asdict(f) for f in self.files],
        }


@dataclass
class _Entry:
    path: Path
    rel: str
    collection: str
    language: str
    raw: bytes = b""
    source: SourceFile | None = None
    error: str | None = None
    digest: str = ""

    @property
    def slug(self) -> str:
        if self.source is None:
            return ""
        slug = self.source.front_matter.get("slug")
        return "" if slug is None else str(slug)


def _content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


class Importer:
    """Imports one site; see ``run``."""

    def __init__(self, options: Options, progress: Callable[[int, int, str], None] | None = None):
        self.options = options
        self.root = Path(options.source_dir).resolve()
        self.media = MediaLibrary(Path(options.media_dir or options.source_dir))
        self.progress = progress
        self.default_language = settings.LANGUAGE_CODE
        self.report = Report(
            source_dir=str(self.root),
            media_dir=str(self.media.root),
            dry_run=options.dry_run,
            draft=options.draft,
        )
        self._collaborators: dict[tuple[str, str], Collaborator] | None = None
        self._translation_sources: dict[tuple[int, int], TranslationSource] = {}
        self.mapper = Mapper(
            self.media, contact_url=options.contact_url, find_collaborator=self._find_collaborator
        )

    # --- the run -----------------------------------------------------------------------

    def run(self) -> Report:
        if not self.root.is_dir():
            raise ImportFailure(f"{self.options.source_dir} is not a folder")
        guard = scratch_storage() if self.options.dry_run else nullcontext()
        outer = transaction.atomic() if self.options.dry_run else nullcontext()
        # A dry run writes no media, so it neither needs the journal nor cleans up after others.
        journal = None if self.options.dry_run else ImportJournal()
        try:
            with journal if journal is not None else nullcontext():
                self._run(guard, outer, journal)
        except JournalBusy as exc:
            raise ImportFailure(str(exc)) from None
        self.report.media = {
            "created": dict(self.media.created),
            "reused": dict(self.media.reused),
            "leftovers_removed": self.leftovers_removed,
        }
        return self.report

    def _run(self, guard, outer, journal: ImportJournal | None) -> None:
        # Files an import killed mid-file wrote and no image or document refers to.
        self.leftovers_removed = journal.recover() if journal is not None else []
        self.media.journal = journal
        with guard, outer:
            structure = ensure_site_structure()
            self.indexes = structure.service_indexes
            self.locales = {code: home.locale for code, home in structure.homes.items()}
            entries = self._scan()
            self._parse(entries)
            self._check_duplicates(entries)
            self._entries_by_key: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
            for entry in entries:
                self._entries_by_key[(entry.collection, entry.slug)].append(entry)
            self._digests(entries)
            self.records = {
                (r.collection, r.language_code, r.slug): r for r in ImportRecord.objects.all()
            }
            for done, entry in enumerate(entries, start=1):
                if self.progress:
                    self.progress(done, len(entries), entry.rel)
                self.report.files.append(self._import(entry))
            if self.options.dry_run:
                transaction.set_rollback(True)

    def _scan(self) -> list[_Entry]:
        entries: list[_Entry] = []
        languages = _content_languages()
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            name = folder.name
            if not name.startswith("_") or name in JEKYLL_FOLDERS:
                continue
            files = sorted(p for p in folder.rglob("*.md") if p.is_file())
            collection = MODELLED.get(name)
            if collection is None:
                self.report.skipped_collections[name.lstrip("_")] = len(files)
                continue
            for path in files:
                rel = path.relative_to(self.root).as_posix()
                parts = path.relative_to(folder).parts
                folder_name = parts[0] if len(parts) > 1 else ""
                language = self.options.locale_map.get(folder_name, folder_name)
                entry = _Entry(path, rel, collection, language or "?")
                if not folder_name:
                    entry.error = (
                        f"{rel}: not inside a language folder (expected {name}/<language>/…)"
                    )
                elif language not in languages:
                    entry.error = (
                        f"{rel}: language folder '{folder_name}' is not one of "
                        f"{', '.join(languages)} (map it with --locale-map {folder_name}=CODE)"
                    )
                entries.append(entry)
        order = list(MODELLED.values())
        entries.sort(
            key=lambda e: (
                order.index(e.collection),
                e.language != self.default_language,
                e.language,
                e.rel,
            )
        )
        return entries

    def _parse(self, entries: list[_Entry]) -> None:
        for entry in entries:
            if entry.error:
                continue
            try:
                if entry.path.is_symlink() and not entry.path.resolve().is_relative_to(self.root):
                    raise SourceError(entry.rel, None, "is a link to a file outside the site")
                size = entry.path.stat().st_size
                if size > self.options.max_file_bytes:
                    raise SourceError(
                        entry.rel,
                        None,
                        f"file is too large to be a page ({size:,} bytes; the limit is "
                        f"{self.options.max_file_bytes:,} bytes)",
                    )
                entry.raw = entry.path.read_bytes()
                entry.source = parse_file(entry.raw, entry.rel, self.options.max_file_bytes)
            except SourceError as exc:
                entry.error = str(exc)
                continue
            except OSError as exc:
                entry.error = f"{entry.rel}: cannot be read ({exc.strerror or exc})"
                continue
            slug = entry.source.front_matter.get("slug")
            if slug is None or not str(slug).strip():
                entry.error = f"{entry.rel}: no 'slug' in the front matter"
            elif not isinstance(slug, str | int):
                entry.error = f"{entry.rel}: 'slug' must be a single word, not a list or mapping"

    def _check_duplicates(self, entries: list[_Entry]) -> None:
        groups: dict[tuple[str, str, str], list[_Entry]] = defaultdict(list)
        for entry in entries:
            if entry.source is not None and not entry.error:
                groups[(entry.collection, entry.language, entry.slug)].append(entry)
        for (_collection, language, slug), group in groups.items():
            if len(group) < 2:
                continue
            names = ", ".join(e.rel for e in group)
            for entry in group:
                entry.error = (
                    f"{entry.rel}: slug '{slug}' is used by several {language} files ({names}); "
                    "none of them was imported: give each a different slug"
                )

    def _digests(self, entries: list[_Entry]) -> None:
        by_slug: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        for entry in entries:
            by_slug[(entry.collection, entry.slug)].append(entry)
        common = f"{IMPORTER_VERSION}|{self.options.draft}|{self.options.contact_url}"
        own: dict[int, str] = {}
        for entry in entries:
            h = hashlib.sha256(common.encode())
            h.update(entry.raw)
            h.update((entry.error or "").encode())
            if entry.source is not None:
                for reference in media_references(entry.source):
                    h.update(f"|{reference}={self.media.digest(reference)}".encode())
            own[id(entry)] = h.hexdigest()
        for entry in entries:
            h = hashlib.sha256(own[id(entry)].encode())
            if entry.collection == "services" and entry.source is not None:
                slugs = entry.source.front_matter.get("collaborators") or []
                for slug in slugs if isinstance(slugs, list) else [slugs]:
                    for other in by_slug.get(("collaborators", str(slug)), []):
                        h.update(f"|{other.language}:{own[id(other)]}".encode())
            if entry.language != self.default_language:
                for other in by_slug.get((entry.collection, entry.slug), []):
                    if other.language == self.default_language:
                        h.update(f"|source:{own[id(other)]}".encode())
            entry.digest = h.hexdigest()

    # --- one file ----------------------------------------------------------------------

    def _import(self, entry: _Entry) -> FileReport:
        result = FileReport(entry.rel, entry.collection, entry.language, slug=entry.slug)
        if entry.error:
            result.errors.append(entry.error)
            return result
        outcome = Outcome(entry.rel, slug=entry.slug)
        try:
            with transaction.atomic():
                if entry.collection == "services":
                    self._service(entry, outcome, result)
                else:
                    self._collaborator(entry, outcome, result)
        except ImportFailure as exc:
            self.media.rollback_file()
            result.status, result.errors = "error", [f"{entry.rel}: {exc}"]
        except ValidationError as exc:
            self.media.rollback_file()
            reason = "; ".join(validation_messages(exc))
            result.status, result.errors = "error", [f"{entry.rel}: not valid: {reason}"]
        except Exception as exc:  # One broken file must not stop the others.
            self.media.rollback_file()
            result.status = "error"
            result.errors = [f"{entry.rel}: unexpected {type(exc).__name__}: {exc}"]
        except BaseException:
            # Interrupted (Ctrl-C, SystemExit): the file's rows were rolled back, and so are
            # the media files it wrote; the run stops.
            self.media.rollback_file()
            raise
        else:
            self.media.commit_file()
        if result.status == "error":
            result.warnings = outcome.warnings
        return result

    def _unchanged(self, entry: _Entry, model, result: FileReport):
        """The existing object when the file has not changed since it was imported."""
        record = self.records.get((entry.collection, entry.language, entry.slug))
        if record is None or record.content_hash != entry.digest:
            return record, None
        obj = model.objects.filter(pk=record.object_id).first()
        if obj is None:
            return record, None
        result.status = "unchanged"
        result.warnings = list(record.warnings)
        result.untranslated = record.untranslated
        return record, obj

    def _save_record(self, entry, record, obj, outcome: Outcome, source_digest: str = ""):
        values = {
            "source_path": entry.rel,
            "content_hash": entry.digest,
            "source_hash": source_digest,
            "content_type": ContentType.objects.get_for_model(type(obj)),
            "object_id": obj.pk,
            "warnings": outcome.warnings,
            "untranslated": outcome.untranslated,
        }
        if record is None:
            record = ImportRecord(
                collection=entry.collection,
                slug=entry.slug,
                language_code=entry.language,
                **values,
            )
        else:
            for key, value in values.items():
                setattr(record, key, value)
        record.save()
        self.records[(entry.collection, entry.language, entry.slug)] = record

    def _source_object(self, entry: _Entry, model):
        """The source-language object with the same slug (from this run or an earlier one)."""
        if entry.language == self.default_language:
            return None
        record = self.records.get((entry.collection, self.default_language, entry.slug))
        if record is not None:
            obj = model.objects.filter(pk=record.object_id).first()
            if obj is not None:
                return obj
        if model is ServicePage:
            index = self.indexes[self.default_language]
            return ServicePage.objects.child_of(index).filter(slug=entry.slug).first()
        return model.objects.filter(
            slug=entry.slug, locale__language_code=self.default_language
        ).first()

    def _source_front_matter(self, entry: _Entry, source_obj) -> dict:
        """The front matter of the source-language file, for what a stub leaves out."""
        for candidate in self._entries_by_key.get((entry.collection, entry.slug), []):
            if candidate.language == self.default_language and candidate.source is not None:
                return candidate.source.front_matter
        if source_obj is None:
            return {}
        if isinstance(source_obj, ServicePage):
            return {"title": source_obj.title, "description": source_obj.description}
        return {"title": source_obj.name}

    def _link(self, entry, source_obj, target, outcome: Outcome, result: FileReport) -> None:
        """Make ``target`` a wagtail-localize translation of ``source_obj``."""
        locale = target.locale
        if target.translation_key != source_obj.translation_key:
            taken = (
                type(target)
                .objects.filter(translation_key=source_obj.translation_key, locale=locale)
                .exclude(pk=target.pk)
                .exists()
            )
            if taken:
                outcome.warn(
                    f"another {locale.language_code} object already translates the "
                    f"{self.default_language} '{entry.slug}'; not linked as its translation"
                )
                return
            type(target).objects.filter(pk=target.pk).update(
                translation_key=source_obj.translation_key
            )
            target.translation_key = source_obj.translation_key
        key = (ContentType.objects.get_for_model(type(source_obj)).pk, source_obj.pk)
        source = self._translation_sources.get(key)
        if source is None:
            source, _ = TranslationSource.update_or_create_from_instance(source_obj)
            self._translation_sources[key] = source
        Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        # Give wagtail-localize the target's own words for every string at the same place,
        # so a later sync keeps them.
        theirs = {
            s.path: s.string.data
            for s in extract_segments(target)
            if isinstance(s, StringSegmentValue)
        }
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        known: set[str] = set()
        for segment in segments:
            known.add(segment.context.path)
            text = theirs.get(segment.context.path)
            if text is None:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        # Synced: every string of the target is known to wagtail-localize, so a sync loses none.
        result.synced = set(theirs) <= known

    # --- collaborators -----------------------------------------------------------------

    def _link_or_warn(self, entry, source, target, outcome: Outcome, result, kind: str) -> None:
        """Link a translation to its source-language object, or say why it stands alone."""
        if source is not None:
            self._link(entry, source, target, outcome, result)
        elif entry.language != self.default_language:
            outcome.warn(
                f"no {self.default_language} {kind} with slug '{entry.slug}': imported "
                "without a translation link"
            )

    def _collaborator(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        record, existing = self._unchanged(entry, Collaborator, result)
        if existing is not None:
            result.object_id, result.title = existing.pk, existing.name
            return
        locale = self.locales[entry.language]
        source_obj = self._source_object(entry, Collaborator)
        fallback = self._source_front_matter(entry, source_obj) if source_obj else {}
        fields = self.mapper.collaborator_fields(entry.source, outcome, fallback)
        obj = None
        if record is not None:
            obj = Collaborator.objects.filter(pk=record.object_id).first()
        if obj is None:
            obj = Collaborator.objects.filter(slug=entry.slug, locale=locale).first()
        created = obj is None
        if created:
            obj = Collaborator(slug=entry.slug, locale=locale, translation_key=uuid.uuid4())
            if source_obj is not None:
                taken = Collaborator.objects.filter(
                    translation_key=source_obj.translation_key, locale=locale
                ).exists()
                if not taken:
                    obj.translation_key = source_obj.translation_key
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()
        self._link_or_warn(entry, source_obj, obj, outcome, result, "collaborator")
        self._collaborators = None
        self._save_record(entry, record, obj, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title = obj.pk, obj.name
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated

    def _find_collaborator(self, slug: str, language: str):
        if self._collaborators is None:
            self._collaborators = {
                (c.slug, c.locale.language_code): c
                for c in Collaborator.objects.select_related("locale")
            }
        return self._collaborators.get((slug, language)) or self._collaborators.get(
            (slug, self.default_language)
        )

    # --- services ----------------------------------------------------------------------

    def _service(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        record, existing = self._unchanged(entry, ServicePage, result)
        if existing is not None:
            result.object_id, result.title, result.url = existing.pk, existing.title, existing.url
            return
        locale = self.locales[entry.language]
        index = self.indexes[entry.language]
        source_page = self._source_object(entry, ServicePage)
        fallback = self._source_front_matter(entry, source_page) if source_page else {}
        if entry.language != self.default_language and not fallback:
            fallback = self._source_front_matter(entry, None)
        fields, body = self.mapper.service_content(entry.source, outcome, entry.language, fallback)
        page = None
        if record is not None:
            page = ServicePage.objects.filter(pk=record.object_id).first()
        if page is None:
            page = ServicePage.objects.child_of(index).filter(slug=entry.slug).first()
        if page is None and source_page is not None:
            translated = source_page.get_translation_or_none(locale)
            page = translated.specific if translated is not None else None
        created = page is None
        stream = StreamValue(ServiceBodyBlock(), body.stream_data(), is_lazy=True)
        if created:
            page = ServicePage(slug=entry.slug, locale=locale, live=not self.options.draft)
            if source_page is not None and source_page.get_translation_or_none(locale) is None:
                page.translation_key = source_page.translation_key
            for key, value in fields.items():
                setattr(page, key, value)
            page.body = stream
            index.add_child(instance=page)
        else:
            for key, value in fields.items():
                setattr(page, key, value)
            page.body = stream
            page.full_clean()
        revision = page.save_revision(log_action=True)
        if not self.options.draft:
            revision.publish()
            page.refresh_from_db()
        self._link_or_warn(entry, source_page, page, outcome, result, "service")
        if outcome.untranslated:
            outcome.warn(
                f"no title of its own: titled '{page.title}' from the {self.default_language} "
                "page and flagged untranslated"
            )
        self._save_record(entry, record, page, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title, result.url = page.pk, page.title, page.url or ""
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated


def run_import(options: Options, progress=None) -> Report:
    """Import the site described by ``options`` and return the report."""
    # Messages are written for the report in one language, whatever the site's default.
    with translation.override("en"):
        return Importer(options, progress).run()

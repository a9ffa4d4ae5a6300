"""Drive an import: find the files, import each in its own transaction, and report."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from categories.models import CategoryIndexPage
from cms.models import Collaborator, HomePage, ImportRecord
from cms.paths import site_path
from cms.site_structure import ensure_site_structure
from contact.models import ContactFormField, ContactFormPage
from delivery.renditions import renditions_at_end
from generic.models import StandardPage
from graphql_api.invalidation import held_renewals
from projects.models import ProjectIndexPage
from services.models import ServiceIndexPage, ServicePage
from sitewide.models import SOCIAL_KINDS, Menu, SiteTexts, SocialSettings
from team.models import TEAM_SLUG, TeamIndexPage

from .journal import ImportJournal, JournalBusy
from .mapping import (
    Outcome,
    is_stub,
    media_references,
    reference_slugs,
    validation_messages,
)
from .media import MediaLibrary, scratch_storage
from .pages import LISTING_LAYOUTS, SiteMapper
from .redirects import RedirectCounts, old_urls, sync_redirects
from .registry import (
    BY_NAME,
    COLLECTIONS,
    KINDS,
    LINK_ROWS,
    ORDER,
    PAGES,
    PER_LANGUAGE,
    REFERENCES,
    SNIPPETS,
)
from .site import dump, flatten, load_yaml, merge_notes, string_key
from .source import MAX_FILE_BYTES, SourceError, SourceFile, decode, parse_file, split_front_matter

# Bump when the mapping changes, so a re-run rewrites pages made by an older importer.
IMPORTER_VERSION = "4"

# Collections of one file per object and language, by folder.
MODELLED = {c.folder: c.name for c in COLLECTIONS if c.layout == PER_LANGUAGE}
CALL_TO_ACTIONS = BY_NAME["call_to_actions"].folder
DATA = BY_NAME["data"].folder
# The listing pages that pages of a listing layout fill (pages.LISTING_LAYOUTS).
LISTING_MODELS = {
    "services": ServiceIndexPage,
    "projects": ProjectIndexPage,
    "categories": CategoryIndexPage,
    "team": TeamIndexPage,
}
# _data/<lang>/<name>.yml files that are lists of {name, link}: menus with that handle.
# The home page's sections and the newsletter have their own fields; any other mapping
# becomes interface texts keyed "<name>.<key>" (global.yml's keys have no prefix).
HOME_PAGE_SLUG = "home"
# Jekyll's own folders: code and build output, not content.
JEKYLL_FOLDERS = frozenset({"_layouts", "_includes", "_sass", "_site", "_plugins"})
DEFAULT_LOCALE_MAP = {"cat": "ca"}
STATUSES = ("created", "updated", "unchanged", "skipped")
# The site's main menu (its header): it always leads to the services listing.
MAIN_MENU = "about_nav"

# Stable block ids of imported interface texts, menu items and values, so a file owns its
# blocks (editors' own ones stay) and every language's block lines up for wagtail-localize.
STRING_IDS = uuid.UUID("5a0e4c1e-7b0e-4d5c-9f57-0c6f3f5b2a11")
VALUE_IDS = uuid.UUID("a4f1c7d2-2f3b-4e9a-8c61-6d0b9e3a7f42")


def _text_value(value) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


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
    # The contact form (a call-to-action file's uid) that services' and projects' buttons open.
    default_form: str = "cta-contact-service"
    # Where contact forms send submissions; None: settings.CIVIC_CONTACT_EMAIL.
    form_email: str | None = None


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
    # Redirects from the old site's URLs (importer.redirects): created, updated,
    # unchanged, and the editors' redirects kept.
    redirects: dict = field(default_factory=dict)

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
            "redirects": self.redirects,
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
    stub: bool = False
    # Files that are not one page per file (call-to-action and data files): the identity,
    # one language's part, its key in the file and the parsed data.
    key: str = ""
    part: dict | None = None
    part_key: str = ""
    data: object = None
    duplicates: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    unknown: bool = False

    @property
    def slug(self) -> str:
        if self.key:
            return self.key
        if self.source is None:
            return ""
        slug = self.source.front_matter.get("slug")
        return "" if slug is None else str(slug)


def _content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def fold(slug: str) -> str:
    """A slug as references match it: case-insensitive, accents composed the same way."""
    return unicodedata.normalize("NFC", str(slug)).casefold()


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
        # Call-to-action files by uid (and by file name): (path, front matter, bytes).
        self.call_to_actions: dict[str, tuple[str, dict, bytes]] = {}
        self.form_email = (
            options.form_email
            if options.form_email is not None
            else getattr(settings, "CIVIC_CONTACT_EMAIL", "")
        )
        self.mapper = SiteMapper(
            self.media,
            contact_url=options.contact_url,
            find_collaborator=self._find_collaborator,
            find_form=self._find_form,
            default_form=options.default_form,
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
        # One renewal of the public caches for the whole run, when it ends: its many writes
        # (some send no signal, such as the translation keys' updates) renew nothing alone.
        # The renditions of its images are asked for then too, of those it kept.
        with renditions_at_end(), held_renewals(), guard, outer:
            structure = ensure_site_structure()
            self.page_indexes = {
                "services": structure.service_indexes,
                "categories": structure.category_indexes,
                "projects": structure.project_indexes,
                "pages": structure.homes,
                "call_to_actions": structure.homes,
            }
            self.homes = structure.homes
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
            results: list[tuple[_Entry, FileReport]] = []
            # 1. Every file's own fields, each file in its own transaction.
            for done, entry in enumerate(entries, start=1):
                if self.progress:
                    self.progress(done, len(entries), entry.rel)
                result = self._import(entry)
                self.report.files.append(result)
                results.append((entry, result))
            # 2. References, once every file is in, so that file order does not matter.
            self._targets: dict[str, dict[str, dict[str, object]]] = {}
            for entry, result in results:
                if entry.collection in REFERENCES and result.object_id and not entry.stub:
                    self._in_transaction(entry, result, self._resolve_references)
            # 3. Pages without words of their own: draft translations synced from their source
            # (after step 2, which gives the source its links).
            for entry, result in results:
                if (
                    entry.stub
                    and entry.collection in PAGES
                    and not result.errors
                    and not self._listing_kind(entry)
                ):
                    self._in_transaction(entry, result, self._stub_page)
            # 4. The old site's URLs of every imported page, redirected to the page.
            with transaction.atomic():
                self.report.redirects = self._redirects(results, structure.site).to_dict()
            if self.options.dry_run:
                transaction.set_rollback(True)

    def _redirects(self, results: list, site) -> RedirectCounts:
        """Redirect every URL the old site served a page at to the page (when they differ)."""
        ids = {
            result.object_id
            for entry, result in results
            if entry.collection in PAGES and result.object_id and not result.errors
        }
        pages = {page.pk: page for page in Page.objects.filter(pk__in=ids)}
        targets = []
        for entry, result in results:
            page = pages.get(result.object_id)
            if page is None or entry.collection not in PAGES or entry.source is None:
                continue
            if not entry.rel.startswith(f"_{entry.collection}/"):
                continue  # _data/404.md: the 404 page's own file holds its URLs
            urls = old_urls(
                entry.collection,
                entry.rel,
                entry.slug,
                entry.source.front_matter.get("permalink"),
                home=entry.collection == "pages" and entry.slug == HOME_PAGE_SLUG,
            )
            targets.append((urls, page))
        return sync_redirects(site, targets)

    def _scan(self) -> list[_Entry]:
        entries: list[_Entry] = []
        languages = _content_languages()
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            name = folder.name
            if not name.startswith("_") or name in JEKYLL_FOLDERS:
                continue
            files = sorted(p for p in folder.rglob("*.md") if p.is_file())
            collection = MODELLED.get(name)
            if name == CALL_TO_ACTIONS:
                self._read_call_to_actions(files)
                entries += self._form_entries(files)
                continue
            if name == DATA:
                entries += self._data_entries(folder)
                continue
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
        order = list(ORDER)
        seen = {e.language for e in entries if e.language in languages}
        for entry in entries:
            if entry.collection == "call_to_actions" and entry.language == self.default_language:
                missing = sorted(seen - set(entry.extra.get("languages", ())))
                entry.extra["missing"] = missing
        entries.sort(
            key=lambda e: (
                order.index(e.collection),
                e.language != self.default_language,
                e.language,
                e.rel,
            )
        )
        return entries

    def _read_call_to_actions(self, files: list[Path]) -> None:
        """Index the call-to-action files by their uid; an unreadable one is simply absent."""
        for path in files:
            if path.is_symlink() or path.stat().st_size > self.options.max_file_bytes:
                continue
            rel = path.relative_to(self.root).as_posix()
            try:
                raw = path.read_bytes()
                fm, _body, _line = split_front_matter(
                    decode(raw, rel, self.options.max_file_bytes), rel
                )
            except (SourceError, OSError):
                continue
            for uid in (fm.get("uid"), path.stem):
                if isinstance(uid, str) and uid.strip():
                    self.call_to_actions.setdefault(uid.strip(), (rel, fm, raw))

    def _read_source(self, path: Path, rel: str) -> tuple[bytes, str]:
        """A file's bytes and text, refusing links outside the site and oversized files."""
        if path.is_symlink() and not path.resolve().is_relative_to(self.root):
            raise SourceError(rel, None, "is a link to a file outside the site")
        size = path.stat().st_size
        if size > self.options.max_file_bytes:
            raise SourceError(
                rel,
                None,
                f"file is too large ({size:,} bytes; the limit is "
                f"{self.options.max_file_bytes:,} bytes)",
            )
        raw = path.read_bytes()
        return raw, decode(raw, rel, self.options.max_file_bytes)

    def _parts(self, fm: dict) -> tuple[dict[str, tuple[str, dict]], dict]:
        """A one-file-for-every-language front matter: {language: (key, part)} and the rest."""
        languages = _content_languages()
        parts: dict[str, tuple[str, dict]] = {}
        rest: dict = {}
        for key, value in fm.items():
            code = self.options.locale_map.get(str(key), str(key))
            if code in languages and isinstance(value, dict):
                parts[code] = (str(key), value)
            else:
                rest[key] = value
        return parts, rest

    def _form_entries(self, files: list[Path]) -> list[_Entry]:
        """One entry per call-to-action file and language: each becomes a contact form page."""
        entries: list[_Entry] = []
        for path in files:
            rel = path.relative_to(self.root).as_posix()
            try:
                raw, text = self._read_source(path, rel)
                fm, _body, _line = split_front_matter(text, rel)
            except SourceError as exc:
                entries.append(_Entry(path, rel, "call_to_actions", "*", error=str(exc)))
                continue
            except OSError as exc:
                error = f"{rel}: cannot be read ({exc.strerror or exc})"
                entries.append(_Entry(path, rel, "call_to_actions", "*", error=error))
                continue
            uid = fm.get("uid")
            if not isinstance(uid, str) or not uid.strip():
                error = f"{rel}: no 'uid' in the front matter (pages name the form by it)"
                entries.append(_Entry(path, rel, "call_to_actions", "*", error=error))
                continue
            parts, rest = self._parts(fm)
            rest.pop("uid", None)
            if not parts:
                error = f"{rel}: no language part (es:, en:, cat: ...) in the front matter"
                entries.append(_Entry(path, rel, "call_to_actions", "*", error=error))
                continue
            source = SourceFile(rel, fm, "", 0)
            for language, (key, part) in parts.items():
                entry = _Entry(path, rel, "call_to_actions", language, raw=raw, source=source)
                entry.key, entry.part, entry.part_key = uid.strip(), part, key
                entry.extra = {"rest": rest, "languages": list(parts)}
                entries.append(entry)
        return entries

    def _data_entries(self, folder: Path) -> list[_Entry]:
        """Entries for _data/<lang>/*.yml, _data/<lang>/homepage/*.yml, socials.yml, 404.md."""
        entries: list[_Entry] = []
        languages = _content_languages()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(self.root).as_posix()
            parts = path.relative_to(folder).parts
            entry = _Entry(path, rel, "data", "*")
            entries.append(entry)
            if path.suffix not in (".yml", ".yaml") and rel != f"{DATA}/404.md":
                entry.unknown = True
                entry.key = rel
                continue
            if len(parts) > 1:
                folder_name = parts[0]
                entry.language = self.options.locale_map.get(folder_name, folder_name)
                entry.key = "/".join(parts[1:]).rsplit(".", 1)[0]
                if entry.language not in languages:
                    entry.error = (
                        f"{rel}: language folder '{folder_name}' is not one of "
                        f"{', '.join(languages)} (map it with --locale-map {folder_name}=CODE)"
                    )
                    continue
            else:
                entry.key = path.stem
            try:
                raw, text = self._read_source(path, rel)
                entry.raw = raw
                if path.suffix == ".md":
                    fm, _body, _line = split_front_matter(text, rel)
                    entry.data = fm
                else:
                    entry.data, entry.duplicates = load_yaml(text)
            except SourceError as exc:
                entry.error = str(exc)
                continue
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f", line {mark.line + 1}" if mark is not None else ""
                problem = getattr(exc, "problem", None) or str(exc)
                entry.error = f"{rel}{where}: invalid YAML: {problem}"
                continue
            except OSError as exc:
                entry.error = f"{rel}: cannot be read ({exc.strerror or exc})"
                continue
            entry.source = SourceFile(rel, {}, "", 0)
            if path.suffix == ".md":
                # _data/404.md: one file for every language, like a call-to-action file.
                entries.remove(entry)
                found, rest = self._parts(entry.data if isinstance(entry.data, dict) else {})
                for language, (key, part) in found.items():
                    one = _Entry(path, rel, "data", language, raw=entry.raw, source=entry.source)
                    one.key, one.part, one.part_key = "404", part, key
                    one.extra = {"rest": rest}
                    entries.append(one)
                if not found:
                    entry.error = f"{rel}: no language part (es:, en:, cat: ...)"
                    entries.append(entry)
        return entries

    def _call_to_action_part(self, uid: str, language: str) -> dict | None:
        """One language's part of the call-to-action file ``uid`` (else the default's)."""
        found = self.call_to_actions.get(uid)
        if found is None:
            return None
        parts = {
            self.options.locale_map.get(str(key), str(key)): part
            for key, part in found[1].items()
            if isinstance(part, dict)
        }
        return parts.get(language) or parts.get(self.default_language) or {}

    def _parse(self, entries: list[_Entry]) -> None:
        for entry in entries:
            if entry.error or entry.source is not None or entry.unknown:
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
            elif entry.language != self.default_language:
                entry.stub = is_stub(entry.collection, entry.source)

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
            if (
                entry.collection in ("services", "projects")
                and entry.source is not None
                and isinstance(entry.source.front_matter.get("call_to_action"), dict)
            ):
                default = self.options.default_form
                h.update(f"|default-form:{default}{self._form_state(default)}".encode())
            if entry.collection == "call_to_actions":
                h.update(f"|form-email:{self.form_email}".encode())
            if entry.collection in ("categories", "pages") and entry.source is not None:
                uid = entry.source.front_matter.get("call_to_action")
                if isinstance(uid, str):
                    h.update(self._form_state(uid.strip()).encode())
                found = self.call_to_actions.get(uid) if isinstance(uid, str) else None
                if found is not None:
                    h.update(b"|cta:" + found[2])
                    image = (self._call_to_action_part(uid, entry.language) or {}).get("image")
                    if isinstance(image, dict) and isinstance(image.get("path"), str):
                        h.update(f"|{self.media.digest(image['path'])}".encode())
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
        if entry.unknown:
            result.status = "skipped"
            result.warnings = [f"{entry.rel}: not a data file the CMS reads (.yml); left out"]
            return result
        if entry.collection == "call_to_actions":
            return self._in_transaction(entry, result, self._form)
        if entry.collection == "data":
            return self._in_transaction(entry, result, self._data)
        if entry.collection == "pages" and entry.slug == HOME_PAGE_SLUG:
            return self._in_transaction(entry, result, self._home)
        if self._listing_kind(entry):
            return self._in_transaction(entry, result, self._listing)
        if entry.stub and entry.collection in PAGES:
            # Done in step 3, once its source page has its links.
            result.status, result.untranslated = "skipped", True
            return result
        if entry.collection in PAGES:
            return self._in_transaction(entry, result, self._page)
        return self._in_transaction(entry, result, self._snippet)

    def _in_transaction(self, entry: _Entry, result: FileReport, step) -> FileReport:
        """Run one step for one file in its own transaction; a failure keeps nothing of it."""
        outcome = Outcome(entry.rel, slug=entry.slug)
        status = result.status
        try:
            with transaction.atomic():
                step(entry, outcome, result)
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
        if result.status == "error" and status != "error":
            result.warnings = [*result.warnings, *outcome.warnings]
        return result

    def _unchanged(self, entry: _Entry, model, result: FileReport, digest: str = ""):
        """The existing object when the file has not changed since it was imported."""
        record = self.records.get((entry.collection, entry.language, entry.slug))
        if record is None or record.content_hash != (digest or entry.digest):
            return record, None
        obj = model.objects.filter(pk=record.object_id).first()
        if obj is None:
            return record, None
        result.status = "unchanged"
        result.warnings = list(record.warnings)
        result.untranslated = record.untranslated
        return record, obj

    def _save_record(self, entry, record, obj, outcome: Outcome, digest: str = ""):
        values = {
            "source_path": entry.rel,
            "content_hash": digest or entry.digest,
            "source_hash": "",
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
        if entry.collection in PAGES:
            index = self.page_indexes[entry.collection][self.default_language]
            return model.objects.child_of(index).filter(slug=entry.slug).first()
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
        if isinstance(source_obj, Page):
            return {"title": source_obj.title}
        return {"title": str(source_obj)}

    def _translation_source(self, source_obj, *, fresh: bool = False) -> TranslationSource:
        """wagtail-localize's copy of ``source_obj`` (``fresh``: as it is now in the database)."""
        key = (ContentType.objects.get_for_model(type(source_obj)).pk, source_obj.pk)
        source = self._translation_sources.get(key)
        if source is None or fresh:
            source, _ = TranslationSource.update_or_create_from_instance(source_obj)
            self._translation_sources[key] = source
        return source

    def _adopt(self, entry, source_obj, target, outcome: Outcome) -> bool:
        """Give ``target`` the translation key of ``source_obj``; False when another has it."""
        locale = target.locale
        if target.translation_key == source_obj.translation_key:
            return True
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
            return False
        # Saved, not updated through the queryset: the save's signals reach the caches and
        # the webhooks like any other write.
        target.translation_key = source_obj.translation_key
        if isinstance(target, Page):
            # ``target`` may be its latest revision: only the key is written, unvalidated.
            target.save(update_fields=["translation_key"], clean=False)
        else:
            target.save(update_fields=["translation_key"])
        return True

    def _link(self, entry, source_obj, target, outcome: Outcome, result: FileReport) -> None:
        """Make ``target`` a wagtail-localize translation of ``source_obj``."""
        if not self._adopt(entry, source_obj, target, outcome):
            return
        locale = target.locale
        source = self._translation_source(source_obj)
        Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        # Give wagtail-localize the target's own words for every string at the same place,
        # so a later sync keeps them. A Markdown text has a string per line of its block
        # elements, all at one place: they are paired in order where both have as many.
        theirs: dict[str, list[str]] = {}
        for s in extract_segments(target):
            if isinstance(s, StringSegmentValue):
                theirs.setdefault(s.path, []).append(s.string.data)
        ours: dict[str, list] = {}
        for segment in (
            StringSegment.objects.filter(source=source)
            .select_related("string", "context")
            .order_by("order")
        ):
            ours.setdefault(segment.context.path, []).append(segment)
        for path, segments in ours.items():
            texts = theirs.get(path, [])
            if len(texts) != len(segments):
                continue
            for segment, text in zip(segments, texts, strict=True):
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
        result.synced = all(len(ours.get(path, [])) == len(texts) for path, texts in theirs.items())

    def _link_or_warn(self, entry, source, target, outcome: Outcome, result, kind: str) -> None:
        """Link a translation to its source-language object, or say why it stands alone."""
        if source is not None:
            self._link(entry, source, target, outcome, result)
        elif entry.language != self.default_language:
            outcome.warn(
                f"no {self.default_language} {kind} with slug '{entry.slug}': imported "
                "without a translation link"
            )

    # --- snippets: collaborators, members, project states ------------------------------

    def _snippet_fields(self, entry: _Entry, outcome: Outcome, source_obj) -> dict:
        if entry.collection == "members":
            return self.mapper.member_fields(entry.source, outcome)
        if entry.collection == "states":
            return self.mapper.state_fields(entry.source, outcome)
        fallback = self._source_front_matter(entry, source_obj) if source_obj else {}
        return self.mapper.collaborator_fields(entry.source, outcome, fallback)

    def _snippet(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        model = SNIPPETS[entry.collection]
        kind = KINDS[entry.collection]
        record, existing = self._unchanged(entry, model, result)
        if existing is not None:
            result.object_id, result.title = existing.pk, str(existing)
            return
        locale = self.locales[entry.language]
        source_obj = self._source_object(entry, model)
        if entry.stub and source_obj is not None:
            self._stub_snippet(entry, outcome, result, record, source_obj)
            return
        fields = self._snippet_fields(entry, outcome, source_obj)
        obj = None
        if record is not None:
            obj = model.objects.filter(pk=record.object_id).first()
        if obj is None:
            obj = model.objects.filter(slug=entry.slug, locale=locale).first()
        created = obj is None
        if created:
            obj = model(slug=entry.slug, locale=locale, translation_key=uuid.uuid4())
            if source_obj is not None:
                taken = model.objects.filter(
                    translation_key=source_obj.translation_key, locale=locale
                ).exists()
                if not taken:
                    obj.translation_key = source_obj.translation_key
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()
        self._link_or_warn(entry, source_obj, obj, outcome, result, kind)
        self._collaborators = None
        self._save_record(entry, record, obj, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title = obj.pk, str(obj)
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated

    def _stub_snippet(self, entry, outcome: Outcome, result: FileReport, record, source_obj):
        """A snippet translation without words of its own: wagtail-localize fills it in."""
        model = type(source_obj)
        locale = self.locales[entry.language]
        target = model.objects.filter(
            translation_key=source_obj.translation_key, locale=locale
        ).first()
        if target is None:
            target = model.objects.filter(slug=entry.slug, locale=locale).first()
            if target is not None and not self._adopt(entry, source_obj, target, outcome):
                raise ImportFailure(outcome.warnings.pop().split(": ", 1)[1])
        created = target is None
        translation, _ = Translation.objects.get_or_create(
            source=self._translation_source(source_obj),
            target_locale=locale,
            defaults={"enabled": True},
        )
        # Snippets have no drafts: the translation shows the source's texts until translated.
        translation.save_target(publish=True)
        target = model.objects.get(translation_key=source_obj.translation_key, locale=locale)
        outcome.untranslated = True
        outcome.warn(
            f"no words of its own: a translation of the {self.default_language} "
            f"{KINDS[entry.collection]} '{source_obj}' with its texts, waiting for translators"
        )
        self._collaborators = None
        self._save_record(entry, record, target, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title = target.pk, str(target)
        result.warnings, result.untranslated = outcome.warnings, True

    def _find_collaborator(self, slug: str, language: str):
        if self._collaborators is None:
            self._collaborators = {
                (fold(c.slug), c.locale.language_code): c
                for c in Collaborator.objects.select_related("locale")
            }
        return self._collaborators.get((fold(slug), language)) or self._collaborators.get(
            (fold(slug), self.default_language)
        )

    # --- pages: services, categories, projects -----------------------------------------

    def _page_fields(self, entry: _Entry, outcome: Outcome, fallback: dict) -> dict:
        if entry.collection == "services":
            fields, body = self.mapper.service_content(
                entry.source, outcome, entry.language, fallback
            )
            return {**fields, "body": body.stream_data()}

        if entry.collection == "categories":
            return self.mapper.category_content(
                entry.source, outcome, entry.language, fallback, self._call_to_action_part
            )
        if entry.collection == "pages":
            return self.mapper.standard_page_content(
                entry.source, outcome, entry.language, fallback, self._call_to_action_part
            )
        return self.mapper.project_content(entry.source, outcome, entry.language, fallback)

    def _page(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        model = PAGES[entry.collection]
        record, existing = self._unchanged(entry, model, result)
        if existing is not None:
            result.object_id, result.title, result.url = existing.pk, existing.title, existing.url
            return
        locale = self.locales[entry.language]
        index = self.page_indexes[entry.collection][entry.language]
        source_page = self._source_object(entry, model)
        fallback = self._source_front_matter(entry, source_page) if source_page else {}
        if entry.language != self.default_language and not fallback:
            fallback = self._source_front_matter(entry, None)
        fields = self._page_fields(entry, outcome, fallback)
        notes_section = fields.pop("notes_section", None)
        for name in ("body", "call_to_action"):
            if name in fields:
                block = model._meta.get_field(name).stream_block
                fields[name] = StreamValue(block, fields[name], is_lazy=True)
        page = None
        if record is not None:
            page = model.objects.filter(pk=record.object_id).first()
        if page is None:
            page = model.objects.child_of(index).filter(slug=entry.slug).first()
        if page is None and source_page is not None:
            translated = source_page.get_translation_or_none(locale)
            page = translated.specific if translated is not None else None
        if notes_section is not None:
            # Several files may keep notes on one page (_pages/<lang>/404.md, _data/404.md).
            current = page.get_latest_revision_as_object().notes if page is not None else ""
            fields["notes"] = merge_notes(current, entry.rel, notes_section)
        created = page is None
        if created:
            page = model(slug=entry.slug, locale=locale, live=not self.options.draft)
            if source_page is not None and source_page.get_translation_or_none(locale) is None:
                page.translation_key = source_page.translation_key
            for key, value in fields.items():
                setattr(page, key, value)
            index.add_child(instance=page)
        else:
            # The latest revision holds the links step 2 set; the file's fields go on top.
            page = page.get_latest_revision_as_object()
            page.slug = entry.slug
            for key, value in fields.items():
                setattr(page, key, value)
            page.full_clean()
        revision = page.save_revision(log_action=True)
        if not self.options.draft:
            revision.publish()
            page.refresh_from_db()
        kind = KINDS[entry.collection]
        self._link_or_warn(entry, source_page, page, outcome, result, kind)
        if outcome.untranslated:
            outcome.warn(
                f"no title of its own: titled '{page.title}' from the {self.default_language} "
                "page and flagged untranslated"
            )
        self._save_record(entry, record, page, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title, result.url = page.pk, page.title, page.url or ""
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated

    # --- listing pages: the old site's pages of a listing layout --------------------------

    @staticmethod
    def _listing_kind(entry: _Entry) -> str | None:
        """The listing a page of a listing layout is (``projects``, ``team``...), else None."""
        if entry.collection != "pages" or entry.source is None:
            return None
        layout = entry.source.front_matter.get("layout")
        return LISTING_LAYOUTS.get(layout) if isinstance(layout, str) else None

    def _listing_page(self, kind: str, language: str):
        """The listing page of ``kind`` in ``language``; the team's is made when missing."""
        if kind != "team":
            return self.page_indexes[kind][language]
        home = self.homes[language]
        page = TeamIndexPage.objects.child_of(home).first()
        if page is not None:
            return page
        page = TeamIndexPage(
            title=home.title, slug=TEAM_SLUG, locale=home.locale, live=not self.options.draft
        )
        source = TeamIndexPage.objects.filter(locale=self.locales[self.default_language]).first()
        if source is not None and language != self.default_language:
            page.translation_key = source.translation_key
        home.add_child(instance=page)
        return page

    def _listing(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """A page of a listing layout fills the listing page's own fields (its title,
        introduction, picture and interface texts): the old page is that listing."""
        kind = self._listing_kind(entry)
        model = LISTING_MODELS[kind]
        record, existing = self._unchanged(entry, model, result)
        if existing is not None:
            result.object_id, result.title, result.url = existing.pk, existing.title, existing.url
            return
        source = entry.source
        if entry.stub:
            # No words of its own: the default language's texts, flagged for translators.
            for other in self._entries_by_key.get((entry.collection, entry.slug), []):
                if other.language == self.default_language and other.source is not None:
                    source = other.source
            outcome.untranslated = True
        fields = self.mapper.listing_content(
            source, outcome, filter_label=model is ProjectIndexPage
        )
        if not fields["title"]:
            del fields["title"]
        page = self._listing_page(kind, entry.language).specific
        notes_section = fields.pop("notes_section")
        page = page.get_latest_revision_as_object()
        fields["notes"] = merge_notes(page.notes, entry.rel, notes_section)
        for key, value in fields.items():
            setattr(page, key, value)
        page.full_clean()
        revision = page.save_revision(log_action=True)
        if not self.options.draft:
            revision.publish()
            page.refresh_from_db()
        if outcome.untranslated:
            outcome.warn(
                f"no words of its own: the {self.default_language} listing's texts, waiting "
                "for translators"
            )
        self._save_record(entry, record, page, outcome)
        result.status = "created" if record is None else "updated"
        result.object_id, result.title, result.url = page.pk, page.title, page.url or ""
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated

    # --- contact forms -------------------------------------------------------------------

    def _form_state(self, uid: str) -> str:
        """What a page's call to action depends on: the form's file, or its pages in the CMS."""
        found = self.call_to_actions.get(uid)
        if found is not None:
            return "|form:" + hashlib.sha256(found[2]).hexdigest()
        pages = ContactFormPage.objects.filter(slug=uid).order_by("pk")
        return "|form-db:" + ",".join(str(pk) for pk in pages.values_list("pk", flat=True))

    def _find_form(self, uid: str, language: str):
        """The contact form a call to action opens: the live one in ``language``, else the
        default language's."""
        forms = {
            f.locale.language_code: f
            for f in ContactFormPage.objects.filter(slug__iexact=uid).select_related("locale")
        }
        own = forms.get(language)
        if own is not None and (own.live or own.first_published_at is not None):
            return own
        return forms.get(self.default_language) or own

    def _form(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """One language's contact form page from a call-to-action file."""
        record, existing = self._unchanged(entry, ContactFormPage, result)
        if existing is not None:
            result.object_id, result.title, result.url = existing.pk, existing.title, existing.url
            return
        language, uid = entry.language, entry.slug
        locale, home = self.locales[language], self.homes[language]
        source_form, fallback = None, {}
        if language != self.default_language:
            source_form = self._source_object(entry, ContactFormPage)
            for key, part in entry.source.front_matter.items():
                if self.options.locale_map.get(str(key), str(key)) == self.default_language:
                    fallback = part if isinstance(part, dict) else {}
        fields, form_fields = self.mapper.form_content(
            uid, entry.part or {}, outcome, fallback, entry.part_key
        )
        kept_rest = {}
        if language == self.default_language:
            for key, value in entry.extra.get("rest", {}).items():
                outcome.warn(f"'{key}' is not a language part; kept in the {language} form's notes")
                kept_rest[key] = value
            for missing in entry.extra.get("missing", []):
                outcome.warn(
                    f"no '{missing}' part: no {missing} form; {missing} pages naming '{uid}' "
                    f"open the {self.default_language} form"
                )
        if kept_rest:
            fields["notes"] = fields["notes"] + dump(kept_rest)
        fields["to_address"] = self.form_email
        if not self.form_email and language == self.default_language:
            outcome.warn(
                "no address to send submissions to (--form-email or CIVIC_CONTACT_EMAIL): "
                "they are stored in the CMS only"
            )
        page = None
        if record is not None:
            page = ContactFormPage.objects.filter(pk=record.object_id).first()
        if page is None:
            page = ContactFormPage.objects.child_of(home).filter(slug=uid).first()
        created = page is None
        if created:
            page = ContactFormPage(slug=uid, locale=locale, live=not self.options.draft)
            if source_form is not None and source_form.get_translation_or_none(locale) is None:
                page.translation_key = source_form.translation_key
        else:
            page = page.get_latest_revision_as_object()
        for key, value in fields.items():
            setattr(page, key, value)
        # Fields keep their rows (and submissions their names) across runs; a translation's
        # rows share the source's translation keys, matched by name.
        current = {row.clean_name: row for row in page.form_fields.all()}
        source_rows = (
            {row.clean_name: row for row in source_form.form_fields.all()} if source_form else {}
        )
        rows = []
        for order, parsed in enumerate(form_fields):
            row = current.get(parsed.clean_name)
            if row is None:
                row = ContactFormField(locale=locale)
                if parsed.clean_name in source_rows:
                    row.translation_key = source_rows[parsed.clean_name].translation_key
                elif source_form is not None:
                    outcome.warn(
                        f"{entry.part_key}.form_fields: '{parsed.clean_name}' is not a field of "
                        f"the {self.default_language} form; added to this language only"
                    )
            row.clean_name = parsed.clean_name
            row.label = parsed.label or parsed.clean_name
            row.field_type = parsed.field_type
            row.required = parsed.required
            row.help_text = parsed.help_text
            row.choices = parsed.choices
            row.sort_order = order
            rows.append(row)
        for name in source_rows:
            if name not in {r.clean_name for r in rows}:
                outcome.warn(
                    f"{entry.part_key}.form_fields: the {self.default_language} form's field "
                    f"'{name}' is missing in this language"
                )
        page.form_fields = rows
        if created:
            home.add_child(instance=page)
        else:
            page.full_clean()
        revision = page.save_revision(log_action=True)
        if not self.options.draft:
            revision.publish()
            page.refresh_from_db()
        self._link_or_warn(entry, source_form, page, outcome, result, "contact form")
        self._save_record(entry, record, page, outcome)
        result.status = "created" if created else "updated"
        result.object_id, result.title, result.url = page.pk, page.title, page.url or ""
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated

    # --- the home page, generic pages' extras and data files ---------------------------

    @staticmethod
    def _normal(obj, name: str, value):
        """A field value as stored, to tell whether a file changes anything."""
        model_field = obj._meta.get_field(name)
        if hasattr(model_field, "stream_block"):
            if not isinstance(value, StreamValue):
                value = StreamValue(model_field.stream_block, value, is_lazy=True)
            data = model_field.stream_block.get_prep_value(value)
            return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        return value

    def _apply(self, obj, fields: dict) -> bool:
        """Set ``fields`` on ``obj``; False when every value is already there."""
        changed = False
        for name, value in fields.items():
            attname = obj._meta.get_field(name).attname
            if self._normal(obj, name, getattr(obj, attname)) != self._normal(obj, name, value):
                model_field = obj._meta.get_field(name)
                if hasattr(model_field, "stream_block") and not isinstance(value, StreamValue):
                    value = StreamValue(model_field.stream_block, value, is_lazy=True)
                setattr(obj, attname, value)
                changed = True
        return changed

    def _update_page(self, entry, page, fields: dict, outcome: Outcome, result, record) -> Page:
        """Write this file's fields on an existing page, with one revision when they change."""
        # Fresh from the database: an earlier file of this run may have given it a revision.
        page = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
        section = fields.pop("notes_section", None)
        if section is not None:
            fields["notes"] = merge_notes(page.notes, entry.rel, section)
        if self._apply(page, fields):
            page.full_clean()
            revision = page.save_revision(log_action=True)
            if not self.options.draft:
                revision.publish()
            result.status = "updated"
        else:
            result.status = "unchanged"
        page = type(page).objects.get(pk=page.pk)
        if result.status == "updated" or record is None:
            self._save_record(entry, record, page, outcome)
        result.object_id, result.title, result.url = page.pk, page.title, page.url or ""
        result.warnings, result.untranslated = outcome.warnings, outcome.untranslated
        return page

    def _link_home(self, entry, home, outcome: Outcome, result) -> None:
        """Tell wagtail-localize the translated home page's words (source as it is now)."""
        if entry.language == self.default_language:
            return
        source = HomePage.objects.get(pk=self.homes[self.default_language].pk)
        self._translation_source(source, fresh=True)
        self._link(entry, source, home, outcome, result)

    def _home(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """``_pages/<lang>/home.md`` fills the language's home page (the hero)."""
        record = self.records.get((entry.collection, entry.language, entry.slug))
        home = self.homes[entry.language]
        if entry.stub:
            outcome.untranslated = True
            outcome.warn(
                "no words of its own: the home page's hero is left as it is, waiting for "
                "translators"
            )
            result.status, result.object_id, result.title = "skipped", home.pk, home.title
            result.warnings, result.untranslated = outcome.warnings, True
            return
        fields = self.mapper.home_content(entry.source, outcome)
        home = self._update_page(entry, home, fields, outcome, result, record)
        self._link_home(entry, home, outcome, result)

    def _data(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """One data file: site texts, a menu, the home page's sections, social links, 404."""
        for key, _earlier, line in entry.duplicates:
            outcome.warn(
                f"'{key}' is written twice (line {line + 1} wins); the earlier value is kept "
                "in the site texts' notes"
            )
        key, data = entry.key, entry.data
        if entry.language == "*" and key == "socials":
            return self._socials(entry, outcome, result)
        if entry.language == "*":
            outcome.warn("a data file outside a language folder; left out")
            result.status, result.warnings = "skipped", outcome.warnings
            return None
        if key == "404":
            return self._not_found(entry, outcome, result)
        if key.startswith("homepage/"):
            return self._home_section(entry, outcome, result)
        if isinstance(data, list) and all(
            isinstance(i, dict) and ("link" in i or "name" in i) for i in data
        ):
            return self._menu(entry, outcome, result)
        return self._texts(entry, outcome, result)

    def _home_section(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        record = self.records.get((entry.collection, entry.language, entry.slug))
        if entry.key == "homepage/main":
            fields = self.mapper.homepage_main(entry.data, outcome)
        elif entry.key == "homepage/values":
            fields = self.mapper.homepage_values(entry.data, outcome)
            if "values" in fields:
                fields["values"] = [
                    {
                        "type": "value",
                        "value": text,
                        "id": str(uuid.uuid5(VALUE_IDS, f"{index}")),
                    }
                    for index, text in enumerate(fields["values"])
                ]
        else:
            outcome.warn("a home page section the CMS has no fields for; kept in its notes")
            fields = {"notes_section": dump(entry.data)}
        home = self._update_page(entry, self.homes[entry.language], fields, outcome, result, record)
        self._link_home(entry, home, outcome, result)

    def _not_found(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """``_data/404.md``: the 404 page of each language.

        The language's ``_pages/<lang>/404.md`` is the page when there is one; every value of
        this file it does not hold the same is kept in the page's notes. Without one, this file
        makes the page.
        """
        values = {**entry.extra.get("rest", {}), **(entry.part or {})}
        page_files = [
            e
            for e in self._entries_by_key.get(("pages", "404"), [])
            if e.language == entry.language and e.source is not None and not e.error
        ]
        if not page_files:
            source = SourceFile(entry.rel, {**values, "slug": "404", "layout": "404"}, "", 0)
            one = _Entry(entry.path, entry.rel, "pages", entry.language, raw=entry.raw)
            one.source, one.digest, one.key = source, entry.digest, "404"
            self._page(one, outcome, result)
            return
        page_fm = page_files[0].source.front_matter

        def same(a, b) -> bool:
            if isinstance(a, str) and isinstance(b, str):
                return " ".join(a.split()) == " ".join(b.split())
            return str(a) == str(b) if not isinstance(a, dict | list) else a == b

        kept = {k: v for k, v in values.items() if k not in page_fm or not same(v, page_fm[k])}
        for key in kept:
            outcome.warn(
                f"{entry.part_key if key in (entry.part or {}) else ''}"
                f"{'.' if key in (entry.part or {}) else ''}{key}: not the same as in "
                f"{page_files[0].rel}; kept in the 404 page's notes"
            )
        page = StandardPage.objects.child_of(self.homes[entry.language]).filter(slug="404").first()
        if page is None:
            outcome.warn(f"{page_files[0].rel} was not imported; nothing to add to")
            result.status, result.warnings = "skipped", outcome.warnings
            return
        record = self.records.get((entry.collection, entry.language, entry.slug))
        self._update_page(
            entry, page, {"notes_section": dump(kept) if kept else ""}, outcome, result, record
        )

    def _site_texts(self, language: str) -> SiteTexts:
        locale = self.locales[language]
        texts = SiteTexts.objects.filter(locale=locale).first()
        if texts is None:
            texts = SiteTexts(locale=locale, translation_key=uuid.uuid4())
            source = SiteTexts.objects.filter(locale=self.locales[self.default_language]).first()
            if source is not None and language != self.default_language:
                texts.translation_key = source.translation_key
        return texts

    def _save_snippet(self, entry, obj, fields: dict, outcome: Outcome, result, kind: str):
        """Write ``fields`` when they change anything; link a translation to its source."""
        record = self.records.get((entry.collection, entry.language, entry.slug))
        created = obj.pk is None
        if self._apply(obj, fields) or created:
            obj.full_clean()
            obj.save()
            result.status = "created" if created else "updated"
        else:
            result.status = "unchanged"
        if entry.language not in (self.default_language, "*"):
            source = (
                type(obj)
                .objects.filter(
                    translation_key=obj.translation_key, locale=self.locales[self.default_language]
                )
                .first()
            )
            if source is not None:
                self._translation_source(source, fresh=True)
                self._link(entry, source, obj, outcome, result)
        if result.status != "unchanged" or record is None:
            self._save_record(entry, record, obj, outcome)
        result.object_id, result.title = obj.pk, str(obj)
        result.warnings = outcome.warnings

    def _texts(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """Interface texts (global.yml and other mappings) and the newsletter block."""
        texts = self._site_texts(entry.language)
        fields: dict = {}
        kept: dict = {f"{k} (earlier)": v for k, v, _line in entry.duplicates}
        name = entry.key
        if name == "newsletter":
            newsletter, more = self.mapper.newsletter(entry.data, outcome)
            fields.update(newsletter)
            kept.update(more)
            pairs: list[tuple[str, object]] = []
        elif isinstance(entry.data, dict):
            pairs = flatten(entry.data, "" if name == "global" else name.replace("/", "."))
        elif entry.data is None:
            pairs = []
        else:
            pairs = flatten(entry.data, name.replace("/", "."))
        own, empty = [], []
        for key, value in pairs:
            if value is None or str(value).strip() == "":
                empty.append(key)
                kept[key] = value
                continue
            clean = string_key(key)
            if clean != key:
                outcome.warn(f"'{key}' is not a key the frontend can ask for; stored as '{clean}'")
            block_id = str(uuid.uuid5(STRING_IDS, f"{name}:{clean}"))
            value_text = value if isinstance(value, str) else str(value)
            own.append(
                {"type": "string", "value": {"key": clean, "value": value_text}, "id": block_id}
            )
        if empty:
            outcome.warn(f"no text for {', '.join(empty)}; kept in the site texts' notes")
        # This file's strings are the ones whose ids it gives; editors' own keys stay.
        current = list(texts.strings.raw_data) if texts.pk else []
        mine = {
            str(uuid.uuid5(STRING_IDS, f"{name}:{(b.get('value') or {}).get('key', '')}"))
            for b in current
        }
        position = next((i for i, b in enumerate(current) if b.get("id") in mine), None)
        others = [b for b in current if b.get("id") not in mine]
        if position is None:
            position = len(others)
        else:
            position = sum(1 for b in current[:position] if b.get("id") not in mine)
        if pairs or name != "newsletter":
            fields["strings"] = [*others[:position], *own, *others[position:]]
        fields["notes"] = merge_notes(texts.notes, entry.rel, dump(kept) if kept else "")
        self._save_snippet(entry, texts, fields, outcome, result, "site texts")

    def _resolve_link(self, link: str, language: str):
        """(page, is a path of this site) for a menu link such as /es/about-us."""
        if not link.startswith("/") or link.startswith("//"):
            return None, False
        path = site_path(link.split("#", 1)[0].split("?", 1)[0])
        parts = [p for p in path.strip("/").split("/") if p]
        if parts and parts[-1].endswith(".html"):
            parts[-1] = parts[-1][: -len(".html")]
        if not parts or self.options.locale_map.get(parts[0], parts[0]) not in self.homes:
            return None, True
        code = self.options.locale_map.get(parts[0], parts[0])
        rest = parts[1:]
        if rest in ([], [HOME_PAGE_SLUG], ["index"]):
            return self.homes[code], True
        for lang in dict.fromkeys((code, self.default_language)):
            url_path = self.homes[lang].url_path + "/".join(rest) + "/"
            page = Page.objects.filter(url_path__iexact=url_path).first()
            if page is not None and (page.live or lang == self.default_language):
                return page, True
        return None, True

    def _menu(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """A list of {name, link}: a menu; links to pages of the CMS become page links."""
        handle = string_key(entry.key.replace("/", "_")).replace(".", "_")[:50]
        locale = self.locales[entry.language]
        menu = Menu.objects.filter(handle=handle, locale=locale).first()
        if menu is None:
            menu = Menu(handle=handle, locale=locale, translation_key=uuid.uuid4())
            source = Menu.objects.filter(
                handle=handle, locale=self.locales[self.default_language]
            ).first()
            if source is not None and entry.language != self.default_language:
                menu.translation_key = source.translation_key
        items = []
        for index, item in enumerate(entry.data, start=1):
            label = _text_value(item.get("name")).strip()
            link = _text_value(item.get("link")).strip()
            extra = {k: v for k, v in item.items() if k not in ("name", "link")}
            if extra:
                outcome.warn(
                    f"item {index}: {', '.join(map(str, extra))} have no place in a menu "
                    f"(left out: {json.dumps(extra, ensure_ascii=False, default=str)})"
                )
            if not label or not link:
                outcome.warn(f"item {index}: needs a name and a link; left out ({item})")
                continue
            page, local = self._resolve_link(link, entry.language)
            if page is None and local:
                outcome.warn(
                    f"item {index} ('{label}'): no page of the CMS at {link}; kept as a URL"
                )
            value = {
                "label": label[:100],
                "page": page.pk if page is not None else None,
                "url": "" if page is not None else link,
                "children": [],
            }
            block_id = str(uuid.uuid5(STRING_IDS, f"menu:{handle}:{index}"))
            items.append({"type": "item", "value": value, "id": block_id})
        if handle == MAIN_MENU:
            self._link_services(items, entry.language, outcome)
        self._save_snippet(entry, menu, {"items": items}, outcome, result, "menu")

    def _link_services(self, items: list[dict], language: str, outcome: Outcome) -> None:
        """The site's main menu leads to the services listing: the old site reached services
        only from other pages, so a menu without it gets it after the projects listing."""
        services = self.page_indexes["services"][language]
        pages = [item["value"]["page"] for item in items]
        if services.pk in pages:
            return
        projects = self.page_indexes["projects"][language].pk
        position = pages.index(projects) + 1 if projects in pages else len(items)
        value = {"label": services.title[:100], "page": services.pk, "url": "", "children": []}
        block_id = str(uuid.uuid5(STRING_IDS, f"menu:{MAIN_MENU}:services"))
        items.insert(position, {"type": "item", "value": value, "id": block_id})
        outcome.warn(
            f"the menu had no link to the services listing: '{services.title}' "
            f"({services.url}) added "
            f"as item {position + 1}"
        )

    def _socials(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """_data/socials.yml: the organisation's social links (every language)."""
        kinds = {code for code, _label in SOCIAL_KINDS}
        links = []
        data = entry.data if isinstance(entry.data, list) else []
        if not isinstance(entry.data, list):
            outcome.warn("should be a list of {name, link}; nothing imported")
        icons = []
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                outcome.warn(f"item {index} is not a mapping; left out ({item})")
                continue
            name = _text_value(item.get("name")).strip()
            url = _text_value(item.get("link")).strip()
            kind = name.lower() if name.lower() in kinds else "other"
            if kind == "other":
                outcome.warn(f"item {index}: '{name}' is not a network the CMS knows; kind other")
            if item.get("icon"):
                icons.append(f"{name}: {item['icon']}")
            extra = [k for k in item if k not in ("name", "link", "icon")]
            if extra:
                outcome.warn(f"item {index}: {', '.join(map(str, extra))} left out")
            block_id = str(uuid.uuid5(STRING_IDS, f"social:{index}"))
            links.append({"type": "link", "value": {"kind": kind, "url": url}, "id": block_id})
        if icons:
            outcome.warn(f"icons left out, frontends choose them by kind ({'; '.join(icons)})")
        settings_obj = SocialSettings.objects.first() or SocialSettings()
        block = SocialSettings._meta.get_field("links").stream_block
        for link in links:
            try:
                block.child_blocks["link"].clean(
                    block.child_blocks["link"].to_python(link["value"])
                )
            except ValidationError as exc:
                raise ImportFailure(
                    f"{link['value']['url']}: {'; '.join(validation_messages(exc))}"
                ) from None
        self._save_snippet(entry, settings_obj, {"links": links}, outcome, result, "social links")

    # --- step 2: references --------------------------------------------------------------

    def _find(self, collection: str, slug: str, language: str):
        """The object a reference names: same language, else the default language's version.

        A page in the reference's language that was never published (a stub waiting for its
        translators) is passed over for the published default-language one.
        """
        if collection not in self._targets:
            model = PAGES.get(collection) or SNIPPETS[collection]
            table: dict[str, dict[str, object]] = defaultdict(dict)
            for obj in model.objects.select_related("locale").order_by("pk"):
                table[fold(obj.slug)].setdefault(obj.locale.language_code, obj)
            self._targets[collection] = table
        versions = self._targets[collection].get(fold(slug))
        if not versions:
            return None
        own = versions.get(language)
        default = versions.get(self.default_language)
        unpublished = isinstance(own, Page) and not own.live and own.first_published_at is None
        if unpublished and default is not None:
            own = None
        return own or default or next(iter(versions.values()))

    def _resolve_references(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """Set a page's links from the slugs its file names, replacing the previous ones."""
        page = PAGES[entry.collection].objects.get(pk=result.object_id)
        obj = page.get_latest_revision_as_object()
        fm = entry.source.front_matter
        changed = False
        for name, collection in REFERENCES[entry.collection].items():
            slugs = reference_slugs(fm.get(name))
            if slugs is None:
                outcome.warn(f"{name}: should be a slug or a list of slugs; nothing linked")
                slugs = []
            found: list[int] = []
            seen: set[str] = set()
            for slug in slugs:
                if fold(slug) in seen:
                    outcome.warn(f"{name}: '{slug}' is named more than once; linked once")
                    continue
                seen.add(fold(slug))
                target = self._find(collection, slug, entry.language)
                if target is None:
                    outcome.warn(f"{name}: no {KINDS[collection]} with slug '{slug}'")
                elif target.pk not in found:
                    found.append(target.pk)
            if name == "state":
                if len(found) > 1:
                    outcome.warn("state: a project has one state; the first one is used")
                state = found[0] if found else None
                if obj.state_id != state:
                    obj.state_id, changed = state, True
                continue
            relation, field_name, row = LINK_ROWS[(entry.collection, name)]
            # In their written order: sort_order, then creation (rows of older imports may
            # share a sort_order, which PostgreSQL returns in any order).
            rows = getattr(obj, relation).order_by("sort_order", "pk")
            current = [getattr(r, f"{field_name}_id") for r in rows]
            if current != found:
                setattr(
                    obj,
                    relation,
                    [
                        row(**{f"{field_name}_id": pk, "sort_order": index})
                        for index, pk in enumerate(found)
                    ],
                )
                changed = True
        if changed:
            revision = obj.save_revision(log_action=True)
            if not self.options.draft:
                revision.publish()
            if result.status == "unchanged":
                result.status = "updated"
        result.warnings = [*result.warnings, *outcome.warnings]

    # --- step 3: pages without words of their own ---------------------------------------

    def _stub_page(self, entry: _Entry, outcome: Outcome, result: FileReport) -> None:
        """A draft wagtail-localize translation of the source page, for translators."""
        model = PAGES[entry.collection]
        source_page = self._source_object(entry, model)
        if source_page is None:
            # Nothing to translate from: the file is imported on its own, as before.
            entry.stub = False
            result.untranslated = False
            self._page(entry, outcome, result)
            return
        source_page = source_page.specific
        locale = self.locales[entry.language]
        # The source's latest revision covers its fields and its links (step 2).
        digest = hashlib.sha256(
            f"{entry.digest}|{source_page.latest_revision_id}".encode()
        ).hexdigest()
        record, existing = self._unchanged(entry, model, result, digest)
        if existing is not None:
            result.object_id, result.title = existing.pk, existing.title
            return
        target = source_page.get_translation_or_none(locale)
        created = target is None
        if target is not None and target.live:
            # It was published from an earlier version of the file that had its own words,
            # or by an older importer showing the source's words: readers get the fallback.
            target.specific.unpublish(log_action=True)
        translation, _ = Translation.objects.get_or_create(
            # Fresh: step 2 may have given the source its links since step 1 read it.
            source=self._translation_source(source_page, fresh=True),
            target_locale=locale,
            defaults={"enabled": True},
        )
        translation.save_target(publish=False)
        target = source_page.get_translation(locale).specific
        if target.slug != source_page.slug:
            # wagtail-localize lower-cases the slug and drops its accents; the slug is shared
            # by every language.
            target.slug = source_page.slug
            target.save()
            target.save_revision(log_action=True)
        outcome.untranslated = True
        outcome.warn(
            f"no words of its own: a draft translation of the {self.default_language} page "
            f"'{source_page.title}', synced from it and waiting for translators (not published)"
        )
        self._save_record(entry, record, target, outcome, digest)
        result.status = "created" if created else "updated"
        result.object_id, result.title, result.url = target.pk, target.title, ""
        result.warnings, result.untranslated = outcome.warnings, True


def run_import(options: Options, progress=None) -> Report:
    """Import the site described by ``options`` and return the report."""
    # Messages are written for the report in one language, whatever the site's default.
    with translation.override("en"):
        return Importer(options, progress).run()

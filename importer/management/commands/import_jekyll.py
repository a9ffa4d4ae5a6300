"""Import the Jekyll/Decap site (services, projects, categories, team, states, collaborators,
media) into the CMS."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer.run import DEFAULT_LOCALE_MAP, ImportFailure, Options, Report, run_import

COLUMNS = ("created", "updated", "unchanged", "skipped", "warnings", "errors", "untranslated")


def parse_locale_map(values: list[str]) -> dict[str, str]:
    """``["cat=ca", "eng=en,val=ca"]`` to ``{"cat": "ca", "eng": "en", "val": "ca"}``."""
    mapping = dict(DEFAULT_LOCALE_MAP)
    for value in values:
        for pair in filter(None, (p.strip() for p in value.split(","))):
            folder, sep, code = pair.partition("=")
            if not sep or not folder.strip() or not code.strip():
                raise CommandError(
                    f"--locale-map expects FOLDER=CODE pairs such as cat=ca, got {pair!r}"
                )
            mapping[folder.strip()] = code.strip()
    return mapping


class Command(BaseCommand):
    help = (
        "Import a Jekyll/Decap site: collaborators, team members and project states become "
        "snippets; services, categories and projects become pages under each language's "
        "index; generic pages, the home page, contact forms, site texts, menus and social "
        "links are imported too. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_dir", help="The site's root: the folder holding _services/ ...")
        parser.add_argument(
            "--media-dir",
            help="Where /media/... paths are found (default: SOURCE_DIR).",
        )
        parser.add_argument(
            "--locale-map",
            action="append",
            default=[],
            metavar="FOLDER=CODE",
            help="Map a language folder to a language code (default cat=ca). Repeatable.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be done, and write nothing (no rows, no media files).",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Save pages as drafts instead of publishing them.",
        )
        parser.add_argument(
            "--report", metavar="FILE", help="Also write the report as JSON to FILE."
        )
        parser.add_argument(
            "--contact-url",
            default="#contact",
            help="Where call-to-action buttons lead when the source names no link "
            "(default #contact, the contact section the old theme linked to).",
        )

        parser.add_argument(
            "--default-form",
            default="cta-contact-service",
            metavar="UID",
            help="The contact form (a call-to-action file's uid) that the call-to-action "
            "buttons of services and projects open (default cta-contact-service; the old theme "
            "sent every 'Pregúntanos' button to the contact modal). Empty: --contact-url.",
        )
        parser.add_argument(
            "--form-email",
            default=None,
            metavar="ADDRESS",
            help="Where contact forms send their submissions (default: the "
            "CIVIC_CONTACT_EMAIL setting; never invented).",
        )

    def handle(self, *args, **options):
        source_dir = Path(options["source_dir"])
        if not source_dir.is_dir():
            raise CommandError(f"{source_dir} is not a folder")
        media_dir = Path(options["media_dir"]) if options["media_dir"] else None
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a folder")
        run_options = Options(
            source_dir=source_dir,
            media_dir=media_dir,
            locale_map=parse_locale_map(options["locale_map"]),
            dry_run=options["dry_run"],
            draft=options["draft"],
            contact_url=options["contact_url"],
            default_form=options["default_form"] or "",
            form_email=options["form_email"],
        )
        progress = self._progress if self.stdout.isatty() else None
        try:
            report = run_import(run_options, progress)
        except ImportFailure as exc:
            raise CommandError(str(exc)) from None
        if progress:
            self.stdout.write("\r\033[K", ending="")
        self._print(report, verbosity=options["verbosity"])
        if options["report"]:
            report_path = Path(options["report"])
            report_path.write_text(
                json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            self.stdout.write(f"Report written to {report_path.resolve()}")
        if report.error_count:
            raise CommandError(
                f"{report.error_count} file(s) had errors and were not imported; "
                "every other file was."
            )

    def _progress(self, done: int, total: int, name: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r\033[K[{bar}] {done}/{total} {name[-50:]}", ending="")
        self.stdout.flush()

    def _print(self, report: Report, verbosity: int) -> None:
        write = self.stdout.write
        if report.dry_run:
            write(self.style.WARNING("Dry run: nothing was written."))
        rows = report.summary()
        header = ("collection", "language", *COLUMNS)
        table = [header] + [
            (r["collection"], r["language"], *(str(r[c]) for c in COLUMNS)) for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for n, row in enumerate(table):
            write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                write("  ".join("-" * w for w in widths))
        if report.skipped_collections:
            skipped = ", ".join(f"{k} ({v} files)" for k, v in report.skipped_collections.items())
            write(f"Not imported (not modelled yet): {skipped}")
        media = report.media
        write(
            f"Media: {media['created']['images']} images and {media['created']['documents']} "
            f"documents created, {media['reused']['images'] + media['reused']['documents']} "
            "uses of existing ones."
        )
        if media.get("leftovers_removed"):
            write(
                f"Removed {len(media['leftovers_removed'])} media file(s) left behind by an "
                "import that was interrupted."
            )
        untranslated = [f for f in report.files if f.untranslated]
        if untranslated and verbosity >= 1:
            write("Untranslated (waiting for translators; readers get the source language):")
            for f in untranslated:
                write(f"  {f.path} ({f.slug})")
        warnings = [w for f in report.files for w in f.warnings]
        if warnings and verbosity >= 1:
            write(self.style.WARNING(f"Warnings ({len(warnings)}):"))
            for warning in warnings:
                write(f"  {warning}")
        errors = [e for f in report.files for e in f.errors]
        if errors:
            self.stderr.write(self.style.ERROR(f"Errors ({len(errors)}):"))
            for error in errors:
                self.stderr.write(f"  {error}")

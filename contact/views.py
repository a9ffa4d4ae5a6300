"""The admin's listing of a contact form's submissions, its CSV and XLSX exports, and the
download of the files visitors sent."""

from __future__ import annotations

import codecs
import datetime

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import SubmissionsListView

from .models import ContactUpload
from .readable import TIME_FORMAT, local_time, readable

# The submission time in an XLSX cell: a real date, shown to the second.
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# The most characters an XLSX cell holds (Excel's limit: a longer one makes it repair the
# file); a longer answer is cut there, ending in "…". The CSV file keeps every character.
XLSX_MAX_CHARS = 32_767
# The most characters of one answer the listing shows; the exports have the rest.
LISTING_MAX_CHARS = 1_000
# Spreadsheet programs run a CSV cell that starts with one of these as a formula (OWASP,
# "CSV injection"): in the CSV file such a cell starts with a single quote. An XLSX cell is
# marked as text instead, and keeps the answer as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    """A value as the listing and the CSV show it: the time as TIME_FORMAT."""
    return value.strftime(TIME_FORMAT) if isinstance(value, datetime.datetime) else value


def _csv_cell(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet program runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value, upload: ContactUpload | None):
    """An answer as the listing shows it: cut to LISTING_MAX_CHARS, a file's a link to its
    download."""
    text = Truncator(_text(value)).chars(LISTING_MAX_CHARS)
    if upload is None:
        return text
    return format_html('<a href="{}">{}</a>', upload.get_admin_url(), text)


def download_upload(request, pk: int):
    """A file a visitor sent, for whoever may read its form's submissions; always as an
    attachment of its detected type, under the visitor's name with that type's extension."""
    upload = get_object_or_404(ContactUpload.objects.select_related("submission"), pk=pk)
    if not get_forms_for_user(request.user).filter(pk=upload.submission.page_id).exists():
        raise PermissionDenied
    try:
        stored = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404("This file is no longer stored.") from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=upload.download_name,
        content_type=upload.download_type,
    )
    # Nothing on the way keeps it, and a browser opening it anyway runs nothing in it.
    add_never_cache_headers(response)
    response["Content-Security-Policy"] = "sandbox"
    return response


class ContactSubmissionsListView(SubmissionsListView):
    """Wagtail's listing and exports, with the same values in both: the answers as words in
    the form's language (as in the organisation's email), the submission time local
    (settings.TIME_ZONE) to the second; in the CSV file, no answer runs as a formula."""

    custom_value_preprocess = {
        **SubmissionsListView.custom_value_preprocess,
        # The time is already local and naive (local_time): no conversion to UTC.
        datetime.datetime: {
            SubmissionsListView.FORMAT_CSV: _text,
            SubmissionsListView.FORMAT_XLSX: None,
        },
        str: {
            SubmissionsListView.FORMAT_CSV: _csv_cell,
            SubmissionsListView.FORMAT_XLSX: lambda text: Truncator(text).chars(XLSX_MAX_CHARS),
        },
    }

    @cached_property
    def field_types(self) -> dict[str, str]:
        return {row.clean_name: row.field_type for row in self.form_page.get_form_fields()}

    def answers(self, submission, names: list[str]) -> dict:
        """``submission``'s values under ``names``: words, and its time as a local datetime."""
        data = submission.get_data()
        with translation.override(self.form_page.locale.language_code):
            return {
                name: local_time(data[name])
                if name == "submit_time"
                else readable(data.get(name), self.field_types.get(name, ""))
                for name in names
            }

    def to_row_dict(self, item):
        return self.answers(item, self.list_export)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            names = [heading["name"] for heading in context["data_headings"]]
            submissions = list(context["submissions"])
            # A file's answer links to its download (one query for the page's uploads).
            uploads = {
                (upload.submission_id, upload.field_name): upload
                for upload in ContactUpload.objects.filter(
                    submission__in=[s.pk for s in submissions]
                )
            }
            context["data_rows"] = [
                {
                    "model_id": submission.id,
                    "fields": [
                        _cell(value, uploads.get((submission.id, name)))
                        for name, value in self.answers(submission, names).items()
                    ],
                }
                for submission in submissions
            ]
        return context

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        return super().generate_xlsx_row(worksheet, row_dict, date_format=XLSX_TIME_FORMAT)

    def stream_csv(self, queryset):
        # Spreadsheet programs read a CSV file as UTF-8 (accents and all) only when it
        # starts with the byte order mark.
        yield codecs.BOM_UTF8
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

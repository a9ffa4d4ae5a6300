"""Answers as people read them: in the organisation's email, the admin's listing and exports.

The words are the form's language (the caller activates it with ``translation.override``):
a ticked box reads "Sí", "Yes" or "Sí"; several choices are one list ("a, b y c"); dates
and times are in words and local time; an empty answer is nothing at all.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import get_text_list

# Our own words, by language (Django's own, such as month names, come translated).
WORDS = {
    "yes": {"es": "Sí", "en": "Yes", "ca": "Sí"},
    "no": {"es": "No", "en": "No", "ca": "No"},
    "and": {"es": "y", "en": "and", "ca": "i"},
    "subject": {
        "es": "{title}: nuevo mensaje",
        "en": "{title}: new message",
        "ca": "{title}: nou missatge",
    },
    "intro": {
        "es": "Nuevo mensaje del formulario «{title}»:",
        "en": "New message from the form “{title}”:",
        "ca": "Nou missatge del formulari «{title}»:",
    },
}

# How a submission's time reads everywhere: local time, to the second.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def word(key: str, **values) -> str:
    """One of our own words in the active language (English when it has none)."""
    texts = WORDS[key]
    language = (translation.get_language() or "en").split("-")[0]
    return texts.get(language, texts["en"]).format(**values)


def local_time(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` in the site's time zone (settings.TIME_ZONE), naive, to the second."""
    if timezone.is_aware(moment):
        moment = timezone.make_naive(moment)
    return moment.replace(microsecond=0)


def _stored(value, kind: str):
    """A date or time as it came back from the database (JSON keeps them as text)."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "date":
            return parse_date(value) or value
        if kind == "datetime":
            return parse_datetime(value) or value
    except ValueError:
        return value
    return value


def readable(value, kind: str = "") -> str:
    """An answer as words; ``kind`` is the field's type (it tells a stored date from text).

    Empty answers (nothing, an empty text, no choice) are the empty string.
    """
    value = _stored(value, kind)
    if value is None:
        return ""
    if isinstance(value, bool):
        return word("yes") if value else word("no")
    if isinstance(value, list | tuple):
        return get_text_list([str(item) for item in value if item not in (None, "")], word("and"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value).replace("\r\n", "\n").strip()

"""Answers as people read them: in the organisation's email, the admin's listing and exports.

The words are the form's language (the caller activates it with ``translation.override``):
a ticked box reads "Sí", "Yes" or "Sí"; several choices are one list ("a, b y c"); dates
and times are in words and local time; an empty answer is nothing at all.
"""

from __future__ import annotations

import datetime
import json
import re

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

# What XML 1.0 cannot hold (an XLSX file is XML, and a page or a CSV file cannot encode a
# lone surrogate): control characters but tab, LF and CR, lone surrogates, U+FFFE and
# U+FFFF. A row written by other means than the form may hold them; every reader gets
# U+FFFD in their place.
UNWRITABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def stored_answers(text: str | None) -> dict:
    """A submission's answers from the JSON text its row holds, whatever the row holds.

    Numbers stay the text they are written as (Python refuses to read an integer of more
    than 4,300 digits); a value that is not a JSON object, or is nested too deep to read,
    has no answers.
    """
    try:
        data = json.loads(text or "null", parse_int=str, parse_float=str, parse_constant=str)
        return answers(data) if isinstance(data, dict) else {}
    except (ValueError, RecursionError):
        return {}


def answers(data: dict) -> dict:
    """``data`` in the shapes a form stores: each answer a text, a list of texts, a boolean
    or nothing; anything else (an object, a list in a list) as its JSON text."""

    def text(item) -> str:
        return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)

    return {
        name: [text(item) for item in value]
        if isinstance(value, list)
        else text(value)
        if isinstance(value, dict)
        else value
        for name, value in data.items()
    }


def printable(text: str) -> str:
    """``text`` with U+FFFD for every character a page, a CSV or an XLSX file cannot hold."""
    return UNWRITABLE.sub("\ufffd", text)


def readable(value, kind: str = "") -> str:
    """An answer as words; ``kind`` is the field's type (it tells a stored date from text).

    Empty answers (nothing, an empty text, no choice) are the empty string.
    """
    return printable(_words(_stored(value, kind)))


def _words(value) -> str:
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

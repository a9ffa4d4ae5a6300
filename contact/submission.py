"""Receiving a contact form: the checks every way in goes through (API and plain HTML).

What a careless visitor or an abuser gets:
- field-level errors with codes (REQUIRED, INVALID_EMAIL, CONSENT_REQUIRED, FILE_TOO_LARGE,
  FILE_TYPE, UNKNOWN_FIELD, INVALID), and nothing stored;
- a honeypot field that people never see: filled in, the answer looks like success and
  nothing is stored;
- a limit of submissions per client address and hour (RATE_LIMITED), nothing stored;
- the words they send kept as text: tags are removed, never stored as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import MultipleChoiceField
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import strip_tags

from .uploads import private_storage

# The words of our own refusals, in the form's language (Django's own come translated).
MESSAGES = {
    "RATE_LIMITED": {
        "es": "Has enviado demasiados mensajes; inténtalo más tarde.",
        "en": "Too many submissions from your address; try later.",
        "ca": "Has enviat massa missatges; torna-ho a provar més tard.",
    },
    "UNKNOWN_FIELD": {
        "es": "Este formulario no tiene el campo '{name}'.",
        "en": "This form has no field '{name}'.",
        "ca": "Aquest formulari no té el camp '{name}'.",
    },
    "FILE_TYPE": {
        "es": "Envía un documento PDF, ODT o DOCX o una imagen (PNG, JPEG, GIF, WebP).",
        "en": "Send a PDF, ODT or DOCX document or an image (PNG, JPEG, GIF, WebP).",
        "ca": "Envia un document PDF, ODT o DOCX o una imatge (PNG, JPEG, GIF, WebP).",
    },
    "FILE_TOO_LARGE": {
        "es": "El archivo ocupa más de {megabytes} MB.",
        "en": "The file is larger than {megabytes} MB.",
        "ca": "El fitxer ocupa més de {megabytes} MB.",
    },
}


def message(code: str, language: str, **values) -> str:
    texts = MESSAGES[code]
    return texts.get(language, texts["en"]).format(**values)


HONEYPOT = "website"


@dataclass(frozen=True)
class FieldError:
    """Why one field was refused: its name (or empty for the whole form), a code, words."""

    field: str
    code: str
    message: str


@dataclass
class SubmitResult:
    """The outcome of one submission: stored or not, and why not."""

    ok: bool
    errors: list[FieldError] = field(default_factory=list)
    submission_id: int | None = None


def _rate_limited(client: str) -> bool:
    """Count this attempt for ``client``; True when the hour's allowance is used up."""
    limit = settings.CIVIC_CONTACT_RATE_PER_HOUR
    if not limit:
        return False
    cache = caches["default"]
    key = f"civic:contact-rate:{client}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=3600)
        return False
    return count > limit


def _code(form_field, error) -> str:
    code = getattr(error, "code", None) or "invalid"
    kind = getattr(form_field, "field_type", "")
    if code == "required":
        return "CONSENT_REQUIRED" if kind == "checkbox" else "REQUIRED"
    if kind == "email" and code == "invalid":
        return "INVALID_EMAIL"
    if code in ("file_too_large", "file_type"):
        return code.upper()
    return "INVALID"


def chosen(value: str, choices: list[str]) -> list[str]:
    """The choices a multiple-choice value joins with ", ", longest first where choices
    overlap; the value as it is when it is not made of choices (the form refuses it)."""
    picked, rest = [], value.strip()
    while rest:
        match = max(
            (c for c in choices if rest == c or rest.startswith(f"{c}, ")), key=len, default=None
        )
        if match is None:
            return [value]
        picked.append(match)
        rest = rest[len(match) + 2 :]
    return picked


def submit(page, values: dict[str, str], files: dict[str, UploadedFile], client: str):
    """Validate and store one submission of ``page``'s form; return what happened.

    Messages are in the form's language.
    """
    language = page.locale.language_code
    with translation.override(language):
        return _submit(page, values, files, client, language)


def _submit(page, values, files, client: str, language: str) -> SubmitResult:
    if values.get(HONEYPOT, "").strip():
        return SubmitResult(ok=True)
    if _rate_limited(client):
        return SubmitResult(
            ok=False,
            errors=[FieldError("", "RATE_LIMITED", message("RATE_LIMITED", language))],
        )
    fields = {f.clean_name: f for f in page.get_form_fields()}
    errors = [
        FieldError(name, "UNKNOWN_FIELD", message("UNKNOWN_FIELD", language, name=name))
        for name in [*values, *files]
        if name not in fields and name != HONEYPOT
    ]
    data = MultiValueDict(
        {name: [strip_tags(value)] for name, value in values.items() if name in fields}
    )
    for name, form_field in page.get_form(page=page).fields.items():
        if isinstance(form_field, MultipleChoiceField) and name in data:
            # Several choices come as one value, joined by ", " (a choice may hold a comma).
            data.setlist(name, chosen(data[name], [str(c) for c, _ in form_field.choices]))
    form = page.get_form(data, {k: v for k, v in files.items() if k in fields}, page=page)
    if not form.is_valid():
        for name, field_errors in form.errors.as_data().items():
            for error in field_errors:
                code = _code(fields.get(name), error)
                if code in MESSAGES:
                    text = message(code, language, **(error.params or {}))
                else:
                    text = " ".join(error.messages)
                errors.append(FieldError(name, code, text))
    if errors:
        return SubmitResult(ok=False, errors=errors)
    written: list[str] = []
    try:
        with transaction.atomic():
            submission = page.process_form_submission(form, written)
    except BaseException:
        # Nothing of a submission that was not stored stays: its files neither.
        storage = private_storage()
        for name in written:
            storage.delete(name)
        raise
    return SubmitResult(ok=True, submission_id=submission.pk)

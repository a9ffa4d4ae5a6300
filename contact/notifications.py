"""The email that tells the organisation of a submission, sent by the task worker.

A submission is stored and answered as soon as it is stored; the email is a task on the
"notifications" queue, queued once the submission is committed and built from the stored
answers. A failed send (the mail server refusing, unreachable or silent beyond
EMAIL_TIMEOUT) is tried again after a growing delay, CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS times
in all; each failed attempt is recorded as a failed task with its error.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils import timezone, translation
from django_tasks import task

from .readable import readable, word

QUEUE = "notifications"
BACKEND = "notifications"

logger = logging.getLogger(__name__)


def backoff(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt``: base * 2 ** (attempt - 1), capped."""
    base = settings.CIVIC_CONTACT_NOTIFY_BACKOFF_SECONDS
    cap = settings.CIVIC_CONTACT_NOTIFY_BACKOFF_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


def recipients(page) -> list[str]:
    """Who is told of ``page``'s submissions: its own addresses, else CIVIC_CONTACT_EMAIL."""
    addresses = page.to_address or settings.CIVIC_CONTACT_EMAIL
    return [address.strip() for address in addresses.split(",") if address.strip()]


def message(submission) -> EmailMessage | None:
    """The email for ``submission``, or None when its form tells nobody.

    In the form's language, from the form's sender (else DEFAULT_FROM_EMAIL), its answers
    as words in the order of the form's fields, empty ones left out; a reply goes to the
    visitor when the form asked for a valid email address.
    """
    page = submission.page.specific
    to = recipients(page)
    if not to:
        return None
    rows = list(page.get_form_fields())
    answers = submission.get_data()
    with translation.override(page.locale.language_code):
        subject = page.subject or word("subject", title=page.title)
        lines = [word("intro", title=page.title), ""]
        for row in rows:
            text = readable(answers.get(row.clean_name), row.field_type)
            if text:
                # A text of several lines starts on a line of its own.
                separator = "\n" if "\n" in text else " "
                lines.append(f"{row.label}:{separator}{text}")
    return EmailMessage(
        subject,
        "\n".join(lines),
        page.from_address or settings.DEFAULT_FROM_EMAIL,
        to,
        reply_to=_reply_to(answers, rows) or None,
        headers={"Auto-Submitted": "auto-generated"},
    )


def _reply_to(answers: dict, rows) -> list[str]:
    """The visitor's address, from the form's first email field with a valid answer."""
    for row in rows:
        address = answers.get(row.clean_name)
        if row.field_type != "email" or not isinstance(address, str) or not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            continue
        return [address]
    return []


@task(queue_name=QUEUE, backend=BACKEND)
def notify(submission_id: int, attempt: int = 1) -> str:
    """Email the organisation of one submission; on failure, queue the next attempt after
    a growing delay until CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS, and fail this one."""
    from .models import ContactSubmission

    submission = ContactSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return "deleted"  # deleted before it could be sent: there is nothing to tell
    email = message(submission)
    if email is None:
        return "no recipients"
    try:
        email.send()
    except Exception:
        maximum = settings.CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS
        if attempt < maximum and notify.get_backend().supports_defer:
            retry_at = timezone.now() + backoff(attempt)
            notify.using(run_after=retry_at).enqueue(submission_id, attempt + 1)
            logger.warning(
                "The notification of submission %s failed (attempt %s of %s); next attempt at %s.",
                submission_id,
                attempt,
                maximum,
                retry_at.isoformat(),
            )
        else:
            logger.error(
                "The notification of submission %s failed (attempt %s of %s); giving up.",
                submission_id,
                attempt,
                maximum,
            )
        raise
    return "sent"

"""The organisation's email is a task the worker sends: a submission is stored once and
answered at once whatever the mail server does; a failed send is tried again after a growing
delay, a bounded number of times; production without a mail server is warned."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.contrib.forms.models import FormSubmission

from contact.checks import check_mail_server
from contact.notifications import backoff, notify
from contact.submission import SubmitResult, submit
from tests.contact.mail_servers import RefusingBackend, StalledServer
from tests.workers import run_worker as worker

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VALID = {
    "name": "Ana",
    "email": "ana@example.org",
    "message": "Hola,\r\n¿me llamáis?",
    "privacy_policy": "true",
}
REFUSING = "tests.contact.mail_servers.RefusingBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def queued(settings):
    """The notification queue as in production: the database, and a worker run on demand."""
    settings.TASKS = settings.QUEUED_TASKS


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = REFUSING
    RefusingBackend.attempts = []
    return RefusingBackend.attempts


@pytest.fixture
def stalled(settings):
    server = StalledServer()
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1
    yield server
    server.close()


def run_worker() -> None:
    worker(backend="notifications", queue="notifications")


def tasks() -> list[tuple]:
    """The notification tasks, oldest first: status, arguments, delay after enqueueing."""
    results = [
        row.task_result
        for row in DBTaskResult.objects.filter(queue_name="notifications").order_by("enqueued_at")
    ]
    return [
        (
            result.status,
            result.args,
            round((result.task.run_after - result.enqueued_at).total_seconds())
            if result.task.run_after
            else None,
        )
        for result in results
    ]


# The worker's tests commit, as the worker does: the notification is queued at the commit.
worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _submit(page, capture):
    with capture(execute=True):
        return submit(page, VALID, {}, "192.0.2.1")


@pytest.mark.parametrize("server", ["refusing", "stalled"])
def test_the_answer_never_waits_for_the_mail_server(
    queued, contact_form, django_capture_on_commit_callbacks, request, server
):
    request.getfixturevalue(server)
    started = time.monotonic()
    result = _submit(contact_form, django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - started
    [submission] = FormSubmission.objects.all()
    assert result == SubmitResult(ok=True, errors=[], submission_id=submission.pk)
    assert elapsed < 1  # EMAIL_TIMEOUT is 1 s: the request never met the server
    assert tasks() == [("READY", [submission.pk], None)]
    assert mail.outbox == []


def test_the_page_form_answers_and_stores_once_when_the_send_fails_in_the_request(
    client, contact_form, cms_templates, refusing, django_capture_on_commit_callbacks
):
    # Here the task runs at the commit, inside the request (the tests' immediate queue):
    # the send fails, and the visitor still reads the thanks, once stored.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/es/cta-contact-service/", VALID)
    assert response.status_code == 200
    assert FormSubmission.objects.count() == 1
    assert refusing == [["hola@example.org"]]


@worker_test
def test_the_worker_sends_the_whole_message(queued, contact_form, settings):
    settings.DEFAULT_FROM_EMAIL = "web@civic.example"
    result = submit(contact_form, VALID, {}, "192.0.2.1")
    assert mail.outbox == []
    run_worker()
    [message] = mail.outbox
    assert (
        message.subject,
        message.from_email,
        message.to,
        message.cc,
        message.bcc,
        message.reply_to,
        message.extra_headers,
        message.attachments,
    ) == (
        "Nuevo mensaje",
        "web@civic.example",
        ["hola@example.org"],
        [],
        [],
        ["ana@example.org"],
        {"Auto-Submitted": "auto-generated"},
        [],
    )
    assert message.body == (
        "Nuevo mensaje del formulario «Contacto»:\n"
        "\n"
        "Nombre: Ana\n"
        "Correo: ana@example.org\n"
        "Mensaje:\n"
        "Hola,\n"
        "¿me llamáis?\n"
        "Acepto la política de privacidad: Sí"
    )
    assert tasks() == [("SUCCESSFUL", [result.submission_id], None)]
    assert DBTaskResult.objects.get().return_value == "sent"


@worker_test
def test_a_failing_send_is_retried_with_growing_delays_then_given_up(
    queued, contact_form, settings, refusing
):
    settings.CIVIC_CONTACT_NOTIFY_MAX_ATTEMPTS = 3
    settings.CIVIC_CONTACT_NOTIFY_BACKOFF_SECONDS = 60
    pk = submit(contact_form, VALID, {}, "192.0.2.1").submission_id
    seen = []
    for _ in range(3):
        run_worker()
        # The next attempt waits for its time: the worker leaves it alone until then.
        run_worker()
        seen.append(tasks())
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    assert seen == [
        [("FAILED", [pk], None), ("READY", [pk, 2], 60)],
        [("FAILED", [pk], None), ("FAILED", [pk, 2], 0), ("READY", [pk, 3], 120)],
        # The third attempt was the last: nothing more is queued.
        [("FAILED", [pk], None), ("FAILED", [pk, 2], 0), ("FAILED", [pk, 3], 0)],
    ]
    assert refusing == [["hola@example.org"]] * 3
    assert [task.exception_class_path for task in DBTaskResult.objects.order_by("enqueued_at")] == [
        "smtplib.SMTPServerDisconnected"
    ] * 3
    assert FormSubmission.objects.count() == 1


@worker_test
def test_a_send_that_fails_once_goes_out_at_the_next_attempt(
    queued, contact_form, settings, refusing
):
    pk = submit(contact_form, VALID, {}, "192.0.2.1").submission_id
    run_worker()
    assert tasks() == [("FAILED", [pk], None), ("READY", [pk, 2], 60)]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert tasks() == [("FAILED", [pk], None), ("SUCCESSFUL", [pk, 2], 0)]
    assert [message.to for message in mail.outbox] == [["hola@example.org"]]


@worker_test
def test_a_stalled_mail_server_fails_the_send_after_email_timeout(queued, contact_form, stalled):
    pk = submit(contact_form, VALID, {}, "192.0.2.1").submission_id
    started = time.monotonic()
    run_worker()
    assert 1 <= time.monotonic() - started < 5
    assert tasks() == [("FAILED", [pk], None), ("READY", [pk, 2], 60)]
    failed = DBTaskResult.objects.get(status="FAILED")
    assert (failed.exception_class_path, failed.traceback.strip().splitlines()[-1]) == (
        "smtplib.SMTPServerDisconnected",
        "smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out",
    )


def test_the_delays_double_up_to_the_cap(settings):
    settings.CIVIC_CONTACT_NOTIFY_BACKOFF_SECONDS = 60
    settings.CIVIC_CONTACT_NOTIFY_BACKOFF_MAX_SECONDS = 600
    assert [backoff(n) for n in range(1, 7)] == [
        timedelta(seconds=s) for s in (60, 120, 240, 480, 600, 600)
    ]


def test_a_deleted_submission_or_a_form_without_recipients_sends_nothing(
    contact_form, django_capture_on_commit_callbacks, settings
):
    settings.CIVIC_CONTACT_EMAIL = ""
    pk = _submit(contact_form, django_capture_on_commit_callbacks).submission_id
    mail.outbox.clear()
    FormSubmission.objects.filter(pk=pk).delete()
    assert notify.call(pk) == "deleted"
    contact_form.to_address = ""
    contact_form.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(contact_form, VALID, {}, "192.0.2.2")
    assert callbacks == []  # nothing queued
    assert notify.call(FormSubmission.objects.get().pk) == "no recipients"
    assert mail.outbox == []


def test_the_check_warns_without_a_mail_server_outside_development(settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    [warning] = check_mail_server(None)
    assert (warning.id, warning.level, warning.msg, warning.hint) == (
        "contact.W001",
        30,
        "Contact form notifications reach nobody: no mail server is configured "
        "(EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend).",
        "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
        "DEFAULT_FROM_EMAIL). Until then submissions are stored and listed in the admin, "
        "and each notification is written to the notification worker's output.",
    )
    settings.DEBUG = True  # development prints them on purpose
    assert check_mail_server(None) == []
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    assert check_mail_server(None) == []


def _production_check(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EMAIL_") and k not in {"REDIS_URL", "DATABASE_URL"}
    }
    clean.update(
        env,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="cms.example.org",
        CIVIC_SINGLE_HOST="true",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_email_host_is_warned_and_with_it_is_not():
    without = _production_check()
    assert (without.returncode, without.stdout, without.stderr) == (
        0,
        "",
        "System check identified some issues:\n"
        "\n"
        "WARNINGS:\n"
        "?: (contact.W001) Contact form notifications reach nobody: no mail server is "
        "configured (EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend).\n"
        "\tHINT: Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
        "DEFAULT_FROM_EMAIL). Until then submissions are stored and listed in the admin, and "
        "each notification is written to the notification worker's output.\n"
        "\n"
        "System check identified 1 issue (0 silenced).\n",
    )
    configured = _production_check(EMAIL_HOST="smtp.example.org")
    assert (configured.returncode, configured.stdout, configured.stderr) == (
        0,
        "System check identified no issues (0 silenced).\n",
        "",
    )

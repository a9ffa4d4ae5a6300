"""The same submission sent twice at once: both are stored, each exactly once, nothing lost.

Two threads post the same form through the real view (Django's test client, one per
thread) at the same moment, on the embedded defaults (SQLite) and on PostgreSQL when
DATABASE_URL names it; the other variant is skipped with the reason.
"""

import json
import threading

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission

from tests.factories import make_contact_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MUTATION = """mutation ($v: [FieldValueInput!]!) {
  submitForm(handle: "cta-contact-service", locale: "es", values: $v) { ok errors { code } }
}"""
VALUES = [
    {"name": "name", "value": "Ana"},
    {"name": "email", "value": "ana@example.org"},
    {"name": "message", "value": "Dos veces a la vez"},
    {"name": "privacy_policy", "value": "true"},
]


def on_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def send_twice_at_once(rounds: int = 5) -> list[dict]:
    answers: list[dict] = []
    lock = threading.Lock()

    def worker(barrier: threading.Barrier) -> None:
        client = Client(REMOTE_ADDR="203.0.113.9")
        body = json.dumps({"query": MUTATION, "variables": {"v": VALUES}})
        try:
            barrier.wait(timeout=30)
            answer = client.post("/graphql/", data=body, content_type="application/json")
            with lock:
                answers.append(answer.json())
        finally:
            connection.close()

    for _ in range(rounds):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=worker, args=(barrier,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return answers


def check(site_structure, settings, tmp_path) -> None:
    settings.CIVIC_PRIVATE_MEDIA_ROOT = tmp_path
    settings.CIVIC_CONTACT_RATE_PER_HOUR = 100
    form = make_contact_form(site_structure.homes["es"])
    answers = send_twice_at_once()
    assert answers == [{"data": {"submitForm": {"ok": True, "errors": []}}}] * 10
    stored = list(FormSubmission.objects.filter(page=form))
    assert len(stored) == 10
    assert len({submission.pk for submission in stored}) == 10
    assert all(submission.form_data["message"] == "Dos veces a la vez" for submission in stored)
    assert len(mail.outbox) == 10


def test_same_submission_at_once_on_the_embedded_defaults(site_structure, settings, tmp_path):
    if on_postgres():
        pytest.skip("DATABASE_URL is set: the embedded defaults run without it")
    check(site_structure, settings, tmp_path)


@pytest.mark.postgres
def test_same_submission_at_once_on_postgres(site_structure, settings, tmp_path):
    if not on_postgres():
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see .ci/run)")
    check(site_structure, settings, tmp_path)

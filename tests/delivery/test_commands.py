"""Operators' commands: registering persisted queries and clearing old previews."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from delivery.models import PersistedQuery, PreviewSnapshot
from delivery.preview import issue_token

pytestmark = pytest.mark.django_db


def test_register_queries_prints_hashes_and_prunes(tmp_path, capsys):
    first = tmp_path / "service.graphql"
    first.write_text("query { locales { code } }\n", encoding="utf-8")
    second = tmp_path / "services.graphql"
    second.write_text("query { services { totalCount } }\n", encoding="utf-8")
    call_command("register_queries", str(first), str(second))
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{digest}  {first}"
    assert PersistedQuery.objects.count() == 2

    call_command("register_queries", str(first), "--prune")
    assert list(PersistedQuery.objects.values_list("sha256", "name")) == [(digest, str(first))]
    assert capsys.readouterr().out.splitlines()[-1] == "Removed 1 queries not in these files."


def test_register_queries_names_the_broken_file_and_line(tmp_path):
    broken = tmp_path / "broken.graphql"
    broken.write_text("query {\n  locales {\n    code\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("register_queries", str(broken))
    assert str(exc.value).startswith(f"{broken}:4: not a GraphQL document (Syntax Error:")
    assert not PersistedQuery.objects.exists()


def test_clear_previews(demo_page, capsys):
    issue_token(demo_page)
    issue_token(demo_page)
    PreviewSnapshot.objects.filter(pk=PreviewSnapshot.objects.first().pk).update(
        expires_at="2000-01-01T00:00:00Z"
    )
    call_command("clear_previews")
    assert capsys.readouterr().out == "Removed 1 expired preview snapshots.\n"
    assert PreviewSnapshot.objects.count() == 1

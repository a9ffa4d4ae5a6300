"""The committed schema.graphql matches the code, and the schema follows the naming rules."""

import pytest
from django.core.management import CommandError, call_command

from graphql_api.management.commands.export_graphql_schema import SCHEMA_FILE, schema_sdl
from graphql_api.schema import schema

REGENERATE = "python manage.py export_graphql_schema"


def test_committed_schema_matches_the_code():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema_sdl(), f"graphql_api/schema.graphql is out of date: run {REGENERATE}"


def test_check_command_passes_on_the_committed_schema(capsys):
    call_command("export_graphql_schema", "--check")
    assert capsys.readouterr().out.strip() == "graphql_api/schema.graphql is up to date."


def test_check_command_fails_on_drift(monkeypatch, tmp_path):
    from graphql_api.management.commands import export_graphql_schema

    stale = tmp_path / "schema.graphql"
    stale.write_text("type Query { old: String }\n", encoding="utf-8")
    monkeypatch.setattr(export_graphql_schema, "SCHEMA_FILE", stale)
    with pytest.raises(
        CommandError, match=r"out of date: run python manage\.py export_graphql_schema"
    ):
        call_command("export_graphql_schema", "--check")


def test_contract_names():
    sdl = schema_sdl()
    for line in (
        "locales: [Locale!]!",
        "page(path: String = null, id: ID = null, locale: String = null, "
        "fallback: Boolean! = false, previewToken: String = null): Page",
        "service(slug: String!, locale: String = null, fallback: Boolean! = false): ServicePage",
        "collaborators(locale: String = null): [Collaborator!]!",
        "collaborator(slug: String!, locale: String = null): Collaborator",
        "search(query: String!, locale: String = null, first: Int = null): [Page!]!",
        "interface StreamBlock",
        "interface Page",
        "type ServicePage implements Page",
        "type HomePage implements Page",
        "type ServiceIndexPage implements Page",
        "enum RenditionPreset",
    ):
        assert line in sdl, line


def test_every_type_and_field_has_a_description():
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Boolean", "Int", "ID", "DateTime"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []


def _doc_examples() -> list[str]:
    text = (SCHEMA_FILE.parent.parent / "docs" / "GRAPHQL.md").read_text(encoding="utf-8")
    return [part.split("```", 1)[0] for part in text.split("```graphql")[1:]]


def test_documented_examples_run(demo_page, graphql):
    examples = _doc_examples()
    assert len(examples) == 3
    variables = {
        "slug": demo_page.slug,
        "locale": "en",
        "after": None,
        "path": demo_page.url,
        "q": "Goteo",
    }
    for example in examples:
        response = graphql(example, variables)
        assert "errors" not in response, response["errors"]
        assert all(value is not None for value in response["data"].values())

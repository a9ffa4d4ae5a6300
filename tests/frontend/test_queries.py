"""Every GraphQL document the reference frontend sends is valid against the committed schema."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is needed to read the ES module")


def _documents() -> dict[str, str]:
    script = "import(process.argv[1]).then(m => console.log(JSON.stringify(m)))"
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [NODE, "--input-type=module", "-e", script, str(ROOT / "frontend/public/src/queries.js")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_every_frontend_query_validates_against_the_schema():
    schema = build_schema((ROOT / "graphql_api/schema.graphql").read_text())
    documents = _documents()
    assert sorted(documents) == [
        "CATEGORIES_QUERY",
        "FORM_QUERY",
        "HOME_QUERY",
        "LOCALES_QUERY",
        "PAGE_QUERY",
        "PREVIEW_QUERY",
        "PROJECTS_QUERY",
        "SERVICES_QUERY",
        "SITE_QUERY",
        "SUBMIT_FORM_MUTATION",
        "TEAM_QUERY",
    ]
    problems = {
        name: [error.message for error in validate(schema, parse(text))]
        for name, text in documents.items()
    }
    assert problems == {name: [] for name in documents}

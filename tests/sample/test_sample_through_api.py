"""The sample of the source site, imported, read back through the GraphQL API.

Every front-matter field of every project, team member, category and project state file,
in es, en and ca, is found again in what a frontend gets. The sample is not part of the
repository: without it (``../shared/fixtures/platoniq-sample`` or ``CIVIC_SAMPLE_SITE``)
these tests are skipped and say why.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.sample_site import NO_SAMPLE, SAMPLE

LANGUAGES = {"es": "es", "en": "en", "cat": "ca"}
MADRID = ZoneInfo("Europe/Madrid")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SAMPLE.is_dir(),
        reason=NO_SAMPLE,
    ),
]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def files(collection: str):
    for folder, code in LANGUAGES.items():
        for path in sorted((SAMPLE / collection / folder).glob("*.md")):
            yield code, path.relative_to(SAMPLE).as_posix(), front_matter(path)


@pytest.fixture
def api(client, imported_sample):
    def run(query: str, **variables) -> dict:
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    return run


def text(value) -> str:
    return " ".join(str(value or "").split())


def stub(fm: dict) -> bool:
    return not str(fm.get("title") or "").strip()


def existing(api, kind: str, locale: str) -> set[str]:
    """The slugs (case-folded) the API knows for a kind, in any state of the sample."""
    data = api(
        "query ($l: String) { services(locale: $l, first: 50) { edges { node { slug } } }"
        " categories(locale: $l) { slug } members(locale: $l) { slug }"
        " collaborators(locale: $l) { slug } }",
        l=locale,
    )
    if kind == "services":
        return {e["node"]["slug"].casefold() for e in data["services"]["edges"]}
    return {item["slug"].casefold() for item in data[kind]}


PROJECT = """query ($slug: String!, $locale: String) {
  project(slug: $slug, locale: $locale) {
    title slug locale { code }
    subtitle { markdown } description { markdown }
    bannerImage { alt }
    startDate endDate date budget
    funding { privatePercentage publicPercentage lookingForFinancePercentage }
    state { slug }
    services { slug } categories { slug } members { slug } collaborators { slug }
    callToAction { text { markdown } buttonLabel }
  }
}"""


def madrid_date(value) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(MADRID).date().isoformat()


def test_every_project_field_reaches_the_api(api):
    for entry in files("_projects"):
        check_project(api, *entry)


def check_project(api, locale, path, fm):
    data = api(PROJECT, slug=fm["slug"], locale=locale)["project"]
    if stub(fm):
        assert data is None, f"{path}: a stub is a draft translation, not a public page"
        fallback = api(
            "query ($s: String!, $l: String) { project(slug: $s, locale: $l, fallback: true)"
            " { locale { code } } }",
            s=fm["slug"],
            l=locale,
        )["project"]
        assert fallback == {"locale": {"code": "es"}}
        return
    assert data["title"] == text(fm["title"])
    assert data["slug"].casefold() == fm["slug"].casefold()
    assert data["locale"] == {"code": locale}
    assert text(data["subtitle"]["markdown"]) == text(fm.get("subtitle"))
    assert text(data["description"]["markdown"]) == text(fm.get("description"))
    banner = fm.get("banner_image") or {}
    if banner.get("alt"):
        assert data["bannerImage"]["alt"] == text(banner["alt"])
    elif banner.get("path"):
        # No alt of its own: the image's own description (from the file that first used it).
        assert data["bannerImage"] is not None
    assert data["startDate"] == madrid_date(fm["date_start"])
    assert data["endDate"] == madrid_date(fm["date_end"])
    if fm.get("date"):
        assert data["date"] is not None
        assert datetime.fromisoformat(data["date"]) == datetime.fromisoformat(
            str(fm["date"]).replace("Z", "+00:00")
        )
    assert data["budget"] == str(fm["budget"])
    assert data["funding"] == {
        "privatePercentage": str(fm.get("private_percentage", "")),
        "publicPercentage": str(fm.get("public_percentage", "")),
        "lookingForFinancePercentage": str(fm.get("looking_finance_percentage", "")),
    }
    assert data["state"] == {"slug": fm["state"]}
    for field in ("services", "categories", "members", "collaborators"):
        known = existing(api, field, locale)
        wanted = sorted({s.casefold() for s in fm.get(field) or [] if s.casefold() in known})
        assert sorted({item["slug"].casefold() for item in data[field]}) == wanted, field
    cta = fm.get("call_to_action") or {}
    assert data["callToAction"]["buttonLabel"] == text(cta.get("url_text") or cta.get("url"))
    if cta.get("text"):
        assert text(data["callToAction"]["text"]["markdown"]) == text(cta["text"])


MEMBER = """query ($slug: String!, $locale: String) {
  member(slug: $slug, locale: $locale) {
    slug name role kind email bio { markdown } photo { alt } links { kind url }
  }
}"""


def test_every_member_field_reaches_the_api(api):
    for entry in files("_members"):
        check_member(api, *entry)


def check_member(api, locale, path, fm):
    data = api(MEMBER, slug=fm["slug"], locale=locale)["member"]
    assert data["slug"] == fm["slug"]
    assert data["name"] == text(fm["title"])
    assert data["kind"] == text(fm.get("type"))
    assert data["email"] == str(fm.get("email", "")).replace("[at]", "@")
    if fm.get("position") or fm.get("description"):
        assert data["role"] == text(fm.get("position"))
        assert text(data["bio"]["markdown"]) == text(fm.get("description"))
    assert data["links"] == [
        {"kind": kind, "url": fm[kind]}
        for kind in ("twitter", "linkedin", "facebook", "github")
        if fm.get(kind)
    ]
    alt = (fm.get("image") or {}).get("alt")
    if alt:
        assert data["photo"]["alt"] == text(alt)


CATEGORY = """query ($slug: String!, $locale: String) {
  category(slug: $slug, locale: $locale) {
    title subtitle { markdown } symbol { alt } services { slug }
    callToAction { buttonLabel }
  }
}"""


def test_every_category_field_reaches_the_api(api):
    for entry in files("_categories"):
        check_category(api, *entry)


def check_category(api, locale, path, fm):
    data = api(CATEGORY, slug=fm["slug"], locale=locale)["category"]
    assert data["title"] == text(fm["title"])
    assert text(data["subtitle"]["markdown"]) == text(fm.get("subtitle"))
    assert data["symbol"]["alt"] == text(fm["symbol"]["alt"])
    known = existing(api, "services", locale)
    wanted = sorted({s.casefold() for s in fm.get("services") or [] if s.casefold() in known})
    assert sorted(item["slug"].casefold() for item in data["services"]) == wanted
    assert data["callToAction"] is not None, f"{path}: call_to_action {fm['call_to_action']}"
    assert data["callToAction"]["buttonLabel"]


def test_every_project_state_reaches_the_api(api):
    for locale in sorted(LANGUAGES.values()):
        expected = sorted(
            (fm["slug"], text(fm["title"]), fm["color"])
            for code, _path, fm in files("_states")
            if code == locale
        )
        query = "query ($l: String) { projectStates(locale: $l) { slug title color } }"
        states = api(query, l=locale)["projectStates"]
        assert sorted((s["slug"], s["title"], s["color"]) for s in states) == expected, locale

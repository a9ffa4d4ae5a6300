"""Every page and team member answers where it stands in translation (graphql_api.
translations), for every object of an answer in one query, and `locale` names
the language of the text served: a version not translated yet says its source's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.models import Translation as LocalizeTranslation

from cms.models import Collaborator
from services.models import ServicePage
from tests.factories import make_member, make_service

pytestmark = pytest.mark.django_db

STATUS = """
  locale { code }
  translation {
    sourceLocale { code } versionLocale { code } state upToDate outdatedSince translatedAt
    untranslatedSegments totalSegments
  }
"""

SERVICES = (
    "query ($locale: String) { services(locale: $locale, first: 20) { edges { node { title"
    + STATUS
    + "translations { locale { code } title } } } } }"
)

SERVICES_WITHOUT_STATUS = """
query ($locale: String) {
  services(locale: $locale, first: 20) { edges { node { title } } }
}
"""


def _iso(value) -> str:
    return value.isoformat()


def _translate(source, locale, only=None) -> None:
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if only is None or segment.string.data in only:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": f"[{locale.language_code}] {segment.string.data}"},
            )


def _translation(page, locale, capture, *, translate=True):
    """``page`` translated into ``locale`` (every segment, or none) and published."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = LocalizeTranslation.objects.create(source=source, target_locale=locale)
    if translate:
        _translate(source, locale)
    with capture(execute=True):  # wagtail-localize publishes when the transaction commits
        translation.save_target(publish=True)
    return translation


def _service(index, title, slug, metric="Barrios"):
    return make_service(
        index,
        title=title,
        slug=slug,
        description="Uno.",
        body=[("metrics", {"items": [{"number": "12", "text": metric}]})],
    )


@pytest.fixture
def translated(site_structure, locales, django_capture_on_commit_callbacks):
    """Two Spanish services: "Huertos", translated into Catalan and left untranslated in
    English (a copy of the Spanish); "Semillas", translated into Catalan, then changed."""
    capture = django_capture_on_commit_callbacks
    huertos = _service(site_structure.service_indexes["es"], "Huertos", "huertos")
    _translation(huertos, locales["ca"], capture)
    _translation(huertos, locales["en"], capture, translate=False)
    semillas = _service(site_structure.service_indexes["es"], "Semillas", "semillas")
    catalan = _translation(semillas, locales["ca"], capture)
    semillas = ServicePage.objects.get(pk=semillas.pk)
    semillas.body[0].value["items"][0]["text"] = "Distritos"
    semillas.save_revision().publish()
    semillas.refresh_from_db()
    catalan.source.refresh_from_db()
    return {
        "huertos": huertos,
        "semillas": semillas,
        "changed_at": catalan.source.last_updated_at,
        "ca": {p.title: p for p in ServicePage.objects.filter(locale=locales["ca"])},
    }


def _count(graphql, query, variables) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        answer = graphql(query, variables)
    return len(queries), answer


def _status(locale, source, version, state, **fields) -> dict:
    return {
        "locale": {"code": locale},
        "translation": {
            "sourceLocale": {"code": source},
            "versionLocale": {"code": version},
            "state": state,
            "upToDate": state == "UP_TO_DATE",
            "outdatedSince": fields.get("outdated_since"),
            "translatedAt": fields.get("translated_at"),
            "untranslatedSegments": fields.get("untranslated", 0),
            "totalSegments": fields.get("total", 0),
        },
    }


def test_catalan_versions_say_where_they_stand(translated, graphql):
    ca = translated["ca"]
    answer = graphql(SERVICES, {"locale": "ca"})
    assert answer == {
        "data": {
            "services": {
                "edges": [
                    {
                        "node": {
                            "title": "[ca] Huertos",
                            **_status(
                                "ca",
                                "es",
                                "ca",
                                "UP_TO_DATE",
                                translated_at=_iso(ca["[ca] Huertos"].last_published_at),
                                total=5,
                            ),
                            "translations": [
                                {"locale": {"code": "es"}, "title": "Huertos"},
                                # The English version holds the Spanish words.
                                {"locale": {"code": "es"}, "title": "Huertos"},
                            ],
                        }
                    },
                    {
                        "node": {
                            "title": "[ca] Semillas",
                            **_status(
                                "ca",
                                "es",
                                "ca",
                                "OUTDATED",
                                outdated_since=_iso(translated["changed_at"]),
                                translated_at=_iso(ca["[ca] Semillas"].last_published_at),
                                untranslated=1,
                                total=5,
                            ),
                            "translations": [{"locale": {"code": "es"}, "title": "Semillas"}],
                        }
                    },
                ]
            }
        }
    }


def test_a_version_never_translated_is_served_in_its_sources_language(translated, graphql):
    answer = graphql(SERVICES, {"locale": "en"})
    assert answer == {
        "data": {
            "services": {
                "edges": [
                    {
                        "node": {
                            "title": "Huertos",
                            **_status(
                                "es", "es", "en", "NEVER_TRANSLATED", untranslated=5, total=5
                            ),
                            "translations": [
                                {"locale": {"code": "es"}, "title": "Huertos"},
                                {"locale": {"code": "ca"}, "title": "[ca] Huertos"},
                            ],
                        }
                    }
                ]
            }
        }
    }


def test_a_source_is_up_to_date(translated, graphql):
    answer = graphql(SERVICES, {"locale": "es"})
    nodes = [edge["node"] for edge in answer["data"]["services"]["edges"]]
    assert [(node["title"], node["locale"], node["translation"]) for node in nodes] == [
        (
            title,
            {"code": "es"},
            _status("es", "es", "es", "UP_TO_DATE", translated_at=_iso(page.last_published_at))[
                "translation"
            ],
        )
        for title, page in (
            ("Huertos", translated["huertos"]),
            ("Semillas", translated["semillas"]),
        )
    ]


def test_the_statuses_of_an_answer_cost_one_query_whatever_its_size(
    translated, site_structure, locales, graphql, django_capture_on_commit_callbacks
):
    def extra_cost() -> int:
        with_status, _answer = _count(graphql, SERVICES, {"locale": "ca"})
        without, _answer = _count(graphql, SERVICES_WITHOUT_STATUS, {"locale": "ca"})
        # The translations' own field costs its one query, with or without statuses.
        return with_status - without

    two = extra_cost()
    for number in range(3):
        page = _service(site_structure.service_indexes["es"], f"Más {number}", f"mas-{number}")
        _translation(page, locales["ca"], django_capture_on_commit_callbacks)
    five = extra_cost()
    assert len(graphql(SERVICES, {"locale": "ca"})["data"]["services"]["edges"]) == 5
    # The Translations of the answer's keys with their progress, plus the other versions
    # (`translations`), which the listing without statuses leaves out.
    assert two == five == 2


MEMBERS = "query ($locale: String) { members(locale: $locale) { name role" + STATUS + "} }"


def test_team_members_say_where_they_stand(
    site_structure, locales, graphql, django_capture_on_commit_callbacks
):
    ana = make_member(locales["es"], slug="ag", name="Ana García", position="Directora")
    _translation(ana, locales["ca"], django_capture_on_commit_callbacks)
    luis = make_member(locales["es"], slug="lm", name="Luis Mora", position="Diseñador")
    _translation(luis, locales["ca"], django_capture_on_commit_callbacks, translate=False)
    answer = graphql(MEMBERS, {"locale": "ca"})
    total = StringSegment.objects.filter(source__object_id=ana.translation_key).count()
    assert answer == {
        "data": {
            "members": [
                {
                    "name": "Ana García",
                    "role": "[ca] Directora",
                    **_status("ca", "es", "ca", "UP_TO_DATE", total=total),
                },
                {
                    "name": "Luis Mora",
                    "role": "Diseñador",
                    **_status(
                        "es", "es", "ca", "NEVER_TRANSLATED", untranslated=total, total=total
                    ),
                },
            ]
        }
    }


COLLABORATORS = "query ($locale: String) { collaborators(locale: $locale) { name" + STATUS + "} }"


def test_organisations_say_where_they_stand(
    site_structure, locales, graphql, django_capture_on_commit_callbacks
):
    goteo = Collaborator.objects.create(
        locale=locales["es"], slug="goteo", name="Goteo", logo_alt="Logotipo de Goteo"
    )
    _translation(goteo, locales["ca"], django_capture_on_commit_callbacks)
    coop = Collaborator.objects.create(
        locale=locales["es"], slug="coop", name="Coop", logo_alt="Logotipo de Coop"
    )
    _translation(coop, locales["ca"], django_capture_on_commit_callbacks, translate=False)
    total = StringSegment.objects.filter(source__object_id=goteo.translation_key).count()
    queries, answer = _count(graphql, COLLABORATORS, {"locale": "ca"})
    assert answer == {
        "data": {
            "collaborators": [
                # By name, as the organisations are listed: "[ca] goteo" before "coop".
                {"name": "[ca] Goteo", **_status("ca", "es", "ca", "UP_TO_DATE", total=total)},
                {
                    "name": "Coop",
                    **_status(
                        "es", "es", "ca", "NEVER_TRANSLATED", untranslated=total, total=total
                    ),
                },
            ]
        }
    }
    assert total > 0
    # The organisations and their statuses, whatever their number; the rules of the request.
    assert queries == _count(graphql, 'query { collaborators(locale: "ca") { name } }', {})[0] + 1


def test_a_copy_translated_but_not_published_is_still_served_in_its_sources_language(
    site_structure, locales, graphql, django_capture_on_commit_callbacks
):
    # The importer's copy of a team member, published with the Spanish words; a translator
    # then translates every segment and has not published yet: the text served is the copy.
    marta = make_member(locales["es"], slug="mr", name="Marta Roig", position="Editora")
    translation = _translation(
        marta, locales["ca"], django_capture_on_commit_callbacks, translate=False
    )
    _translate(translation.source, locales["ca"])
    total = StringSegment.objects.filter(source__object_id=marta.translation_key).count()
    before = graphql(MEMBERS, {"locale": "ca"})
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    after = graphql(MEMBERS, {"locale": "ca"})
    assert total > 0
    assert before == {
        "data": {
            "members": [
                {
                    "name": "Marta Roig",
                    "role": "Editora",
                    **_status("es", "es", "ca", "NOT_PUBLISHED", total=total),
                }
            ]
        }
    }
    assert after == {
        "data": {
            "members": [
                {
                    "name": "Marta Roig",
                    "role": "[ca] Editora",
                    **_status("ca", "es", "ca", "UP_TO_DATE", total=total),
                }
            ]
        }
    }

"""The API serves the Markdown HTML that pages and snippets stored when saved
(cms.markdown_html), and never serves it for another text: tried with a text changed
without a save, a stored HTML tampered with, and a renderer whose settings changed."""

import pytest
from django.apps import apps
from wagtail.models import Page

from cms import markdown_html
from cms.markdown_html import FIELD, digest, render
from cms.models import Member
from tests.graphql_api.queries import CATEGORY, MEMBERS, PROJECT, SERVICE

PLAIN = "<p>La plataforma <strong>Goteo</strong>.</p>"


@pytest.fixture
def renders(monkeypatch):
    """The texts rendered while requests are answered, in order."""
    rendered: list[str] = []

    def counting(source: str) -> str:
        rendered.append(source)
        return render(source)

    monkeypatch.setattr(markdown_html, "render", counting)
    return rendered


def _storing_models():
    return [m for m in apps.get_models() if issubclass(m, markdown_html.StoresMarkdownHtml)]


def _call_to_action_texts() -> set[str]:
    # Calls to action hold their words in a plain text block the API reads as Markdown:
    # the one kind of text a page does not store (short, rendered when read).
    texts = set()
    for page in Page.objects.specific():
        for field in ("call_to_action", "body"):
            for block in getattr(page, field, None) or []:
                if block.block_type == "call_to_action":
                    texts.add(block.value["text"])
    return texts


def _questions(demo_page):
    return [
        (SERVICE, {"slug": demo_page.slug, "locale": "es"}),
        (SERVICE, {"slug": demo_page.slug, "locale": "en"}),
        (SERVICE, {"slug": demo_page.slug, "locale": "ca"}),
        (PROJECT, {"slug": "fondo-de-barrio", "locale": "es"}),
        (CATEGORY, {"slug": "economia-compartida", "locale": "es"}),
        (MEMBERS, {"locale": "es"}),
    ]


def test_the_demo_is_answered_from_stored_html_as_if_rendered(demo_page, graphql, renders):
    stored_answers = []
    for query, variables in _questions(demo_page):
        answer = graphql(query, variables)
        assert "errors" not in answer, answer
        stored_answers.append(answer)
    assert renders, "the demo has calls to action"
    assert set(renders) <= _call_to_action_texts()
    renders.clear()

    # Every row as if saved before it stored anything: each text is rendered on the
    # request, and the answers are the same, whole.
    for model in _storing_models():
        model.objects.update(**{FIELD: {}})
    rendered_answers = [graphql(query, variables) for query, variables in _questions(demo_page)]
    assert rendered_answers == stored_answers
    assert len(renders) > len(_call_to_action_texts())


def test_a_text_changed_without_a_save_is_rendered(demo_page, graphql, renders):
    text = "La plataforma **Goteo**."
    type(demo_page).objects.filter(pk=demo_page.pk).update(description=text)
    answer = graphql(
        'query ($slug: String!) { service(slug: $slug, locale: "es") '
        "{ description { markdown html } } }",
        {"slug": demo_page.slug},
    )
    assert answer == {"data": {"service": {"description": {"markdown": text, "html": PLAIN}}}}
    assert renders == [text]


def test_a_tampered_stored_html_is_never_served_for_another_text(demo_page, graphql):
    page = type(demo_page).objects.get(pk=demo_page.pk)
    old = page.description
    # The stored HTML of the old text made wrong, then the text changed without a save.
    stored = dict(page.rendered_markdown)
    stored[digest(old)] = "<p>Lo que ya no dice.</p>"
    type(page).objects.filter(pk=page.pk).update(
        rendered_markdown=stored, description="La plataforma **Goteo**."
    )
    answer = graphql(
        'query ($slug: String!) { service(slug: $slug, locale: "es") { description { html } } }',
        {"slug": demo_page.slug},
    )
    assert answer == {"data": {"service": {"description": {"html": PLAIN}}}}


def test_another_renderer_renders_again(demo_page, graphql, settings, monkeypatch):
    member = Member.objects.filter(locale__language_code="es").exclude(bio="").first()
    assert "**" in member.bio, member.bio
    # Without links and emphasis allowed: a renderer with other settings has other keys.
    settings.WAGTAILMARKDOWN = {
        **settings.WAGTAILMARKDOWN,
        "allowed_tags": ["p"],
        "allowed_attributes": {},
    }
    monkeypatch.setattr(markdown_html, "_local", type(markdown_html._local)())
    answer = graphql(MEMBERS, {"locale": "es"})
    bios = {m["slug"]: m["bio"] for m in answer["data"]["members"]}
    assert bios[member.slug] == {"markdown": member.bio, "html": render(member.bio)}
    assert "<strong>" not in bios[member.slug]["html"]

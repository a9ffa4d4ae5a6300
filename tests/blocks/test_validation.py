"""Block round trips and the errors editors see, without a database."""

import pytest
from wagtail.blocks import StreamValue
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from blocks.call_to_action import CallToActionBlock
from blocks.links import LinksBlock
from blocks.metrics import MetricsBlock, NumbersBlock
from blocks.questions import QuestionsBlock
from blocks.quote import QuoteBlock
from blocks.video import VideoBlock, parse_video_url
from services.stream import ServiceBodyBlock


def messages(error) -> list[str]:
    """Flatten a block validation error into the messages shown on its fields."""
    if isinstance(error, StructBlockValidationError | ListBlockValidationError):
        nested = [m for _key, e in sorted(error.block_errors.items()) for m in messages(e)]
        others = error.non_block_errors or []
        return nested + [
            m for e in others for m in (messages(e) if hasattr(e, "messages") else [e])
        ]
    return list(error.messages)


def field_errors(error: StructBlockValidationError) -> dict[str, list[str]]:
    return {name: messages(e) for name, e in error.block_errors.items()}


def clean(block, raw):
    return block.clean(block.to_python(raw))


class TestMetrics:
    def test_round_trip_keeps_every_field(self):
        block = MetricsBlock()
        raw = {
            "items": [
                {"number": "20.948.115", "text": "Dinero recaudado"},
                {"number": "", "text": "Mejor gobernanza"},
            ]
        }
        value = clean(block, raw)
        prep = block.get_prep_value(value)
        assert [(i["value"]["number"], i["value"]["text"]) for i in prep["items"]] == [
            ("20.948.115", "Dinero recaudado"),
            ("", "Mejor gobernanza"),
        ]
        assert [item["text"] for item in block.to_python(prep)["items"]] == [
            "Dinero recaudado",
            "Mejor gobernanza",
        ]

    def test_empty_metric_is_refused_on_its_text_field(self):
        block = MetricsBlock()
        with pytest.raises(StructBlockValidationError) as exc:
            clean(block, {"items": [{"number": "12", "text": "Convocatorias"}, {"number": ""}]})
        items_error = exc.value.block_errors["items"]
        assert list(items_error.block_errors) == [1]
        assert field_errors(items_error.block_errors[1]) == {
            "text": ["This metric is empty: enter a text (and a number if it has one)."]
        }

    def test_number_without_text_is_refused(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(MetricsBlock(), {"items": [{"number": "90%", "text": "  "}]})
        item_error = exc.value.block_errors["items"].block_errors[0]
        assert field_errors(item_error) == {
            "text": ["Give this metric a text; a number alone tells readers nothing."]
        }

    def test_numbers_need_number_and_label(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(NumbersBlock(), {"items": [{"number": "", "label": ""}]})
        item_error = exc.value.block_errors["items"].block_errors[0]
        assert field_errors(item_error) == {
            "number": ["This field is required."],
            "label": ["This field is required."],
        }


class TestVideo:
    @pytest.mark.parametrize(
        ("url", "provider", "embed_url"),
        [
            (
                "https://www.youtube.com/watch?v=5bzfj2IkznQ&t=3",
                "youtube",
                "https://www.youtube-nocookie.com/embed/5bzfj2IkznQ",
            ),
            (
                "https://youtu.be/d7VtXzd7O54",
                "youtube",
                "https://www.youtube-nocookie.com/embed/d7VtXzd7O54",
            ),
            (
                "https://www.youtube.com/embed/vsErReqZJ2E?si=olThPl4ZPzUqBnmE",
                "youtube",
                "https://www.youtube-nocookie.com/embed/vsErReqZJ2E",
            ),
            ("https://vimeo.com/273906415", "vimeo", "https://player.vimeo.com/video/273906415"),
            (
                "https://player.vimeo.com/video/273906415?badge=0",
                "vimeo",
                "https://player.vimeo.com/video/273906415",
            ),
            (
                "https://videos.laguixeta.cat/videos/embed/a40e7792-f959-4775-a474-e4d8eac6c7de",
                "peertube",
                "https://videos.laguixeta.cat/videos/embed/a40e7792-f959-4775-a474-e4d8eac6c7de",
            ),
        ],
    )
    def test_known_providers_give_an_offline_embed_url(self, url, provider, embed_url):
        value = clean(VideoBlock(), {"title": "Goteo", "url": url})
        assert (value.provider, value.embed_url) == (provider, embed_url)
        assert parse_video_url(url).embed_url == embed_url

    @pytest.mark.parametrize(
        "url",
        [
            "https://example.com/watch?v=5bzfj2IkznQ",
            "https://www.youtube.com/watch?v=short",
            "https://vimeo.com/channels/staffpicks",
            "https://evil.example/videos/embed/a40e7792-f959-4775-a474-e4d8eac6c7de",
        ],
    )
    def test_unknown_provider_is_refused_on_the_url_field(self, url):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(VideoBlock(), {"title": "Vídeo", "url": url})
        assert field_errors(exc.value) == {
            "url": [
                "This is not a video address we can embed. Use a YouTube or Vimeo video URL, "
                "such as https://www.youtube.com/watch?v=… or https://vimeo.com/123456789."
            ]
        }

    @pytest.mark.parametrize(
        ("url", "scheme"),
        [("javascript:alert(1)", "javascript:"), ("data:text/html,<b>x</b>", "data:")],
    )
    def test_non_web_schemes_are_refused(self, url, scheme):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(VideoBlock(), {"title": "Vídeo", "url": url})
        assert field_errors(exc.value)["url"] == [
            f"Enter a web address that starts with http:// or https:// (got {scheme})."
        ]


class TestCallToAction:
    def test_url_or_anchor_link(self):
        for link in ["https://www.goteo.org/", "#contact", "/es/contacto/", "mailto:hola@x.org"]:
            value = clean(
                CallToActionBlock(),
                {"text": "¿Quieres saber más?", "button_label": "Pregúntanos", "url": link},
            )
            assert value.link_url == link

    def test_a_button_must_lead_somewhere(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(CallToActionBlock(), {"text": "¿Quieres saber más?", "button_label": "Vamos"})
        assert field_errors(exc.value) == {
            "url": [
                "The button must lead somewhere: choose a form or a page, or enter a URL or anchor."
            ]
        }

    @pytest.mark.django_db
    def test_a_button_leads_to_one_place(self, site_structure):
        home = site_structure.homes["es"]
        with pytest.raises(StructBlockValidationError) as exc:
            clean(
                CallToActionBlock(),
                {"text": "Hola", "button_label": "Ir", "page": home.pk, "url": "#contact"},
            )
        assert field_errors(exc.value) == {
            "url": ["Choose one of a form, a page or a URL, not several."]
        }

    @pytest.mark.django_db
    def test_a_button_can_open_a_contact_form(self, site_structure):
        from contact.models import ContactFormPage

        form = ContactFormPage(title="Contacto", slug="cta-contact-service")
        site_structure.homes["es"].add_child(instance=form)
        form.save_revision().publish()
        value = clean(
            CallToActionBlock(),
            {"text": "¿Hablamos?", "button_label": "Escríbenos", "form": form.pk},
        )
        assert value.link_url == "/es/cta-contact-service/"

    @pytest.mark.parametrize(
        ("link", "message"),
        [
            (
                "javascript:alert(1)",
                "Enter a web address that starts with http:// or https:// (got javascript:).",
            ),
            (
                "JaVaScRiPt:alert(1)",
                "Enter a web address that starts with http:// or https:// (got javascript:).",
            ),
            (
                "//evil.example/x",
                "Enter a web address that starts with http:// or https:// (got no scheme).",
            ),
            ("java\tscript:alert(1)", "Enter a link without spaces or control characters."),
            ("#", "An anchor needs a name after '#', such as #contact."),
            (
                "Pregúntanos",
                "Enter a web address that starts with http:// or https:// (got no scheme).",
            ),
        ],
    )
    def test_unsafe_or_broken_links_are_refused(self, link, message):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(CallToActionBlock(), {"text": "Hola", "button_label": "Ir", "url": link})
        assert field_errors(exc.value) == {"url": [message]}

    def test_text_and_label_are_required(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(CallToActionBlock(), {"text": "", "button_label": "", "url": "#contact"})
        assert field_errors(exc.value) == {
            "text": ["This field is required."],
            "button_label": ["This field is required."],
        }


def test_links_refuse_javascript_urls():
    with pytest.raises(StructBlockValidationError) as exc:
        clean(LinksBlock(), {"title": "", "items": [{"url": "javascript:x()", "title": "x"}]})
    item_error = exc.value.block_errors["items"].block_errors[0]
    assert field_errors(item_error) == {
        "url": ["Enter a web address that starts with http:// or https:// (got javascript:)."]
    }


def test_quote_round_trip_and_required_text():
    block = QuoteBlock()
    value = clean(block, {"text": "Tu capital depende de la confianza", "author": "Kapipal"})
    assert block.get_prep_value(value) == {
        "text": "Tu capital depende de la confianza",
        "author": "Kapipal",
    }
    with pytest.raises(StructBlockValidationError) as exc:
        clean(block, {"text": "", "author": "Kapipal"})
    assert field_errors(exc.value) == {"text": ["This field is required."]}


def test_questions_need_at_least_one_question():
    with pytest.raises(StructBlockValidationError) as exc:
        clean(QuestionsBlock(), {"items": []})
    assert messages(exc.value) == ["The minimum number of items is 1"]


def test_stream_round_trip_of_text_blocks():
    stream = ServiceBodyBlock()
    raw = [
        {"type": "markdown", "value": "# Título\n\nTexto", "id": "a"},
        {"type": "separator", "value": None, "id": "b"},
        {"type": "questions", "value": {"items": [{"question": "¿Quién?"}]}, "id": "c"},
    ]
    value = stream.to_python(raw)
    assert isinstance(value, StreamValue)
    assert [child.block_type for child in value] == ["markdown", "separator", "questions"]
    prep = stream.get_prep_value(value)
    assert [(c["type"], c["id"]) for c in prep] == [
        ("markdown", "a"),
        ("separator", "b"),
        ("questions", "c"),
    ]
    assert prep[0]["value"] == "# Título\n\nTexto"
    assert [i["value"]["question"] for i in prep[2]["value"]["items"]] == ["¿Quién?"]


def test_every_block_declares_icon_label_template_and_preview():
    for name, block in ServiceBodyBlock().child_blocks.items():
        meta = block.meta
        assert meta.icon not in (None, "", "placeholder"), name
        assert meta.label, name
        assert meta.template == f"blocks/{name}.html", name
        assert meta.description, name
        if name != "separator":
            assert block.get_preview_value() not in (None, {}, ""), name

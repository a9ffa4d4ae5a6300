"""Drafts may hold unfinished blocks: what a draft save defers to publishing, and what it
still refuses at once."""

import pytest
from wagtail.blocks.stream_block import StreamBlockValidationError

from services.stream import ServiceBodyBlock

CTA_FIELDS = {"form": None, "page": None, "url": "", "image": None, "image_alt": ""}


def stream(*children):
    """A body stream value from (block type, raw value) pairs."""
    block = ServiceBodyBlock()
    raw = [
        {"type": name, "value": value, "id": f"b{i}"} for i, (name, value) in enumerate(children)
    ]
    return block, block.to_python(raw)


def save_draft(block, value):
    """Clean as a draft save does: the admin form defers the stream's validation."""
    return block.clean_deferred(value)


def errors_of(exc: StreamBlockValidationError) -> dict:
    """The messages of the first child's fields, as an editor reads them."""
    child = exc.block_errors[0]
    return {name: list(error.messages) for name, error in child.block_errors.items()}


class TestCallToAction:
    @pytest.mark.parametrize(
        "value",
        [
            {**CTA_FIELDS, "text": "¿Quieres saber más?", "button_label": "Pregúntanos"},
            {**CTA_FIELDS, "text": "¿Quieres saber más?", "button_label": ""},
            {**CTA_FIELDS, "text": "", "button_label": "", "url": "#contact"},
        ],
        ids=["no-target", "no-target-no-label", "target-only"],
    )
    def test_a_draft_keeps_an_unfinished_call_to_action(self, value):
        block, draft = stream(("call_to_action", value))
        cleaned = save_draft(block, draft)
        kept = cleaned[0].value
        assert (kept["text"], kept["button_label"], kept["url"]) == (
            value["text"],
            value["button_label"],
            value["url"],
        )

    def test_publishing_refuses_it_with_the_field_errors(self):
        block, draft = stream(
            ("call_to_action", {**CTA_FIELDS, "text": "¿Quieres saber más?", "button_label": ""})
        )
        save_draft(block, draft)
        # The same block definition validates in full again once the draft is saved.
        with pytest.raises(StreamBlockValidationError) as exc:
            block.clean(draft)
        assert errors_of(exc.value) == {"button_label": ["This field is required."]}
        block, draft = stream(
            ("call_to_action", {**CTA_FIELDS, "text": "¿Quieres saber más?", "button_label": "Ir"})
        )
        with pytest.raises(StreamBlockValidationError) as exc:
            block.clean(draft)
        assert errors_of(exc.value) == {
            "url": [
                "The button must lead somewhere: choose a form or a page, or enter a URL or anchor."
            ]
        }

    @pytest.mark.django_db
    def test_a_draft_may_name_several_targets_until_publishing(self, site_structure):
        home = site_structure.homes["es"]
        value = {**CTA_FIELDS, "text": "Hola", "button_label": "Ir", "page": home.pk, "url": "#c"}
        block, draft = stream(("call_to_action", value))
        cleaned = save_draft(block, draft)
        assert (cleaned[0].value["page"].pk, cleaned[0].value["url"]) == (home.pk, "#c")
        with pytest.raises(StreamBlockValidationError) as exc:
            block.clean(draft)
        assert errors_of(exc.value) == {
            "url": ["Choose one of a form, a page or a URL, not several."]
        }

    def test_a_draft_still_refuses_an_unsafe_url(self):
        value = {**CTA_FIELDS, "text": "Hola", "button_label": "", "url": "javascript:alert(1)"}
        block, draft = stream(("call_to_action", value))
        with pytest.raises(StreamBlockValidationError) as exc:
            save_draft(block, draft)
        assert errors_of(exc.value) == {
            "url": ["Enter a web address that starts with http:// or https:// (got javascript:)."]
        }


class TestMetrics:
    def test_a_draft_keeps_a_metric_without_its_text(self):
        block, draft = stream(("metrics", {"items": [{"number": "83,8%", "text": ""}]}))
        cleaned = save_draft(block, draft)
        assert cleaned[0].value["items"][0]["number"] == "83,8%"
        with pytest.raises(StreamBlockValidationError) as exc:
            block.clean(draft)
        item_error = exc.value.block_errors[0].block_errors["items"].block_errors[0]
        assert {name: list(e.messages) for name, e in item_error.block_errors.items()} == {
            "text": ["Give this metric a text; a number alone tells readers nothing."]
        }


class TestVideo:
    def test_a_draft_keeps_a_video_whose_address_is_not_pasted_yet(self):
        block, draft = stream(("video", {"title": "Goteo", "url": ""}))
        assert save_draft(block, draft)[0].value["title"] == "Goteo"
        with pytest.raises(StreamBlockValidationError) as exc:
            block.clean(draft)
        assert errors_of(exc.value) == {"url": ["This field is required."]}

    def test_a_draft_still_refuses_an_address_no_player_embeds(self):
        block, draft = stream(("video", {"title": "", "url": "https://example.com/video/1"}))
        with pytest.raises(StreamBlockValidationError) as exc:
            save_draft(block, draft)
        assert errors_of(exc.value) == {
            "url": [
                "This is not a video address we can embed. Use a YouTube or Vimeo video URL, "
                "such as https://www.youtube.com/watch?v=… or https://vimeo.com/123456789."
            ]
        }

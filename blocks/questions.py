"""Questions put to the reader."""

from wagtail.blocks import CharBlock, ListBlock, StructBlock

from .tags import SourceTag


class QuestionItemBlock(StructBlock):
    """One question."""

    question = CharBlock(
        max_length=500, help_text="The question, e.g. ¿Quién decide?", label="Question"
    )

    class Meta:
        icon = "help"
        label = "Question"


class QuestionsBlock(StructBlock):
    """A list of questions the page raises or answers."""

    source_tag = SourceTag("questions", ("items",), {"items": ("question",)})

    items = ListBlock(
        QuestionItemBlock(), min_num=1, help_text="The questions, in order.", label="Questions"
    )

    class Meta:
        icon = "help"
        label = "Questions"
        template = "blocks/questions.html"
        description = "A list of questions."
        preview_value = {
            "items": [
                {"question": "¿Cómo se toman las decisiones?"},
                {"question": "¿Quién participa?"},
            ]
        }

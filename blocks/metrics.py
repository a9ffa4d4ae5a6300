"""Key figures shown as large numbers with a caption."""

from django.core.exceptions import ValidationError
from wagtail.blocks import CharBlock, ListBlock, StructBlock
from wagtail.blocks.struct_block import StructBlockValidationError

from .tags import SourceTag


class MetricItemBlock(StructBlock):
    """One figure: a number (optional, e.g. "83,8%") and the text that explains it."""

    number = CharBlock(
        required=False,
        max_length=40,
        help_text="The figure as readers should see it, e.g. 20.948.115 or 83,8%.",
        label="Metric number",
    )
    text = CharBlock(
        required=False,
        max_length=200,
        help_text="What the figure measures, e.g. Dinero recaudado.",
        label="Metric label",
    )

    def clean(self, value):
        value = super().clean(value)
        # A draft may hold a metric still being written; it needs its text on publishing.
        if not self.is_deferred_validation and not (value.get("text") or "").strip():
            message = (
                "Give this metric a text; a number alone tells readers nothing."
                if (value.get("number") or "").strip()
                else "This metric is empty: enter a text (and a number if it has one)."
            )
            raise StructBlockValidationError(block_errors={"text": ValidationError(message)})
        return value

    class Meta:
        icon = "order"
        label = "Metric"


class MetricsBlock(StructBlock):
    """A row of key figures, e.g. money raised, successful projects, community size."""

    source_tag = SourceTag("metrics", ("items",), {"items": ("number", "text")})

    items = ListBlock(
        MetricItemBlock(), min_num=1, help_text="The figures, in reading order.", label="Metrics"
    )

    class Meta:
        icon = "table"
        label = "Metrics"
        template = "blocks/metrics.html"
        description = "Key figures shown as large numbers with a caption."
        preview_value = {
            "items": [
                {"number": "20.948.115", "text": "Dinero recaudado"},
                {"number": "83,8%", "text": "Proyectos exitosos"},
                {"number": "354.912", "text": "Comunidad"},
            ]
        }


class NumberItemBlock(StructBlock):
    """One figure and its label."""

    number = CharBlock(max_length=40, help_text="The figure, e.g. 94.", label="Number")
    label = CharBlock(
        max_length=200, help_text="What it counts, e.g. funded projects.", label="Number label"
    )

    class Meta:
        icon = "order"
        label = "Number"


class NumbersBlock(StructBlock):
    """A list of figures with labels (the theme's "numbers" tag)."""

    source_tag = SourceTag("numbers", ("items",), {"items": ("number", "label")})

    items = ListBlock(
        NumberItemBlock(), min_num=1, help_text="The figures, in reading order.", label="Numbers"
    )

    class Meta:
        icon = "list-ol"
        label = "Numbers"
        template = "blocks/numbers.html"
        description = "Figures with labels."
        preview_value = {
            "items": [
                {"number": "94", "label": "proyectos financiados"},
                {"number": "886.871 €", "label": "distribuidos"},
            ]
        }

"""Titles with highlighted words: editors write ==words== and break lines with new lines."""

import re

import strawberry
from django.utils.html import escape

MARK = re.compile(r"==(.+?)==")


@strawberry.type(name="TextPart", description="A run of a line: highlighted or not.")
class TextPartType:
    text: str = strawberry.field(description="The words, as plain text (not HTML).")
    highlighted: bool = strawberry.field(description="True for the words between == marks.")


def _parts(line: str) -> list[TextPartType]:
    parts, start = [], 0
    for found in MARK.finditer(line):
        if found.start() > start:
            parts.append(TextPartType(text=line[start : found.start()], highlighted=False))
        parts.append(TextPartType(text=found.group(1), highlighted=True))
        start = found.end()
    if start < len(line):
        parts.append(TextPartType(text=line[start:], highlighted=False))
    return parts


@strawberry.type(
    name="HighlightedText",
    description="A title in which the editor highlighted words by writing ==them== and broke "
    "lines with new lines. Render `lines` (or insert `html`); use `plain` where no markup "
    "fits (the page's <title>, alt texts).",
)
class HighlightedTextType:
    source: strawberry.Private[str]

    @strawberry.field(description="As the editor wrote it, == marks and new lines included.")
    def text(self) -> str:
        return self.source

    @strawberry.field(description="The words without marks, the lines joined by a space.")
    def plain(self) -> str:
        return " ".join("".join(part.text for part in parts) for parts in self._lines())

    @strawberry.field(
        description="Safe HTML: highlighted words in <mark>, lines separated by <br>, "
        "everything else escaped."
    )
    def html(self) -> str:
        return "<br>".join(
            "".join(
                f"<mark>{escape(part.text)}</mark>" if part.highlighted else escape(part.text)
                for part in parts
            )
            for parts in self._lines()
        )

    @strawberry.field(
        description="The lines, in order (empty lines left out), each a list of runs of text."
    )
    def lines(self) -> list[list[TextPartType]]:
        return self._lines()

    def _lines(self) -> list[list[TextPartType]]:
        return [_parts(line.strip()) for line in (self.source or "").splitlines() if line.strip()]


def highlighted(source: str | None) -> HighlightedTextType:
    return HighlightedTextType(source=source or "")

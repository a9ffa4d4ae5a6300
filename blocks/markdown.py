"""Markdown text, rendered by wagtail-markdown and sanitised by nh3; and how a Markdown text
is split for its translators.

**Translation segments.** wagtail-localize would make a whole Markdown text one segment,
with its line breaks as ``<br>`` tags that translators see and must retype (its editor
drops the line breaks they type). Here a text is split into the lines of its block-level
elements instead: each line of a paragraph, heading, list item, quote or definition, each
table cell, and an image's alt text and title, is a segment. Everything else stays with
the source and comes back around the translated words: the Markdown that makes the
structure (``## ``, ``- ``, ``1. ``, ``> ``, the table's pipes and rule, a hard break's
trailing spaces), the line breaks and blank lines, code, raw HTML, link reference
definitions, and lines without a letter (``# _``, a separator). So the translator never
sees or types HTML nor block syntax, and a translated text has the source's structure.

Inline Markdown stays in the words, as text: ``**bold**``, ``*emphasis*``, `` `code` ``
and ``[a link](https://…)``. That is what wagtail-localize does for rich text (inline tags
stay in the segment, for the translator to move with the words they mark), written the way
the source's own editors write it, not as HTML tags; a translator can also point a link
at the page in their own language. A translation that loses a link's syntax is flagged
(``link_problem``, checked when a translation is saved: cms.translation_memory) and is
not used. A translation is put back escaped where its words would otherwise start a block
(a leading ``#``, ``-``, ``>``, ``1.``) or end a table cell (``|``).
"""

import re
from dataclasses import dataclass

from wagtail_localize.segments import StringSegmentValue
from wagtailmarkdown.blocks import MarkdownBlock as BaseMarkdownBlock

# A line's kind, per segment: what a translated text must have in the same order for its
# lines to be taken as the translations of the source's (see ``same_structure``).
PARAGRAPH, HEADING, ITEM, QUOTE, DEFINITION, CELL, IMAGE = "p", "h", "li", "q", "dd", "td", "img"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+) *$")
_TABLE_RULE = re.compile(r"^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")
# The tags that start a raw HTML block (Python-Markdown's block-level elements), and comments.
_HTML = re.compile(
    r"^ {0,3}(<!--|</?(address|article|aside|blockquote|center|del|details|dialog|div|dl|"
    r"fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|ins|main|math|"
    r"menu|nav|noscript|ol|p|pre|script|section|style|summary|table|ul|video)[\s/>])",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]^]+\]: *\S")
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]]+\]: ")
_QUOTE = re.compile(r"^ {0,3}> ?")
_ITEM = re.compile(r"^ *([*+-]|\d{1,9}[.)])( +|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}( +|$)")
_HEADING_END = re.compile(r"( +#+)? *$")
_DEFINITION = re.compile(r"^ {0,3}: +")
_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]]+\]: +")
_IMAGE = re.compile(r'^(\s*!\[)([^\]]*)(\]\(\s*<?[^\s)>]+>?(?:\s+")?)([^"]*)("?\s*\)\s*)$')
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LINK = re.compile(r"!?\[[^\]]*\]\([^()\s]+(?:\s+\"[^\"]*\")?\)")
_BLOCK_START = re.compile(r"^(#{1,6}(\s|$)|>|[*+-](\s|$)|=+\s*$|(\d+)([.)])(\s|$))")


@dataclass(frozen=True)
class Part:
    """A piece of a Markdown text: words to translate (``kind`` set) or Markdown kept."""

    text: str
    kind: str = ""


def split(text: str) -> list[Part]:
    """``text`` as its pieces, in order: joined, they are ``text`` again."""
    lines = text.split("\n")
    table = _table_lines(lines)
    parts: list[Part] = []
    fence = ""
    # The closing tag that ends the raw HTML block being read, if any.
    html_end = ""
    code = False
    for index, line in enumerate(lines):
        if index:
            parts.append(Part("\n"))
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            parts.append(Part(line))
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)[0] * 3
            parts.append(Part(line))
            continue
        if not line.strip():
            html_end = ""
            parts.append(Part(line))
            continue
        code = line.startswith(("    ", "\t")) and (code or _is_code(lines, index))
        if code:
            parts.append(Part(line))
            continue
        previous = lines[index - 1] if index else ""
        if html_end:
            if html_end in line.lower():
                html_end = ""
            parts.append(Part(line))
        elif match := _HTML.match(line):
            end = "-->" if match.group(1) == "<!--" else f"</{match.group(2).lower()}"
            if end not in line.lower() and not line.rstrip().endswith("/>"):
                html_end = end
            parts.append(Part(line))
        elif index in table:
            parts.extend(_row(line))
        elif (
            _RULE.match(line)
            or (_SETEXT.match(line) and previous.strip())
            or _REFERENCE.match(line)
            or _ABBREVIATION.match(line)
        ):
            parts.append(Part(line))
        else:
            parts.extend(_line(line))
    return _merged(parts)


def _table_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that are table rows (the header, its rule, its rows)."""
    rows: set[int] = set()
    for index in range(1, len(lines)):
        if "|" in lines[index] and _TABLE_RULE.match(lines[index]) and "|" in lines[index - 1]:
            rows.update((index - 1, index))
            after = index + 1
            while after < len(lines) and lines[after].strip() and "|" in lines[after]:
                rows.add(after)
                after += 1
    return rows


def _is_code(lines: list[str], index: int) -> bool:
    """Whether the line at ``index`` is indented code: indented after a blank line, and
    not continuing a list item."""
    line = lines[index]
    if not line.startswith(("    ", "\t")) or (index and lines[index - 1].strip()):
        return False
    for line in reversed(lines[:index]):
        if line.strip() and not line.startswith((" ", "\t")):
            return not (_ITEM.match(line) or _DEFINITION.match(line) or _FOOTNOTE.match(line))
    return True


def _row(line: str) -> list[Part]:
    if _TABLE_RULE.match(line):
        return [Part(line)]
    parts: list[Part] = []
    cells = _CELL_SPLIT.split(line)
    for number, cell in enumerate(cells):
        if number:
            parts.append(Part("|"))
        parts.extend(_words(cell, CELL))
    return parts


def _line(line: str) -> list[Part]:
    """A line of a paragraph, heading, list item, quote or definition."""
    parts: list[Part] = []
    kind = PARAGRAPH
    rest = line
    # Quote and list markers nest ("> - "); a heading or a definition ends them.
    while kind not in (HEADING, DEFINITION):
        for pattern, marker_kind in (
            (_QUOTE, QUOTE),
            (_ITEM, ITEM),
            (_HEADING, HEADING),
            (_DEFINITION, DEFINITION),
            (_FOOTNOTE, DEFINITION),
        ):
            match = pattern.match(rest)
            if match:
                parts.append(Part(match.group(0)))
                rest = rest[match.end() :]
                if kind == PARAGRAPH or marker_kind != QUOTE:
                    kind = marker_kind
                break
        else:
            break
    if kind == HEADING:
        end = _HEADING_END.search(rest)
        parts.extend(_words(rest[: end.start()], HEADING))
        parts.append(Part(rest[end.start() :]))
        return parts
    image = _IMAGE.match(rest)
    if image:
        before, alt, target, title, after = image.groups()
        return [
            *parts,
            Part(before),
            *_words(alt, IMAGE),
            Part(target),
            *_words(title, IMAGE),
            Part(after),
        ]
    indent = len(rest) - len(rest.lstrip())
    if indent:
        parts.append(Part(rest[:indent]))
    return [*parts, *_words(rest[indent:], kind)]


def _words(text: str, kind: str) -> list[Part]:
    """``text`` as the words to translate between the spaces around them; kept as it is
    when it has no letter (nothing to translate)."""
    words = text.strip()
    if not any(character.isalpha() for character in words):
        return [Part(text)]
    start = text.index(words)
    return [Part(text[:start]), Part(words, kind), Part(text[start + len(words) :])]


def _merged(parts: list[Part]) -> list[Part]:
    """Adjacent kept pieces joined, empty ones dropped."""
    merged: list[Part] = []
    for part in parts:
        if not part.text:
            continue
        if merged and not part.kind and not merged[-1].kind:
            merged[-1] = Part(merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged


def segments(text: str) -> list[str]:
    """The words of ``text`` its translators translate, in order."""
    return [part.text for part in split(text) if part.kind]


def same_structure(source: str, translation: str) -> bool:
    """Whether ``translation`` has the block elements of ``source`` line for line (so the
    segments of each are translations of each other)."""
    kinds = [part.kind for part in split(source) if part.kind]
    return kinds == [part.kind for part in split(translation) if part.kind]


def restore(source: str, translations: list[str]) -> str:
    """``source`` with its segments replaced by ``translations``, in order."""
    parts = split(source)
    count = sum(1 for part in parts if part.kind)
    if len(translations) == 1 and count != 1:
        # The text was extracted before Markdown was split by line: its one segment was the
        # whole text, and so is its translation.
        return translations[0]
    if len(translations) != count:
        raise ValueError(
            f"A Markdown text with {count} segments was given {len(translations)} translations."
        )
    words = iter(translations)
    return "".join(_fitted(next(words), part.kind) if part.kind else part.text for part in parts)


def _fitted(translation: str, kind: str) -> str:
    """A translated segment made to stay inside its element: on one line, starting no
    block of its own, and within its table cell."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", translation.strip())
    if match := _BLOCK_START.match(text):
        number = match.group(4)
        text = f"{number}\\{text[len(number) :]}" if number else "\\" + text
    if kind == CELL:
        text = _CELL_SPLIT.sub(r"\\|", text)
    if kind == HEADING and text.endswith("#"):
        text = text[:-1] + "\\#"
    return text


def link_problem(source: str, translation: str) -> str:
    """Why ``translation`` cannot stand for the segment ``source``: it has not as many links
    and images written in Markdown (a bracket or parenthesis lost shows the link's syntax
    to readers); or "" when it has."""
    expected, found = len(_LINK.findall(source)), len(_LINK.findall(translation))
    if expected == found:
        return ""
    return (
        f"Links written [words](address): {expected} in the source, {found} in this "
        "translation. Keep each link's brackets and parentheses."
    )


def translatable_segments(text: str) -> list[StringSegmentValue]:
    """wagtail-localize's segments of a Markdown text (for a block or a model field)."""
    return [StringSegmentValue("", words) for words in segments(text or "")]


def restored(text: str, segment_values: list) -> str:
    """A Markdown text from wagtail-localize's translated segments of it."""
    strings = sorted(
        (value for value in segment_values if isinstance(value, StringSegmentValue)),
        key=lambda value: value.order,
    )
    return restore(text or "", [value.render_text() for value in strings])


class MarkdownBlock(BaseMarkdownBlock):
    """A passage of Markdown text: headings, lists, links and images."""

    class Meta:
        icon = "doc-full"
        label = "Markdown"
        template = "blocks/markdown.html"
        description = "Formatted text written in Markdown."
        preview_value = (
            "## ¿Qué es Goteo?\n\n"
            "* Una incubadora de proyectos que conecta buenas ideas con quien las necesita;\n"
            "* una red social que posibilita micro-donaciones."
        )

    def get_translatable_segments(self, value):
        return translatable_segments(value)

    def restore_translated_segments(self, value, segments):
        return restored(value, segments)

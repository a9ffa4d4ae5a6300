"""Parse one Jekyll source file: YAML front matter, Liquid tags and the Markdown between them.

Nothing here imports Django when it is loaded, so the parser can be tested on its own, with
any input; the tags it knows are the blocks' declarations (importer.tags), or any given.
Every problem that stops a file from being imported is a ``SourceError`` naming the file
and, when there is one, the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent


class TagShape(Protocol):
    """What the parser needs of a known tag (blocks.tags.SourceTag)."""

    encloses: bool


# A page of the site is a few KB; a file a thousand times larger is a mistake or an attack.
MAX_FILE_BYTES = 2 * 1024 * 1024

_TAG = re.compile(r"\{%-?\s*([A-Za-z_][\w-]*)(.*?)-?%\}", re.DOTALL)
_LIQUID_OUTPUT = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_SEPARATOR = re.compile(r"^\s{0,3}#\s+\\?[_-]\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_IMAGE = (
    r"""!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^\s)>]+)>?"""
    r"""(?:\s+"(?P<title>[^"]*)"|\s+'(?P<title_single>[^']*)')?\s*\)"""
)
_IMAGE_ALONE = re.compile(f"^{_IMAGE}$")
_IMAGE_INLINE = re.compile(_IMAGE)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_IFRAME_ELEMENT = re.compile(r"<iframe\b.*?(?:</iframe\s*>|/>)", re.DOTALL | re.IGNORECASE)
# Why a NUL character keeps a file out: it is not text, and PostgreSQL cannot store it.
NUL_ADVICE = "remove it: it is not text, and the database cannot store it"


class SourceError(Exception):
    """A problem that keeps a file out of the import; it names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class Markdown:
    """Markdown text between tags (may contain raw HTML and images)."""

    text: str
    line: int


@dataclass
class Tag:
    """A Liquid tag; ``args`` is its JSON object (None when the tag is unknown)."""

    name: str
    args: dict | None
    raw: str
    line: int
    inner: str | None = None
    known: bool = True


@dataclass
class SourceFile:
    """One parsed file: its front matter, its body and where the body starts."""

    path: str
    front_matter: dict
    body: str
    body_line: int
    segments: list = field(default_factory=list)


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: Decap never writes them, and they can blow up."""

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


def decode(data: bytes, path: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Decode a file as UTF-8, refusing files too large to be a page."""
    if len(data) > max_bytes:
        raise SourceError(
            path,
            None,
            f"file is too large to be a page ({len(data):,} bytes; the limit is "
            f"{max_bytes:,} bytes)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            line,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte {exc.start}); "
            "save it as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise SourceError(path, line, f"a NUL character (U+0000) at column {column}; {NUL_ADVICE}")
    return text


def _field_path(parent: str, key) -> str:
    name = str(key).replace("\x00", "\\0")
    return f"{parent}.{name}" if parent else name


def _nul_in_yaml(node: yaml.Node, path: str = "") -> tuple[str, int] | None:
    """The first front-matter field (and its line in the YAML) holding an escaped NUL."""
    if isinstance(node, yaml.ScalarNode):
        return (path, node.start_mark.line) if "\x00" in node.value else None
    if isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            if found := _nul_in_yaml(child, f"{path}[{index}]"):
                return found
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = _field_path(path, getattr(key, "value", "?"))
            if found := _nul_in_yaml(key, f"{name} (the key)") or _nul_in_yaml(value, name):
                return found
    return None


def _nul_in_json(value, path: str = "") -> str | None:
    """The first field of a tag's arguments holding an escaped NUL (``\\u0000``)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _nul_in_json(item, f"{path}[{index}]"):
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            name = _field_path(path, key)
            if found := _nul_in_json(key, f"{name} (the key)") or _nul_in_json(item, name):
                return found
    return None


def split_front_matter(text: str, path: str) -> tuple[dict, str, int]:
    """Split ``---`` front matter from the body; return (front matter, body, body's line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise SourceError(path, 1, "no front matter: the file must start with a '---' line")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise SourceError(path, 1, "front matter is not closed by a second '---' line")
    yaml_text = "\n".join(lines[1:end])
    loader = None
    try:
        loader = _NoAliasLoader(yaml_text)
        node = loader.get_single_node()
        if node is not None and (nul := _nul_in_yaml(node)):
            field_name, line = nul
            raise SourceError(
                path,
                line + 2,
                f"'{field_name}' holds a NUL character (U+0000, written \\0 or \\x00); "
                f"{NUL_ADVICE}",
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 2
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise SourceError(path, line, f"invalid YAML in front matter: {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError(path, 2, f"invalid YAML in front matter: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SourceError(path, 2, "front matter must be a set of 'key: value' lines")
    body = "\n".join(lines[end + 1 :])
    return data, body, end + 2


def parse_tags(
    body: str, path: str, body_line: int, tags: Mapping[str, TagShape]
) -> list[Markdown | Tag]:
    """Cut the body into Markdown passages and Liquid tags, in order; ``tags`` are the
    known ones (any other is kept as an unknown tag)."""
    segments: list[Markdown | Tag] = []
    pos = 0

    def line_at(offset: int) -> int:
        return body_line + body.count("\n", 0, offset)

    def add_text(start: int, end: int) -> None:
        if body[start:end].strip():
            segments.append(Markdown(body[start:end], line_at(start)))

    while True:
        match = _TAG.search(body, pos)
        if match is None:
            break
        name, arg_text = match.group(1), match.group(2).strip()
        line = line_at(match.start())
        add_text(pos, match.start())
        pos = match.end()
        if name not in tags:
            segments.append(Tag(name, None, match.group(0), line, known=False))
            continue
        group = match.group(2)
        args_line = line_at(match.start(2) + len(group) - len(group.lstrip()))
        args = _parse_args(name, arg_text, path, args_line)
        inner = None
        raw_end = match.end()
        if tags[name].encloses:
            end = re.compile(r"\{%-?\s*end" + re.escape(name) + r"\s*-?%\}").search(body, pos)
            if end is None:
                raise SourceError(
                    path, line, f"{{% {name} %}} is never closed by {{% end{name} %}}"
                )
            inner = body[pos : end.start()]
            raw_end = pos = end.end()
        segments.append(Tag(name, args, body[match.start() : raw_end], line, inner=inner))
    add_text(pos, len(body))
    return segments


def _parse_args(name: str, text: str, path: str, line: int) -> dict:
    if not text:
        return {}
    try:
        args = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            path,
            line + exc.lineno - 1,
            f"invalid JSON in the {{% {name} %}} tag: {exc.msg} (column {exc.colno} of the "
            "tag's arguments)",
        ) from None
    if not isinstance(args, dict):
        raise SourceError(
            path, line, f"the arguments of {{% {name} %}} must be a JSON object {{...}}"
        )
    if field_name := _nul_in_json(args):
        raise SourceError(
            path,
            line,
            f"'{field_name}' in the {{% {name} %}} tag holds a NUL character (U+0000, written "
            f"\\u0000); {NUL_ADVICE}",
        )
    return args


def parse_file(
    data: bytes,
    path: str,
    max_bytes: int = MAX_FILE_BYTES,
    tags: Mapping[str, TagShape] | None = None,
) -> SourceFile:
    """Parse a whole file; raise ``SourceError`` for anything that keeps it from importing.
    ``tags``: the known Liquid tags, by default those the body's blocks declare."""
    if tags is None:
        from .tags import SOURCE_TAGS as tags  # the blocks' declarations: Django's models
    text = decode(data, path, max_bytes)
    front_matter, body, body_line = split_front_matter(text, path)
    source = SourceFile(path, front_matter, body, body_line)
    source.segments = parse_tags(body, path, body_line, tags)
    return source


# --- Markdown passages -------------------------------------------------------------------


@dataclass
class Chunk:
    """A piece of a Markdown passage: text, a separator, a lone image, HTML or iframes."""

    kind: str  # "markdown", "separator", "image", "iframes", "html"
    text: str
    line: int
    alt: str = ""
    src: str = ""
    title: str = ""
    iframes: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _paragraphs(text: str, line: int) -> list[tuple[list[str], int]]:
    """Blank-line separated paragraphs (fenced code kept whole); separators stand alone."""
    result: list[tuple[list[str], int]] = []
    current: list[str] = []
    start = line
    fence: str | None = None
    for offset, raw in enumerate(text.split("\n")):
        number = line + offset
        opening = _FENCE.match(raw)
        if fence is not None:
            current.append(raw)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
        if not current:
            start = number
        if fence is None and not raw.strip():
            if current:
                result.append((current, start))
            current = []
        elif fence is None and _SEPARATOR.match(raw):
            if current:
                result.append((current, start))
            result.append(([raw], number))
            current = []
        else:
            current.append(raw)
    if current:
        result.append((current, start))
    return result


class _HTMLScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.comments = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.comments += 1


def html_elements(text: str) -> tuple[list[tuple[str, dict]], int]:
    """The HTML start tags (with attributes) and the number of comments in Markdown text."""
    text = _CODE_SPAN.sub("", text)
    text = _AUTOLINK.sub("", text)
    scan = _HTMLScan()
    scan.feed(text)
    scan.close()
    return scan.tags, scan.comments


def stripped_html(
    text: str, allowed_tags: frozenset[str], allowed_attributes: dict[str, frozenset[str]]
) -> list[str]:
    """What of the HTML in ``text`` a sanitiser with this allowlist would remove."""
    tags, comments = html_elements(text)
    problems: list[str] = []
    for tag, attrs in tags:
        if tag not in allowed_tags:
            problems.append(f"<{tag}>")
            continue
        for name in attrs:
            if name not in allowed_attributes.get(tag, ()):
                problems.append(f"<{tag} {name}>")
    if comments:
        problems.append("<!-- comment -->")
    return list(dict.fromkeys(problems))


def split_markdown(
    text: str,
    line: int,
    allowed_tags: frozenset[str],
    allowed_attributes: dict[str, frozenset[str]],
) -> list[Chunk]:
    """Cut a Markdown passage into text, separators, lone images, iframes and unsafe HTML."""
    chunks: list[Chunk] = []
    for lines, start in _paragraphs(text, line):
        paragraph = "\n".join(lines)
        stripped = paragraph.strip()
        if len(lines) == 1 and _SEPARATOR.match(lines[0]):
            chunks.append(Chunk("separator", paragraph, start))
            continue
        image = _IMAGE_ALONE.match(stripped)
        if image:
            chunks.append(
                Chunk(
                    "image",
                    paragraph,
                    start,
                    alt=image.group("alt"),
                    src=image.group("src"),
                    title=image_title(image),
                )
            )
            continue
        if "<" in paragraph:
            tags, _comments = html_elements(paragraph)
            iframes = [attrs for tag, attrs in tags if tag == "iframe"]
            if iframes:
                rest = _IFRAME_ELEMENT.sub("", paragraph)
                problems = stripped_html(rest, allowed_tags, allowed_attributes)
                chunks.append(
                    Chunk("iframes", paragraph, start, iframes=iframes, problems=problems)
                )
                continue
            problems = stripped_html(paragraph, allowed_tags, allowed_attributes)
            if problems:
                if not stripped.startswith("<"):
                    chunks.append(Chunk("markdown", paragraph, start))
                chunks.append(Chunk("html", paragraph, start, problems=problems))
                continue
        chunks.append(Chunk("markdown", paragraph, start))
    merged: list[Chunk] = []
    for chunk in chunks:
        if chunk.kind == "markdown" and merged and merged[-1].kind == "markdown":
            merged[-1].text += "\n\n" + chunk.text
        else:
            merged.append(chunk)
    return merged


def inline_images(text: str) -> list[re.Match]:
    """The Markdown images inside a passage of text."""
    return list(_IMAGE_INLINE.finditer(text))


def liquid_outputs(text: str) -> list[str]:
    """Liquid output expressions such as ``{{ site.baseurl }}`` left in the text."""
    return _LIQUID_OUTPUT.findall(text)


def image_title(match: re.Match) -> str:
    """The title of a Markdown image match, whichever quotes it used."""
    return match.group("title") or match.group("title_single") or ""

"""The site-wide parts of the source: the hero title, inline HTML in data files, contact form
HTML, interface texts and editor notes kept per source file.

Nothing here imports Django models, so each conversion can be tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

# --- notes kept per source file ------------------------------------------------------------

_NOTES_HEADER = re.compile(r"^# from (\S+)$")


def merge_notes(notes: str, source: str, text: str) -> str:
    """``notes`` with the section written by ``source`` replaced by ``text`` (removed if empty).

    Several files fill one object (the home page from home.md and the homepage data files);
    each keeps its own section, and the editors' own lines before the first section stay.
    """
    own: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] = own
    for line in (notes or "").split("\n"):
        match = _NOTES_HEADER.match(line)
        if match:
            current = sections.setdefault(match.group(1), [])
            continue
        current.append(line)
    if text.strip():
        sections[source] = text.rstrip("\n").split("\n")
    else:
        sections.pop(source, None)
    parts = ["\n".join(own).strip("\n")] if "\n".join(own).strip() else []
    for name in sorted(sections):
        body = "\n".join(sections[name]).strip("\n")
        parts.append(f"# from {name}\n{body}")
    return "\n".join(parts) + ("\n" if parts else "")


def dump(data) -> str:
    """YAML as editors read it in notes."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


# --- inline HTML ----------------------------------------------------------------------------

_COLOR = re.compile(r"(?:^|;)\s*color\s*:\s*([^;]+)", re.IGNORECASE)
# Attributes that only style the old theme's markup: dropped without a word.
PRESENTATION_ATTRIBUTES = frozenset({"class", "id", "rows", "cols", "style", "title"})


class _Inline(HTMLParser):
    """Inline HTML to Markdown (bold, italics, links, line breaks), or to the hero's marks."""

    def __init__(self, *, hero: bool):
        super().__init__(convert_charrefs=True)
        self.hero = hero
        self.out: list[str] = []
        self.stack: list[tuple[str, str]] = []  # (tag, closing text)
        self.links: list[str] = []
        self.colors: list[str] = []
        self.problems: list[str] = []
        self.repaired = 0

    def _open_mark(self, tag: str, mark: str) -> None:
        self.out.append(mark)
        self.stack.append((tag, mark))

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "br":
            self.out.append("\n" if self.hero else "  \n")
            return
        if tag in ("strong", "b") and any(t in ("strong", "b") for t, _m in self.stack):
            # The source's values close bold with a second <strong>: repair it.
            self.repaired += 1
            self.handle_endtag(tag)
            return
        if self.hero and tag in ("strong", "b", "mark"):
            self._open_mark(tag, "==")
        elif self.hero and tag == "span":
            color = _COLOR.search(attrs.get("style", ""))
            if color:
                self.colors.append(color.group(1).strip())
                self._open_mark(tag, "==")
            else:
                self.stack.append((tag, ""))
        elif tag in ("strong", "b"):
            self._open_mark(tag, "**")
        elif tag in ("em", "i"):
            self._open_mark(tag, "*")
        elif tag == "a" and not self.hero:
            self.out.append("[")
            self.stack.append((tag, f"]({attrs.get('href', '')})"))
        elif tag == "span":
            self.stack.append((tag, ""))
        else:
            self.problems.append(f"<{tag}>")
            self.stack.append((tag, ""))
        for name in attrs:
            if name not in PRESENTATION_ATTRIBUTES and not (tag == "a" and name == "href"):
                self.problems.append(f"<{tag} {name}>")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.handle_starttag(tag, attrs)
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "br":
            self.out.append("\n" if self.hero else "  \n")
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _tag, closing in reversed(self.stack[index:]):
                    self.out.append(closing)
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.out.append(data)

    def result(self) -> str:
        if self.stack:
            if any(t in ("strong", "b") for t, _m in self.stack):
                self.repaired += 1
            for _tag, closing in reversed(self.stack):
                self.out.append(closing)
            self.stack = []
        return "".join(self.out)


@dataclass
class Converted:
    """Text converted from inline HTML, and what could not be kept as it was."""

    text: str
    color: str = ""
    problems: list[str] = field(default_factory=list)
    repaired: int = 0


def inline_markdown(html: str) -> Converted:
    """Inline HTML (``<strong>``, ``<a href>``, ``<br>``) as Markdown; unknown tags keep text."""
    parser = _Inline(hero=False)
    parser.feed(html)
    parser.close()
    text = parser.result()
    return Converted(
        text.strip(), problems=list(dict.fromkeys(parser.problems)), repaired=parser.repaired
    )


def hero_title(html: str) -> Converted:
    """The home page's title: coloured or bold words become ``==marks==``, ``<br>`` a new line."""
    parser = _Inline(hero=True)
    parser.feed(html)
    parser.close()
    text = parser.result()
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    text = re.sub(r"[ \t]{2,}", " ", text)
    colors = list(dict.fromkeys(parser.colors))
    problems = list(dict.fromkeys(parser.problems))
    if len(colors) > 1:
        problems.append(f"several colours ({', '.join(colors)}); the first is used")
    return Converted(text, colors[0] if colors else "", problems, parser.repaired)


# --- interface texts ------------------------------------------------------------------------

_KEY_CHARS = re.compile(r"[^a-z0-9_.-]+")


def flatten(data, prefix: str = "") -> list[tuple[str, object]]:
    """Nested YAML as (dotted key, scalar) pairs: ``cookies: {approve: x}`` -> cookies.approve."""
    if isinstance(data, dict):
        pairs: list[tuple[str, object]] = []
        for key, value in data.items():
            pairs += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(data, list):
        pairs = []
        for index, value in enumerate(data):
            pairs += flatten(value, f"{prefix}.{index}" if prefix else str(index))
        return pairs
    return [(prefix, data)]


def string_key(key: str) -> str:
    """A key the frontend can ask for: lower-case letters, digits, dots, hyphens, underscores."""
    cleaned = _KEY_CHARS.sub("_", key.lower()).strip("._-")
    return cleaned[:100] or "key"


class DuplicateKeyLoader(yaml.SafeLoader):
    """Safe YAML that remembers keys written twice in one mapping (the later one wins)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, object, int]] = []

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.duplicates.append(
                    (
                        str(key),
                        self.construct_object(seen[key], deep=True),
                        key_node.start_mark.line,
                    )
                )
            seen[key] = value_node
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str):
    """(data, duplicated keys as (key, earlier value, line)) of a data file."""
    loader = DuplicateKeyLoader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


# --- contact form HTML ----------------------------------------------------------------------

INPUT_TYPES = {
    "text": "singleline",
    "search": "singleline",
    "tel": "singleline",
    "email": "email",
    "url": "url",
    "number": "number",
    "date": "date",
    "datetime-local": "datetime",
    "file": "file",
    "checkbox": "checkbox",
    "hidden": "hiddenfield",
}
KNOWN_ELEMENTS = frozenset(
    {
        "fieldset",
        "legend",
        "div",
        "p",
        "small",
        "span",
        "b",
        "strong",
        "em",
        "i",
        "a",
        "br",
        "label",
        "input",
        "textarea",
        "select",
        "option",
    }
)
# Attributes of controls that style the old theme's markup or its file-button plugin.
_CONTROL_STYLE = PRESENTATION_ATTRIBUTES | {"type", "name", "required", "placeholder", "multiple"}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass
class FormField:
    """One field read from a form's HTML."""

    clean_name: str
    label: str
    field_type: str
    required: bool
    help_text: str = ""
    choices: str = ""


@dataclass
class ParsedForm:
    """The fields of a form's HTML, its words outside labels and what could not be mapped."""

    fields: list[FormField] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _FormHTML(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.labels: list[dict] = []
        self.labels_for: dict[str, dict] = {}
        self.label: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.outside: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_list = attrs
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        line = self.getpos()[0]
        if tag not in KNOWN_ELEMENTS:
            self.problems.append(f"line {line}: <{tag}> is not a form field; left out")
            return
        if tag == "label":
            self.label = {"text": [], "links": [], "for": attrs.get("for", ""), "controls": []}
            self.labels.append(self.label)
            if self.label["for"]:
                self.labels_for.setdefault(self.label["for"], self.label)
            return
        if tag == "a" and self.label is not None and attrs.get("href"):
            self.label["links"].append(attrs["href"])
            return
        if tag in ("input", "textarea", "select"):
            control = {"tag": tag, "attrs": attrs, "line": line, "raw": attrs_list}
            self.controls.append(control)
            if self.label is not None:
                self.label["controls"].append(control)
            if tag == "select":
                self.select = control
                control["options"] = []
            return
        if tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": []}
            self.select["options"].append(self.option)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("label", "select", "option"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "label":
            self.label = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"].append(data)
        elif self.label is not None:
            self.label["text"].append(data)
        elif data.strip():
            self.outside.append(data)


def _label_text(parts: list[str]) -> str:
    text = " ".join(" ".join(parts).split())
    # The "<b>*</b>" marks a required field; required is a flag of its own.
    return " ".join(word for word in text.split(" ") if word.strip("*")).strip()


def parse_form(html: str) -> ParsedForm:
    """The fields of a contact form's HTML, read with Python's own HTML parser."""
    parser = _FormHTML()
    parser.feed(html or "")
    parser.close()
    parsed = ParsedForm(problems=list(parser.problems))
    outside = " ".join(" ".join(parser.outside).split())
    if outside:
        parsed.texts.append(outside)
    # Labels name their control with for=, or wrap it.
    wrapping = {id(c): label for label in parser.labels for c in label["controls"]}
    seen: set[str] = set()
    for control in parser.controls:
        attrs, tag, line = control["attrs"], control["tag"], control["line"]
        where = f"line {line}"
        kind = attrs.get("type", "text").lower() if tag == "input" else tag
        if tag == "textarea":
            field_type = "multiline"
        elif tag == "select":
            field_type = "dropdown"
        else:
            field_type = INPUT_TYPES.get(kind)
        if field_type is None:
            if kind in ("submit", "button", "reset", "image"):
                parsed.problems.append(
                    f'{where}: an <input type="{kind}"> is a button, not a field; the form\'s '
                    "button is its button label"
                )
            else:
                parsed.problems.append(
                    f'{where}: <{tag} type="{kind}"> is a kind of field the CMS has no '
                    "type for; left out"
                )
            continue
        name = attrs.get("name", "")
        stray = [k for k, v in control["raw"] if v is None and k not in ("required", "multiple")]
        if not _NAME.match(name):
            fallback = attrs.get("id", "")
            if not _NAME.match(fallback):
                parsed.problems.append(f"{where}: a <{tag}> without a usable name or id; left out")
                continue
            if name:
                parsed.problems.append(
                    f'{where}: name="{name}" is not a field name (a quote is missing?); '
                    f"named '{fallback}' after its id"
                )
            else:
                parsed.problems.append(
                    f"{where}: a <{tag}> without a name; named '{fallback}' after its id"
                )
            name = fallback
        elif stray:
            parsed.problems.append(
                f"{where}: stray attribute text {', '.join(stray)} in the <{tag}> ignored"
            )
        clean_name = name.replace("-", "_").lower()
        if clean_name in seen:
            parsed.problems.append(f"{where}: a second field named '{name}' left out")
            continue
        seen.add(clean_name)
        label_obj = parser.labels_for.get(attrs.get("id", "")) if attrs.get("id") else None
        if label_obj is None:
            label_obj = wrapping.get(id(control))
        label = _label_text(label_obj["text"]) if label_obj is not None else ""
        help_text = ""
        if label_obj is not None and label_obj["links"]:
            help_text = " ".join(label_obj["links"])
        if not label:
            label = name.replace("_", " ").replace("-", " ").capitalize()
            parsed.problems.append(
                f"{where}: the field '{name}' has no label; labelled '{label}' after its name"
            )
        placeholder = attrs.get("placeholder", "").strip()
        if placeholder and not help_text:
            help_text = placeholder
        elif placeholder:
            parsed.problems.append(f"{where}: placeholder '{placeholder}' of '{name}' left out")
        choices = ""
        if tag == "select":
            options = [
                " ".join("".join(o["text"]).split()) or (o["value"] or "")
                for o in control.get("options", [])
            ]
            choices = "\n".join(o for o in options if o)
        others = [
            k
            for k in attrs
            if k not in _CONTROL_STYLE
            and not k.startswith("data-")
            and k not in ("for",)
            and attrs.get(k) is not None
            and k not in stray
        ]
        if others:
            parsed.problems.append(
                f"{where}: attribute(s) {', '.join(others)} of '{name}' have no place in the "
                "CMS; left out"
            )
        parsed.fields.append(
            FormField(
                clean_name=clean_name,
                label=label[:255],
                field_type=field_type,
                required="required" in attrs,
                help_text=help_text[:255],
                choices=choices,
            )
        )
    return parsed

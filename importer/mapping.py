"""Turn a parsed source file into the content of a page (service, project, category) or a
snippet (collaborator, member, project state)."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from blocks.validators import validate_link, validate_web_url
from blocks.video import parse_video_url

from .media import MediaLibrary, MediaProblem
from .registry import OWN_WORDS, WITH_BODY
from .source import (
    Markdown,
    SourceFile,
    Tag,
    image_title,
    inline_images,
    liquid_outputs,
    split_markdown,
)
from .tags import BODY_BLOCK, LIST_FIELDS, SOURCE_TAGS, TAG_FIELDS

SERVICE_KEYS = frozenset(
    {"layout", "slug", "title", "description", "image", "collaborators", "call_to_action"}
)
COLLABORATOR_KEYS = frozenset({"slug", "title", "logo", "web", "layout"})
MEMBER_KEYS = frozenset(
    {
        "slug",
        "title",
        "type",
        "image",
        "position",
        "description",
        "email",
        "twitter",
        "linkedin",
        "facebook",
        "github",
        "layout",
    }
)
STATE_KEYS = frozenset({"slug", "title", "color", "layout"})
CATEGORY_KEYS = frozenset(
    {"layout", "slug", "title", "subtitle", "symbol", "services", "call_to_action"}
)
PROJECT_KEYS = frozenset(
    {
        "layout",
        "slug",
        "state",
        "title",
        "subtitle",
        "banner_image",
        "date_start",
        "date_end",
        "date",
        "description",
        "budget",
        "public_percentage",
        "private_percentage",
        "looking_finance_percentage",
        "services",
        "categories",
        "members",
        "collaborators",
        "call_to_action",
    }
)
CALL_TO_ACTION_KEYS = frozenset({"image_path", "image_alt", "text", "url", "url_text"})
IMAGE_KEYS = frozenset({"path", "alt"})

# The heading the old theme showed above a page's partners, by language.
COLLABORATORS_TITLES = {"es": "Colaboradores", "en": "Collaborators", "ca": "Col·laboradors"}

# Keys whose values name a media file, in front matter and in tag arguments.
MEDIA_KEYS = frozenset({"path", "image_path", "image", "file", "sticker_one", "sticker_two"})

# Decap's way of hiding an address from robots: name[at]example.net.
_AT = re.compile(r"\s*\[at\]\s*", re.IGNORECASE)
_ID_NAMESPACE = uuid.UUID("0b6c3f0e-4d7a-4f51-9a55-3c1d9b0f6a10")


def _sanitiser_allowlist() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    config = getattr(settings, "WAGTAILMARKDOWN", {})
    tags = frozenset(config.get("allowed_tags", ()))
    attributes = {k: frozenset(v) for k, v in config.get("allowed_attributes", {}).items()}
    return tags, attributes


def validation_messages(exc: Exception) -> list[str]:
    """The messages of a (block) validation error, flattened to readable lines."""
    data = exc.as_json_data() if hasattr(exc, "as_json_data") else None
    if data is None and hasattr(exc, "error_dict"):
        return [f"{name}: {m}" for name, messages in exc.message_dict.items() for m in messages]
    if data is None:
        return list(getattr(exc, "messages", [str(exc)]))
    lines: list[str] = []

    def walk(node, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                name = "" if key in ("messages", "blockErrors") else str(key)
                walk(value, f"{prefix}.{name}".strip(".") if name else prefix)
        elif isinstance(node, list):
            for item in node:
                walk(item, prefix)
        elif node is not None:
            lines.append(f"{prefix}: {node}" if prefix else str(node))

    walk(data, "")
    return lines or [str(exc)]


def is_stub(collection: str, source: SourceFile) -> bool:
    """Whether a translation file has no words of its own (a Catalan stub)."""
    fm = source.front_matter
    if any(_text(fm.get(key)).strip() for key in OWN_WORDS[collection]):
        return False
    return collection not in WITH_BODY or not source.body.strip()


def reference_slugs(value) -> list[str] | None:
    """The slugs of a reference field (one slug or a list); None when it is neither."""
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)] if str(value).strip() else []
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value if str(v).strip()]
    return None


def media_references(source: SourceFile) -> list[str]:
    """Every media path the file uses (front matter, tag arguments, Markdown images)."""
    found: list[str] = []

    def walk(node, key: str | None = None) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and key in MEDIA_KEYS and node.strip():
            found.append(node.strip())

    walk(source.front_matter)
    for segment in source.segments:
        if isinstance(segment, Tag) and segment.args:
            walk(segment.args)
    found += [m.group("src") for m in inline_images(source.body)]
    return sorted(set(found))


# Opening quotation marks and the mark that closes each.
QUOTE_MARKS = {
    '"': '"',
    "\u201c": "\u201d",
    "\u00ab": "\u00bb",
    "\u201e": "\u201c",
    "\u2018": "\u2019",
}


@dataclass
class Outcome:
    """What one file produced for the report: warnings in the words an editor reads."""

    path: str
    slug: str = ""
    warnings: list[str] = field(default_factory=list)
    untranslated: bool = False

    def warn(self, message: str, line: int | None = None) -> None:
        where = f"{self.path}, line {line}" if line else self.path
        self.warnings.append(f"{where}: {message}")

    def keep(self, kept: list[str], key, value, where: str) -> None:
        """Warn about a front-matter value with no field and keep it, as YAML, in ``kept``."""
        self.warn(f"unexpected front-matter key '{key}' kept in the {where}")
        kept.append(_dump({key: value}))


class BodyBuilder:
    """Collects the blocks of one page body, checking each like the editor would."""

    def __init__(self, outcome: Outcome, collection: str, slug: str):
        self.outcome = outcome
        self.key = f"{collection}:{slug}"
        self.blocks: list[tuple[str, object]] = []

    def add(self, block_type: str, value, *, line: int | None = None, raw: str = "") -> bool:
        """Add a block if it validates; otherwise keep ``raw`` verbatim and warn."""
        child = BODY_BLOCK.child_blocks[block_type]
        try:
            child.clean(child.to_python(value))
        except ValidationError as exc:
            reason = "; ".join(validation_messages(exc))
            self.outcome.warn(f"{block_type} block is not valid ({reason}); kept verbatim", line)
            self.verbatim(raw, f"Invalid {block_type}: {reason}")
            return False
        self.blocks.append((block_type, value))
        return True

    def verbatim(self, source: str, reason: str) -> None:
        if source.strip():
            self.blocks.append(("verbatim", {"source": source, "reason": reason[:255]}))

    def markdown(self, text: str) -> None:
        if not text.strip():
            return
        if self.blocks and self.blocks[-1][0] == "markdown":
            self.blocks[-1] = ("markdown", self.blocks[-1][1] + "\n\n" + text.strip("\n"))
        else:
            self.blocks.append(("markdown", text.strip("\n")))

    def stream_data(self) -> list[dict]:
        """Raw stream data with ids derived from the page, position and type.

        The same slug gives the same ids in every language wherever the block types line up,
        which is how wagtail-localize recognises a translated block.
        """
        data = []
        for index, (block_type, value) in enumerate(self.blocks):
            block_id = str(uuid.uuid5(_ID_NAMESPACE, f"{self.key}:{index}:{block_type}"))
            if isinstance(value, dict):
                value = dict(value)
                for name in LIST_FIELDS.get(block_type, ()):
                    value[name] = [
                        {
                            "type": "item",
                            "value": item,
                            "id": str(uuid.uuid5(_ID_NAMESPACE, f"{block_id}:{name}:{n}")),
                        }
                        for n, item in enumerate(value.get(name) or [])
                    ]
            data.append({"type": block_type, "value": value, "id": block_id})
        return data

    @property
    def types(self) -> list[str]:
        return [block_type for block_type, _value in self.blocks]


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


class Mapper:
    """Builds page and snippet content from parsed files, importing media as it goes."""

    def __init__(
        self,
        media: MediaLibrary,
        *,
        contact_url: str,
        find_collaborator,
        find_form=None,
        default_form: str = "",
    ):
        self.media = media
        self.contact_url = contact_url
        self.find_collaborator = find_collaborator
        # find_form(uid, language): the contact form page a call to action opens, or None.
        self.find_form = find_form or (lambda uid, language: None)
        self.default_form = default_form
        self.allowed_tags, self.allowed_attributes = _sanitiser_allowlist()

    # --- media -------------------------------------------------------------------------

    def image_id(self, outcome: Outcome, reference, *, alt="", title="", line=None):
        if not reference:
            return None
        try:
            return self.media.image(_text(reference), alt=_text(alt), title=_text(title)).pk
        except MediaProblem as exc:
            outcome.warn(f"{exc} (page '{outcome.slug}'); the rest was imported", line)
            return None

    def document_id(self, outcome: Outcome, reference, *, title="", line=None):
        if not reference:
            return None
        try:
            return self.media.document(_text(reference), title=_text(title)).pk
        except MediaProblem as exc:
            outcome.warn(f"{exc} (page '{outcome.slug}'); the rest was imported", line)
            return None

    # --- collaborators ---------------------------------------------------------------

    def collaborator_fields(self, source: SourceFile, outcome: Outcome, fallback: dict | None):
        """Field values of a Collaborator snippet from its file."""
        fm = source.front_matter
        kept: list[str] = []
        for key in fm:
            if key not in COLLABORATOR_KEYS:
                outcome.warn(
                    f"unexpected front-matter key '{key}' kept in the collaborator's notes"
                )
                kept.append(_dump({key: fm[key]}))
        name = _text(fm.get("title")).strip()
        if not name:
            name = _text((fallback or {}).get("title")).strip() or _text(fm.get("slug"))
            outcome.untranslated = True
        logo = fm.get("logo") or {}
        if isinstance(logo, str):
            logo = {"path": logo}
        logo_alt = _text(logo.get("alt")) if isinstance(logo, dict) else ""
        logo_id = None
        if isinstance(logo, dict):
            logo_id = self.image_id(outcome, logo.get("path"), alt=logo_alt or name, title=name)
        url = _text(fm.get("web")).strip()
        if url:
            try:
                validate_web_url(url)
            except ValidationError:
                outcome.warn(
                    f"web '{url}' is not an http(s) address; kept in the collaborator's notes"
                )
                kept.append(_dump({"web": url}))
                url = ""
        return {
            "name": name[:255],
            "logo_id": logo_id,
            "logo_alt": logo_alt[:255],
            "url": url,
            "notes": "".join(kept),
        }

    # --- services ----------------------------------------------------------------------

    def service_content(
        self, source: SourceFile, outcome: Outcome, language: str, fallback: dict | None
    ) -> tuple[dict, BodyBuilder]:
        """Page fields and body of a service page; ``fallback`` is the source-language file.

        The front matter's call to action goes to ``fields["call_to_action"]`` (raw stream).
        """
        fm = source.front_matter
        fallback = fallback or {}
        body = BodyBuilder(outcome, "services", outcome.slug)
        cta = BodyBuilder(outcome, "services-cta", outcome.slug)
        if fm.get("layout") not in (None, "service"):
            outcome.warn(f"layout '{fm.get('layout')}' is not 'service'; imported as a service")

        title = _text(fm.get("title")).strip()
        description = _text(fm.get("description"))
        if not title:
            outcome.untranslated = True
            title = _text(fallback.get("title")).strip() or outcome.slug
            if not description.strip():
                description = _text(fallback.get("description"))
        fields = {"title": title[:255], "description": description}

        image = fm.get("image")
        fields["image_id"], fields["image_alt"] = None, ""
        if isinstance(image, str):
            image = {"path": image}
        if isinstance(image, dict):
            alt = _text(image.get("alt"))
            fields["image_alt"] = alt[:255]
            fields["image_id"] = self.image_id(outcome, image.get("path"), alt=alt, title=alt)
            extra = {k: v for k, v in image.items() if k not in IMAGE_KEYS}
            if extra:
                outcome.warn(f"unexpected keys in 'image': {', '.join(map(str, extra))}")
                body_extra = {"image": extra}
            else:
                body_extra = None
        elif image is not None:
            outcome.warn("'image' should be a mapping with path and alt")
            body_extra = {"image": image}
        else:
            body_extra = None

        for segment in source.segments:
            if isinstance(segment, Tag):
                self._tag(segment, body, outcome)
            else:
                self._markdown(segment, body, outcome)

        self._collaborators(fm, body, outcome, language)
        self._call_to_action(
            fm, body, outcome, fallback.get("call_to_action"), into=cta, language=language
        )
        fields["call_to_action"] = cta.stream_data()

        unexpected = {k: v for k, v in fm.items() if k not in SERVICE_KEYS}
        if body_extra:
            unexpected.update(body_extra)
        if unexpected:
            names = ", ".join(f"'{k}'" for k in unexpected)
            outcome.warn(
                f"unexpected front-matter key(s) {names} kept verbatim at the end of the body"
            )
            body.verbatim(_dump(unexpected), f"Unexpected front matter: {names}")
        return fields, body

    def _collaborators(self, fm: dict, body: BodyBuilder, outcome: Outcome, language: str):
        slugs = fm.get("collaborators")
        if not slugs:
            return
        if isinstance(slugs, str):
            slugs = [slugs]
        if not isinstance(slugs, list):
            outcome.warn("'collaborators' should be a list of collaborator slugs")
            body.verbatim(_dump({"collaborators": slugs}), "Collaborators in an unknown form")
            return
        found, missing = [], []
        for slug in slugs:
            collaborator = self.find_collaborator(_text(slug), language)
            if collaborator is None:
                missing.append(_text(slug))
            else:
                found.append(collaborator.pk)
        for slug in missing:
            outcome.warn(f"collaborator '{slug}' does not exist (page '{outcome.slug}')")
        if found:
            title = COLLABORATORS_TITLES.get(language, "")
            body.add("collaborators", {"title": title, "collaborators": found}, raw=_dump(slugs))
        if missing:
            body.verbatim(
                _dump({"collaborators": missing}),
                f"Collaborators not found: {', '.join(missing)}",
            )

    def _call_to_action(
        self, fm: dict, body: BodyBuilder, outcome: Outcome, fallback, into=None, language=""
    ) -> None:
        """The front matter's call to action as a block of ``into`` (default: the body).

        The button opens the default contact form (``--default-form``, the old theme's
        contact modal) unless the source gives a real link; without that form it leads to
        the contact URL.
        """
        into = into if into is not None else body
        cta = fm.get("call_to_action")
        if not cta:
            return
        raw = _dump({"call_to_action": cta})
        if not isinstance(cta, dict):
            outcome.warn("'call_to_action' should be a mapping; kept verbatim")
            body.verbatim(raw, "Call to action in an unknown form")
            return
        fallback = fallback if isinstance(fallback, dict) else {}
        text = _text(cta.get("text")).strip() or _text(fallback.get("text")).strip()
        label = _text(cta.get("url_text")).strip() or _text(fallback.get("url_text")).strip()
        target = _text(cta.get("url")).strip()
        url, form = self.contact_url, None
        if target and _is_link(target):
            url = target
        elif self.default_form:
            form = self.find_form(self.default_form, language)
            if form is not None:
                url = ""
            else:
                outcome.warn(
                    f"call_to_action: no contact form '{self.default_form}' in this import or "
                    f"the CMS (--default-form); the button leads to {self.contact_url}"
                )
        label = label or (target if not _is_link(target) else "") or "Contact"
        text = text or label
        image_alt = _text(cta.get("image_alt")) or _text(fallback.get("image_alt"))
        image = self.image_id(outcome, cta.get("image_path"), alt=image_alt, title=image_alt)
        value = {
            "text": text,
            "button_label": label,
            "form": form.pk if form is not None else None,
            "page": None,
            "url": url,
            "image": image,
            "image_alt": image_alt[:255],
        }
        if not into.add("call_to_action", value, raw=raw) and into is not body:
            body.blocks.extend(into.blocks[-1:])
            del into.blocks[-1:]
        extra = {k: v for k, v in cta.items() if k not in CALL_TO_ACTION_KEYS}
        if extra:
            names = ", ".join(map(str, extra))
            outcome.warn(f"unexpected keys in 'call_to_action' ({names}) kept verbatim")
            body.verbatim(
                _dump({"call_to_action": extra}), f"Unexpected call to action keys: {names}"
            )

    # --- members and project states ---------------------------------------------------

    def member_fields(self, source: SourceFile, outcome: Outcome) -> dict:
        """Field values of a Member snippet from its file."""
        fm = source.front_matter
        kept: list[str] = []
        for key in fm:
            if key not in MEMBER_KEYS:
                outcome.keep(kept, key, fm[key], "member's notes")
        name = _text(fm.get("title")).strip()
        if not name:
            name = _text(fm.get("slug"))
            outcome.warn(f"no title: the member is named '{name}' after the slug")
        photo_alt, photo_id = "", None
        image = fm.get("image")
        if isinstance(image, str):
            image = {"path": image}
        if isinstance(image, dict):
            photo_alt = _text(image.get("alt"))
            photo_id = self.image_id(
                outcome, image.get("path"), alt=photo_alt or name, title=photo_alt or name
            )
        elif image is not None:
            outcome.keep(kept, "image", image, "member's notes")
        fields = {
            "name": name[:255],
            "kind": _text(fm.get("type")).strip()[:50],
            "photo_id": photo_id,
            "photo_alt": photo_alt[:255],
            "position": _text(fm.get("position")).strip()[:255],
            "bio": _text(fm.get("description")),
            "email": "",
        }
        written = _text(fm.get("email")).strip()
        if written:
            email = _AT.sub("@", written)
            try:
                validate_email(email)
            except ValidationError:
                outcome.warn(f"email '{written}' is not an address; kept in the member's notes")
                kept.append(_dump({"email": written}))
            else:
                fields["email"] = email
        for kind in ("twitter", "linkedin", "facebook", "github"):
            url = _text(fm.get(kind)).strip()
            fields[kind] = ""
            if not url:
                continue
            try:
                validate_web_url(url)
            except ValidationError:
                outcome.warn(
                    f"{kind} '{url}' is not an http(s) address; kept in the member's notes"
                )
                kept.append(_dump({kind: url}))
            else:
                fields[kind] = url
        fields["notes"] = "".join(kept)
        return fields

    def state_fields(self, source: SourceFile, outcome: Outcome) -> dict:
        """Field values of a ProjectState snippet from its file."""
        fm = source.front_matter
        kept: list[str] = []
        for key in fm:
            if key not in STATE_KEYS:
                outcome.keep(kept, key, fm[key], "state's notes")
        title = _text(fm.get("title")).strip()
        if not title:
            title = _text(fm.get("slug"))
            outcome.warn(f"no title: the state is titled '{title}' after the slug")
        return {
            "title": title[:255],
            "color": _text(fm.get("color")).strip()[:50],
            "notes": "".join(kept),
        }

    # --- categories --------------------------------------------------------------------

    def category_content(
        self, source: SourceFile, outcome: Outcome, language: str, fallback: dict, cta_files
    ) -> dict:
        """Field values of a category page; ``cta_files`` finds call-to-action files by uid."""
        fm = source.front_matter
        kept: list[str] = []
        if fm.get("layout") not in (None, "category"):
            outcome.warn(f"layout '{fm.get('layout')}' is not 'category'; imported as a category")
        for key in fm:
            if key not in CATEGORY_KEYS:
                outcome.keep(kept, key, fm[key], "category's notes")
        title = _text(fm.get("title")).strip()
        if not title:
            outcome.untranslated = True
            title = _text(fallback.get("title")).strip() or outcome.slug
        fields = {"title": title[:255], "subtitle": _text(fm.get("subtitle"))}
        fields["symbol_id"], fields["symbol_alt"] = self._image_field(
            fm, "symbol", outcome, kept, "category's notes"
        )
        cta = BodyBuilder(outcome, "categories-cta", outcome.slug)
        uid = fm.get("call_to_action")
        if isinstance(uid, str) and uid.strip():
            found = cta_files(uid.strip(), language)
            if found is None:
                outcome.warn(
                    f"call_to_action: no call-to-action file with uid '{uid.strip()}' "
                    "(kept in the category's notes)"
                )
                kept.append(_dump({"call_to_action": uid}))
            else:
                self._call_to_action_file(found, cta, outcome, kept, uid.strip(), language)
        elif uid is not None:
            outcome.keep(kept, "call_to_action", uid, "category's notes")
        fields["call_to_action"] = cta.stream_data()
        fields["notes"] = "".join(kept)
        return fields

    def _call_to_action_file(
        self, found: dict, cta: BodyBuilder, outcome: Outcome, kept, uid: str, language: str
    ) -> None:
        """A call to action opening the contact form ``uid`` (a ``_call_to_actions`` file),
        with its text and button label from the file's part in this language."""
        part = found
        button = part.get("button") if isinstance(part.get("button"), dict) else {}
        image = part.get("image") if isinstance(part.get("image"), dict) else {}
        alt = _text(image.get("alt"))
        form = self.find_form(uid, language)
        if form is None:
            outcome.warn(
                f"call_to_action: the contact form '{uid}' was not imported; the button leads "
                f"to {self.contact_url}"
            )
        value = {
            "text": _text(part.get("title")).strip()
            or _text(part.get("content")).strip()
            or _text(button.get("label")).strip()
            or uid,
            "button_label": (_text(button.get("label")).strip() or "Contact")[:80],
            "form": form.pk if form is not None else None,
            "page": None,
            "url": "" if form is not None else self.contact_url,
            "image": self.image_id(outcome, image.get("path"), alt=alt, title=alt),
            "image_alt": alt[:255],
        }
        if not cta.add("call_to_action", value, raw=_dump(part)):
            cta.blocks.pop()
            kept.append(_dump({"call_to_action": part}))

    def _image_field(self, fm: dict, key: str, outcome: Outcome, kept: list | None, where: str):
        """(image id, alt) of a front-matter image ``{path, alt}``."""
        image = fm.get(key)
        if isinstance(image, str):
            image = {"path": image}
        if image is None:
            return None, ""
        if not isinstance(image, dict):
            outcome.warn(f"'{key}' should be a mapping with path and alt; kept in the {where}")
            if kept is not None:
                kept.append(_dump({key: image}))
            return None, ""
        alt = _text(image.get("alt"))
        extra = {k: v for k, v in image.items() if k not in IMAGE_KEYS}
        if extra:
            outcome.warn(
                f"unexpected keys in '{key}' ({', '.join(map(str, extra))}) kept in the {where}"
            )
            if kept is not None:
                kept.append(_dump({key: extra}))
        return self.image_id(outcome, image.get("path"), alt=alt, title=alt), alt[:255]

    # --- projects ----------------------------------------------------------------------

    def project_content(
        self, source: SourceFile, outcome: Outcome, language: str, fallback: dict
    ) -> dict:
        """Field values of a project page (body and call to action as raw stream data)."""
        fm = source.front_matter
        body = BodyBuilder(outcome, "projects", outcome.slug)
        cta = BodyBuilder(outcome, "projects-cta", outcome.slug)
        if fm.get("layout") not in (None, "project"):
            outcome.warn(f"layout '{fm.get('layout')}' is not 'project'; imported as a project")
        kept: list[str] = []
        title = _text(fm.get("title")).strip()
        if not title:
            outcome.untranslated = True
            title = _text(fallback.get("title")).strip() or outcome.slug
        fields = {
            "title": title[:255],
            "subtitle": _text(fm.get("subtitle")),
            "description": _text(fm.get("description")),
            "budget": _text(fm.get("budget")).strip()[:100],
            "private_percentage": _text(fm.get("private_percentage")).strip()[:20],
            "public_percentage": _text(fm.get("public_percentage")).strip()[:20],
            "looking_for_finance_percentage": _text(fm.get("looking_finance_percentage")).strip()[
                :20
            ],
        }
        fields["banner_image_id"], fields["banner_image_alt"] = self._image_field(
            fm, "banner_image", outcome, kept, "body, verbatim"
        )
        for key, name in (("date_start", "start_date"), ("date_end", "end_date")):
            fields[name] = self._date(fm, key, outcome, kept, as_date=True)
        fields["date"] = self._date(fm, "date", outcome, kept, as_date=False)

        for segment in source.segments:
            if isinstance(segment, Tag):
                self._tag(segment, body, outcome)
            else:
                self._markdown(segment, body, outcome)
        self._call_to_action(
            fm, body, outcome, fallback.get("call_to_action"), into=cta, language=language
        )

        unexpected = {k: v for k, v in fm.items() if k not in PROJECT_KEYS}
        if unexpected:
            names = ", ".join(f"'{k}'" for k in unexpected)
            outcome.warn(
                f"unexpected front-matter key(s) {names} kept verbatim at the end of the body"
            )
            body.verbatim(_dump(unexpected), f"Unexpected front matter: {names}")
        for text in kept:
            body.verbatim(text, "Front matter with no field")
        fields["body"] = body.stream_data()
        fields["call_to_action"] = cta.stream_data()
        return fields

    def _date(self, fm: dict, key: str, outcome: Outcome, kept: list, *, as_date: bool):
        """A front-matter date or timestamp; timestamps are read in the site's time zone."""
        value = fm.get(key)
        if value is None or value == "":
            return None
        moment = None
        if isinstance(value, datetime.date):  # a datetime is a date too
            moment = value
        elif isinstance(value, str):
            text = value.strip()
            try:
                moment = parse_datetime(text) or parse_date(text)
            except ValueError:
                moment = None
        if moment is None:
            outcome.warn(
                f"{key}: '{_text(value)}' is not a date (expected e.g. 2024-12-12 or "
                "2024-12-12T17:43:00Z); kept verbatim at the end of the body"
            )
            kept.append(_dump({key: value}))
            return None
        zone = timezone.get_default_timezone()
        if isinstance(moment, datetime.datetime):
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, zone)
            moment = moment.astimezone(zone)
            return moment.date() if as_date else moment
        if as_date:
            return moment
        return timezone.make_aware(datetime.datetime.combine(moment, datetime.time()), zone)

    # --- body --------------------------------------------------------------------------

    def _markdown(self, segment: Markdown, body: BodyBuilder, outcome: Outcome) -> None:
        for expression in liquid_outputs(segment.text):
            outcome.warn(f"Liquid expression {expression} kept as text", segment.line)
        chunks = split_markdown(
            segment.text, segment.line, self.allowed_tags, self.allowed_attributes
        )
        for chunk in chunks:
            if chunk.kind == "separator":
                body.blocks.append(("separator", None))
            elif chunk.kind == "image":
                self._image_chunk(chunk, body, outcome)
            elif chunk.kind == "iframes":
                self._iframes(chunk, body, outcome)
            elif chunk.kind == "html":
                problems = ", ".join(chunk.problems)
                outcome.warn(
                    f"HTML the sanitiser would strip ({problems}) kept in a verbatim block",
                    chunk.line,
                )
                body.verbatim(chunk.text, f"HTML the sanitiser strips: {problems}")
            else:
                body.markdown(self._rewrite_images(chunk.text, chunk.line, outcome))

    def _image_chunk(self, chunk, body: BodyBuilder, outcome: Outcome) -> None:
        image = None
        if _is_local(chunk.src):
            try:
                image = self.media.image(chunk.src, alt=chunk.alt, title=chunk.title)
            except MediaProblem as exc:
                outcome.warn(f"{exc} (page '{outcome.slug}'); the rest was imported", chunk.line)
        if image is None:
            body.markdown(chunk.text)
            return
        # The library image keeps the title it was first imported with; a different title
        # given here is kept with this use of the image.
        caption = chunk.title if chunk.title not in ("", chunk.alt, image.title) else ""
        value = {"image": image.pk, "alt": chunk.alt[:255], "caption": caption[:500]}
        body.add("image", value, line=chunk.line, raw=chunk.text)

    def _rewrite_images(self, text: str, line: int, outcome: Outcome) -> str:
        """Point Markdown images inside text at the imported image files."""
        for match in reversed(inline_images(text)):
            src = match.group("src")
            if not _is_local(src):
                continue
            try:
                image = self.media.image(src, alt=match.group("alt"), title=image_title(match))
            except MediaProblem as exc:
                outcome.warn(f"{exc} (page '{outcome.slug}'); the rest was imported", line)
                continue
            start, end = match.span("src")
            text = text[:start] + image.file.url + text[end:]
        return text

    def _iframes(self, chunk, body: BodyBuilder, outcome: Outcome) -> None:
        for attrs in chunk.iframes:
            src = attrs.get("src", "")
            if parse_video_url(src) is None:
                outcome.warn(
                    f"<iframe> from {src or 'nowhere'} is not a known video; kept verbatim",
                    chunk.line,
                )
                body.verbatim(chunk.text, "An iframe that is not a known video")
                return
        for attrs in chunk.iframes:
            body.add(
                "video",
                {"title": (attrs.get("title") or "Video")[:255], "url": attrs["src"]},
                line=chunk.line,
                raw=chunk.text,
            )
        if chunk.problems:
            problems = ", ".join(chunk.problems)
            outcome.warn(
                f"HTML around a video that the sanitiser would strip ({problems}) kept in a "
                "verbatim block; the video itself became a video block",
                chunk.line,
            )
            body.verbatim(chunk.text, f"HTML around the video: {problems}")

    def _tag(self, tag: Tag, body: BodyBuilder, outcome: Outcome) -> None:
        if not tag.known:
            outcome.warn(f"unknown tag {{% {tag.name} %}} kept in a verbatim block", tag.line)
            body.verbatim(tag.raw, f"Unknown tag {{% {tag.name} %}}")
            return
        args = tag.args or {}
        lost: list[str] = [f"unknown field '{k}'" for k in args if k not in TAG_FIELDS[tag.name]]
        value = getattr(self, f"_tag_{tag.name}")(args, tag, outcome, lost)
        added = body.add(tag.name, value, line=tag.line, raw=tag.raw)
        if added and lost:
            outcome.warn(
                f"{{% {tag.name} %}}: {'; '.join(lost)}; the whole tag is also kept verbatim",
                tag.line,
            )
            body.verbatim(tag.raw, f"Not everything of {{% {tag.name} %}} fits: {'; '.join(lost)}")

    @staticmethod
    def _items(args: dict, tag: Tag, key: str, lost: list[str]) -> list[dict]:
        """The items of the tag's list argument ``key``, each with the keys its block
        declares (any other is lost)."""
        fields = SOURCE_TAGS[tag.name].items[key]
        items = args.get(key) or []
        if not isinstance(items, list):
            lost.append(f"'{key}' is not a list")
            return []
        result = []
        for item in items:
            if not isinstance(item, dict):
                lost.append(f"an item of '{key}' is not an object")
                continue
            for k in item:
                if k not in fields:
                    lost.append(f"unknown field '{k}' in {key}")
            result.append({f: _text(item.get(f)) for f in fields})
        return result

    def _tag_metrics(self, args, tag, outcome, lost):
        return {"items": self._items(args, tag, "items", lost)}

    def _tag_numbers(self, args, tag, outcome, lost):
        return {"items": self._items(args, tag, "items", lost)}

    def _tag_questions(self, args, tag, outcome, lost):
        return {"items": self._items(args, tag, "items", lost)}

    def _tag_quote(self, args, tag, outcome, lost):
        text = (tag.inner or "").strip()
        closing = QUOTE_MARKS.get(text[:1])
        # Only a mark that opens words ("Tu capital…): anything else is kept as written.
        if closing and text[1:2].isalpha() and closing not in text[1:]:
            # The source opens a quotation mark it never closes; frontends put the marks
            # around every quote, so the stray one goes (and the report says so).
            outcome.warn(
                f"{{% quote %}}: the opening quotation mark {text[0]} is never closed; "
                "removed (quotes are shown between quotation marks)",
                tag.line,
            )
            text = text[1:].lstrip()
        return {"text": text, "author": _text(args.get("author"))}

    def _tag_call_to_action(self, args, tag, outcome, lost):
        target = _text(args.get("url")).strip()
        url = target if target and _is_link(target) else self.contact_url
        if target and url != target:
            lost.append(f"url '{target}' is not a link (the button leads to {url})")
        label = _text(args.get("label")).strip() or "Contact"
        return {
            "text": (tag.inner or "").strip(),
            "button_label": label,
            "form": None,
            "page": None,
            "url": url,
            "image": None,
            "image_alt": "",
        }

    def _tag_video(self, args, tag, outcome, lost):
        return {"title": _text(args.get("title")) or "Video", "url": _text(args.get("url"))}

    def _tag_links(self, args, tag, outcome, lost):
        return {
            "title": _text(args.get("title")),
            "items": self._items(args, tag, "items", lost),
        }

    def _tag_documents(self, args, tag, outcome, lost):
        items = []
        for item in self._items(args, tag, "items", lost):
            document = self.document_id(outcome, item["file"], title=item["title"], line=tag.line)
            if document is None:
                lost.append(f"document {item['file']} not imported")
            else:
                items.append({"document": document, "title": item["title"]})
        return {"title": _text(args.get("title")), "items": items}

    def _tag_file(self, args, tag, outcome, lost):
        document = self.document_id(
            outcome, args.get("file"), title=_text(args.get("title")), line=tag.line
        )
        image = self.image_id(outcome, args.get("image"), line=tag.line)
        if args.get("image") and image is None:
            lost.append(f"image {args.get('image')} not imported")
        return {
            "title": _text(args.get("title")),
            "info": _text(args.get("info")),
            "document": document,
            "image": image,
            "button_text": _text(args.get("button_text")),
            "button_icon": _text(args.get("button_icon")),
        }

    def _tag_gallery(self, args, tag, outcome, lost):
        images = []
        for item in self._items(args, tag, "images", lost):
            image = self.image_id(
                outcome, item["path"], alt=item["alt"], title=item["caption"], line=tag.line
            )
            if image is None:
                lost.append(f"image {item['path']} not imported")
                continue
            images.append(
                {
                    "image": image,
                    "alt": item["alt"],
                    "caption": item["caption"],
                    "credits": item["credits"],
                }
            )
        return {"simple": bool(args.get("simple")), "images": images}

    def _tag_author(self, args, tag, outcome, lost):
        image = self.image_id(
            outcome, args.get("image"), alt=_text(args.get("name")), line=tag.line
        )
        if args.get("image") and image is None:
            lost.append(f"image {args.get('image')} not imported")
        return {
            "name": _text(args.get("name")),
            "position": _text(args.get("position")),
            "image": image,
            "description": _text(args.get("description")),
        }

    def _tag_stickers(self, args, tag, outcome, lost):
        value = {"layout": _text(args.get("layout"))}
        for key in ("sticker_one", "sticker_two"):
            value[key] = self.image_id(outcome, args.get(key), line=tag.line)
            if args.get(key) and value[key] is None:
                lost.append(f"image {args.get(key)} not imported")
        for key in ("sticker_one_animation", "sticker_two_animation"):
            value[key] = _text(args.get(key))
        return value


def _is_link(value: str) -> bool:
    if not value or not (value[0] in "/#" or ":" in value):
        return False
    try:
        validate_link(value)
    except ValidationError:
        return False
    return True


def _is_local(src: str) -> bool:
    return bool(src) and ":" not in src.split("/")[0] and not src.startswith("//")

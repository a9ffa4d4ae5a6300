"""Turn the site's generic pages, its home page, its contact forms and its data files into
field values. Each method returns plain values; ``run.py`` saves them."""

from __future__ import annotations

from .mapping import (
    IMAGE_KEYS,
    BodyBuilder,
    Mapper,
    Outcome,
    _text,
)
from .site import dump, hero_title, inline_markdown, parse_form
from .source import SourceFile, Tag, inline_images

# Front-matter keys of a generic page that have a field.
PAGE_KEYS = frozenset({"layout", "slug", "title", "subtitle", "description", "call_to_action"})
# Where a page's picture may be, in the order that decides which one is the page's image.
PAGE_IMAGE_KEYS = ("img", "image", "Image", "symbol")
# The old theme's layout switches: the CMS has no use for them, they are kept in notes.
LAYOUT_SWITCHES = ("hide", "search", "category_select", "permalink", "uid")
# The old theme's listing layouts, and the CMS listing page each one is: such a page's
# fields become the listing's own (the same page in the tree, not a page beside it).
LISTING_LAYOUTS = {
    "services": "services",
    "projects": "projects",
    "categories": "categories",
    "who": "team",
}
# Front-matter keys of a listing page that have a field (category_select: its label).
LISTING_KEYS = frozenset({"layout", "slug", "title", "description", "category_select"})
HOME_KEYS = frozenset({"layout", "slug", "title", "subtitle", "description"})
# Keys of one language's part of a call-to-action file.
FORM_KEYS = frozenset({"title", "content", "button", "image", "form_fields"})
# _data/<lang>/homepage/main.yml: key -> home page field.
HOMEPAGE_MAIN = {
    "values_title": "values_title",
    "values_description": "values_text",
    "projects_title": "projects_title",
    "journal_title": "journal_title",
    "who_title": "collaborators_title",
}
NEWSLETTER = {
    "title": "newsletter_title",
    "description": "newsletter_text",
    "email-label": "newsletter_email_label",
    "submit-btn": "newsletter_button",
}


class SiteMapper(Mapper):
    """The Mapper of services and projects, plus generic pages, the home page and forms."""

    def _page_image(self, fm: dict, outcome: Outcome, kept: dict) -> tuple[int | None, str]:
        """The first of img/image/Image/symbol is the page's image; the others go to notes."""
        chosen, result = None, (None, "")
        for key in PAGE_IMAGE_KEYS:
            value = fm.get(key)
            if value is None:
                continue
            if chosen is not None:
                outcome.warn(f"'{key}' kept in the page's notes (the page's image is '{chosen}')")
                kept[key] = value
                continue
            if isinstance(value, str):
                value = {"path": value}
            if not isinstance(value, dict):
                outcome.warn(f"'{key}' should be a mapping with a path; kept in the notes")
                kept[key] = value
                continue
            chosen = key
            path = value.get("source") if key == "img" else value.get("path")
            allowed = {"source", "alt"} if key == "img" else IMAGE_KEYS
            extra = {k: v for k, v in value.items() if k not in allowed}
            if extra:
                outcome.warn(
                    f"unexpected keys in '{key}' ({', '.join(map(str, extra))}) kept in the notes"
                )
                kept[key] = extra
            alt = _text(value.get("alt"))
            image = self.image_id(outcome, path, alt=alt, title=alt)
            if image is None and path:
                # The file is missing: its path is kept so nothing of the source is lost.
                kept.setdefault(key, value)
            result = (image, alt[:255])
        return result

    def _keep_switches(self, fm: dict, outcome: Outcome, kept: dict, known) -> None:
        for key, value in fm.items():
            if key in known or key in PAGE_IMAGE_KEYS:
                continue
            if key in LAYOUT_SWITCHES:
                outcome.warn(
                    f"layout switch '{key}: {_text(value)}' has no use in the CMS; kept in the "
                    "page's notes"
                )
            else:
                outcome.warn(f"unexpected front-matter key '{key}' kept in the page's notes")
            kept[key] = value

    # --- generic pages -----------------------------------------------------------------

    def standard_page_content(
        self, source: SourceFile, outcome: Outcome, language: str, fallback: dict, cta_files
    ) -> dict:
        """Field values of a StandardPage; ``notes_section`` is this file's part of its notes."""
        fm = source.front_matter
        kept: dict = {}
        body = BodyBuilder(outcome, "pages", outcome.slug)
        title = _text(fm.get("title")).strip()
        if not title:
            outcome.untranslated = True
            title = _text(fallback.get("title")).strip() or outcome.slug
        fields = {
            "title": title[:255],
            "subtitle": _text(fm.get("subtitle")),
            "description": _text(fm.get("description")),
            "layout": _text(fm.get("layout")).strip()[:50],
        }
        fields["image_id"], fields["image_alt"] = self._page_image(fm, outcome, kept)
        self._keep_switches(fm, outcome, kept, PAGE_KEYS)
        for segment in source.segments:
            if isinstance(segment, Tag):
                self._tag(segment, body, outcome)
            else:
                self._markdown(segment, body, outcome)
        cta = fm.get("call_to_action")
        if isinstance(cta, str) and cta.strip():
            found = cta_files(cta.strip(), language)
            if found is None:
                outcome.warn(
                    f"call_to_action: no call-to-action file with uid '{cta.strip()}' (kept in "
                    "the page's notes)"
                )
                kept["call_to_action"] = cta
            else:
                holder: list[str] = []
                self._call_to_action_file(found, body, outcome, holder, cta.strip(), language)
                if holder:
                    kept["call_to_action"] = cta
        elif cta is not None:
            self._call_to_action(
                fm, body, outcome, fallback.get("call_to_action"), language=language
            )
        fields["body"] = body.stream_data()
        fields["notes_section"] = dump(kept) if kept else ""
        return fields

    # --- listing pages ---------------------------------------------------------------------

    def listing_content(self, source: SourceFile, outcome: Outcome, filter_label: bool) -> dict:
        """Field values of a listing page (an index) from a page of a listing layout: its
        title, its description and text as the introduction, its picture and, where the
        listing has one (``filter_label``), the category selector's label."""
        fm = source.front_matter
        kept: dict = {}
        fields: dict = {"title": _text(fm.get("title")).strip()[:255]}
        fields["image_id"], fields["image_alt"] = self._page_image(fm, outcome, kept)
        label = fm.get("category_select")
        if filter_label and isinstance(label, str) and label.strip():
            fields["category_filter_label"] = label.strip()[:80]
            if len(label.strip()) > 80:
                outcome.warn("category_select: longer than 80 characters; kept in the notes")
                kept["category_select"] = label
        elif label is not None:
            outcome.warn(
                f"layout switch 'category_select: {_text(label)}' has no use on this listing; "
                "kept in the page's notes"
            )
            kept["category_select"] = label
        self._keep_switches(fm, outcome, kept, LISTING_KEYS)
        texts = [_text(fm.get("description")).strip()]
        tags: list[str] = []
        for segment in source.segments:
            if isinstance(segment, Tag):
                outcome.warn(
                    f"{{% {segment.name} %}} cannot be part of a listing's introduction; "
                    "kept in the page's notes",
                    segment.line,
                )
                tags.append(segment.raw)
            elif inline_images(segment.text) or "<iframe" in segment.text.lower():
                outcome.warn(
                    "a text with images or videos cannot be part of a listing's "
                    "introduction; kept in the page's notes",
                    segment.line,
                )
                tags.append(segment.text.strip())
            else:
                texts.append(segment.text.strip())
        if tags:
            kept["body"] = "\n\n".join(tags)
        fields["intro"] = "\n\n".join(text for text in texts if text)
        fields["notes_section"] = dump(kept) if kept else ""
        return fields

    # --- the home page -------------------------------------------------------------------

    def home_content(self, source: SourceFile, outcome: Outcome) -> dict:
        """Hero fields of a language's home page from ``_pages/<lang>/home.md``."""
        fm = source.front_matter
        kept: dict = {}
        raw_title = _text(fm.get("title"))
        hero = hero_title(raw_title)
        if hero.problems:
            outcome.warn(
                f"title: {', '.join(hero.problems)} cannot be kept as marks; the words are kept "
                "and the title as written is in the home page's notes"
            )
            kept["title"] = raw_title
        fields = {
            "hero_title": hero.text,
            "highlight_color": hero.color[:30],
            "subtitle": _text(fm.get("subtitle")).strip()[:255],
            "intro": _text(fm.get("description")),
        }
        if len(_text(fm.get("subtitle")).strip()) > 255:
            kept["subtitle"] = fm.get("subtitle")
            outcome.warn("subtitle: longer than 255 characters; kept whole in the notes")
        if fm.get("layout") not in (None, "home"):
            outcome.warn(f"layout '{fm.get('layout')}' is not 'home'; kept in the notes")
            kept["layout"] = fm.get("layout")
        fields["image_id"], fields["image_alt"] = self._page_image(fm, outcome, kept)
        self._keep_switches(fm, outcome, kept, HOME_KEYS)
        if source.body.strip():
            outcome.warn(
                "the home page has no body: the text after the front matter is in its notes"
            )
            kept["body"] = source.body.strip()
        fields["notes_section"] = dump(kept) if kept else ""
        return fields

    def homepage_main(self, data, outcome: Outcome) -> dict:
        """Section titles and the values section's words and image, from homepage/main.yml."""
        kept: dict = {}
        fields: dict = {}
        if not isinstance(data, dict):
            outcome.warn("should be a set of 'key: value' lines; kept in the home page's notes")
            return {"notes_section": dump({"main": data})}
        for key, value in data.items():
            if key in HOMEPAGE_MAIN:
                fields[HOMEPAGE_MAIN[key]] = _text(value).strip()[:255]
                if len(_text(value).strip()) > 255:
                    kept[key] = value
            elif key == "values_img":
                fields["values_image_id"] = self.image_id(outcome, value, title="values")
            else:
                if value not in (None, ""):
                    outcome.warn(
                        f"'{key}' has no field on the home page; kept in the home page's notes"
                    )
                kept[key] = value
        fields["notes_section"] = dump(kept) if kept else ""
        return fields

    def homepage_values(self, data, outcome: Outcome) -> dict:
        """The values list (inline HTML) as Markdown lines, repairing unclosed bold."""
        kept: dict = {}
        values: list[str] = []
        if not isinstance(data, list):
            outcome.warn("should be a list of values; kept in the home page's notes")
            return {"notes_section": dump({"values": data})}
        for index, item in enumerate(data, start=1):
            if isinstance(item, dict | list):
                outcome.warn(f"value {index} is not text; kept in the home page's notes")
                kept[f"value {index}"] = item
                continue
            converted = inline_markdown(_text(item))
            if converted.repaired:
                outcome.warn(f"value {index}: an unclosed <strong> was closed")
            if converted.problems:
                outcome.warn(
                    f"value {index}: HTML with no Markdown equivalent "
                    f"({', '.join(converted.problems)}); the words are kept and the value as "
                    "written is in the home page's notes"
                )
                kept[f"value {index}"] = item
            if converted.text:
                values.append(converted.text)
        return {"values": values, "notes_section": dump(kept) if kept else ""}

    # --- contact forms ---------------------------------------------------------------------

    def form_content(self, uid: str, part: dict, outcome: Outcome, fallback: dict, key: str):
        """Field values and fields of one language's contact form (``key`` is its part's key)."""
        kept: dict = {}
        for name, value in part.items():
            if name not in FORM_KEYS:
                outcome.warn(f"{key}.{name}: no field for it; kept in the form's notes")
                kept[name] = value
        title = _text(part.get("title")).strip()
        if not title:
            title = _text(fallback.get("title")).strip()
            if title:
                outcome.untranslated = True
            else:
                title = uid
                outcome.warn(f"{key}: no title; the form is titled '{uid}' after its uid")
        button = part.get("button")
        label = ""
        if isinstance(button, dict):
            label = _text(button.get("label")).strip()
            extra = {k: v for k, v in button.items() if k != "label"}
            if extra:
                outcome.warn(f"{key}.button: unexpected keys kept in the form's notes")
                kept["button"] = extra
        elif button is not None:
            outcome.warn(f"{key}.button: should be a mapping with a label; kept in the notes")
            kept["button"] = button
        if len(label) > 80:
            kept["button_label"] = label
            outcome.warn(f"{key}.button.label: longer than 80 characters; kept in the notes")
        fields = {
            "title": title[:255],
            "intro": _text(part.get("content")),
            "button_label": label[:80] or "Enviar",
        }
        if not label:
            outcome.warn(f"{key}.button.label: missing; the button says 'Enviar'")
        fields["image_id"], fields["image_alt"] = None, ""
        image = part.get("image")
        if isinstance(image, dict):
            alt = _text(image.get("alt"))
            fields["image_id"] = self.image_id(outcome, image.get("path"), alt=alt, title=alt)
            fields["image_alt"] = alt[:255]
            extra = {k: v for k, v in image.items() if k not in IMAGE_KEYS}
            if extra:
                outcome.warn(f"{key}.image: unexpected keys kept in the form's notes")
                kept["image"] = extra
        elif image is not None:
            outcome.warn(f"{key}.image: should be a mapping with path and alt; kept in notes")
            kept["image"] = image
        html = part.get("form_fields")
        if html is None:
            html = fallback.get("form_fields")
        parsed = parse_form(_text(html))
        for problem in parsed.problems:
            outcome.warn(f"{key}.form_fields, {problem}")
        if parsed.texts:
            kept["form_text"] = parsed.texts
        if parsed.problems:
            kept["form_fields"] = _text(html)
        if not parsed.fields:
            outcome.warn(f"{key}.form_fields: no field could be read; the form has no fields")
        fields["notes"] = dump(kept) if kept else ""
        return fields, parsed.fields

    # --- site texts ----------------------------------------------------------------------

    def newsletter(self, data, outcome: Outcome) -> tuple[dict, dict]:
        """(SiteTexts fields, values kept in notes) from newsletter.yml."""
        fields: dict = {}
        kept: dict = {}
        if not isinstance(data, dict):
            outcome.warn("should be a set of 'key: value' lines; kept in the site texts' notes")
            return fields, {"newsletter": data}
        for key, value in data.items():
            text = _text(value).strip()
            if key in NEWSLETTER:
                name = NEWSLETTER[key]
                limit = 80 if name == "newsletter_button" else 255
                if name == "newsletter_text":
                    fields[name] = text
                else:
                    fields[name] = text[:limit]
                    if len(text) > limit:
                        kept[key] = value
            elif key == "policy-label":
                converted = inline_markdown(text)
                fields["newsletter_consent"] = converted.text
                if converted.problems:
                    outcome.warn(
                        f"policy-label: HTML with no Markdown equivalent "
                        f"({', '.join(converted.problems)}); kept as written in the notes"
                    )
                    kept[key] = value
            else:
                outcome.warn(f"'{key}' has no field; kept in the site texts' notes")
                kept[key] = value
        return fields, kept

"""Every XSS payload, typed into every text field an editor has, never runs in a reader's page.

For each payload and field the editor's validation either refuses it with a message a
person can act on, or stores it; then the page is published and both the GraphQL API's
HTML and URLs and the server-rendered page are parsed for anything that could run script.
"""

import pytest
from django.core.exceptions import ValidationError

from blocks.video import allowed_video_hosts
from cms.models import Collaborator
from services.stream import ServiceBodyBlock
from tests.factories import make_image, make_service
from tests.reliability.html_checks import reader_risks
from tests.reliability.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

SAFE_URL = "https://example.org/"

# Where each payload goes in the stream: (label, block name, raw value builder).
BLOCK_FIELDS = [
    ("markdown block", "markdown", lambda p, ids: p),
    ("quote text", "quote", lambda p, ids: {"text": p, "author": "Ana"}),
    ("quote author", "quote", lambda p, ids: {"text": "Cita.", "author": p}),
    (
        "call to action text",
        "call_to_action",
        lambda p, ids: {"text": p, "button_label": "Ir", "url": "#contact"},
    ),
    (
        "call to action button label",
        "call_to_action",
        lambda p, ids: {"text": "Texto", "button_label": p, "url": "#contact"},
    ),
    (
        "call to action URL",
        "call_to_action",
        lambda p, ids: {"text": "Texto", "button_label": "Ir", "url": p},
    ),
    ("video URL", "video", lambda p, ids: {"title": "Vídeo", "url": p}),
    (
        "video title",
        "video",
        lambda p, ids: {"title": p, "url": "https://www.youtube.com/watch?v=5bzfj2IkznQ"},
    ),
    (
        "image alt and caption",
        "image",
        lambda p, ids: {"image": ids["image"], "alt": p, "caption": p},
    ),
    ("link item URL", "links", lambda p, ids: {"title": "", "items": [{"url": p, "title": "T"}]}),
    (
        "link item and list title",
        "links",
        lambda p, ids: {"title": p, "items": [{"url": SAFE_URL, "title": p}]},
    ),
    (
        "author name and biography",
        "author",
        lambda p, ids: {"name": p, "position": p, "description": p},
    ),
    ("collaborators title", "collaborators", lambda p, ids: {"title": p, "collaborators": []}),
]
PAGE_FIELDS = ("title", "seo_title", "search_description", "description", "image_alt")


def error_messages(exc: ValidationError) -> list[str]:
    """The messages a person sees for a failed block or model validation, flattened."""
    if hasattr(exc, "as_json_data"):
        data = exc.as_json_data()
    elif hasattr(exc, "message_dict"):
        data = exc.message_dict
    else:
        data = exc.messages
    found: list[str] = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return found


@pytest.fixture
def publish_with_payload(site_structure, locales):
    """Publish one page whose every editor-set text holds the payload, where validation lets it."""
    stream = ServiceBodyBlock()
    image = make_image("Foto")
    index = site_structure.service_indexes["es"]

    def publish(number: int, payload: str):
        outcomes: dict[str, list[str] | None] = {}
        collaborators = []
        for label, fields in (
            ("collaborator name", {"name": payload, "url": SAFE_URL}),
            ("collaborator URL", {"name": "Socio", "url": payload}),
            ("collaborator logo alt", {"name": "Socio", "logo_alt": payload, "logo": image}),
        ):
            collaborator = Collaborator(slug=f"c{number}-{len(outcomes)}", locale=locales["es"])
            for name, value in fields.items():
                setattr(collaborator, name, value)
            try:
                collaborator.full_clean()
            except ValidationError as exc:
                outcomes[label] = error_messages(exc)
                continue
            collaborator.save()
            collaborators.append(collaborator.pk)
            outcomes[label] = None
        ids = {"image": image.pk}
        body = []
        for label, name, build in BLOCK_FIELDS:
            block = stream.child_blocks[name]
            raw = build(payload, ids)
            if name == "collaborators":
                if not collaborators:
                    # Every collaborator refused the payload: the title is still tried.
                    plain = Collaborator.objects.create(
                        slug=f"c{number}-plain", name="Socio", locale=locales["es"]
                    )
                    collaborators.append(plain.pk)
                raw["collaborators"] = collaborators
            try:
                body.append((name, block.clean(block.to_python(raw))))
            except ValidationError as exc:
                outcomes[label] = error_messages(exc)
                continue
            outcomes[label] = None
        page_fields = dict.fromkeys(PAGE_FIELDS, payload)
        try:
            page = make_service(index, slug=f"xss-{number}", body=body, image=image, **page_fields)
        except ValidationError as exc:
            outcomes["page fields"] = error_messages(exc)
            page = make_service(index, title=f"XSS {number}", slug=f"xss-{number}", body=body)
        else:
            outcomes["page fields"] = None
        return page, outcomes

    return publish


def test_payloads_in_every_editor_field_never_run(publish_with_payload, client, cms_templates):
    hosts = allowed_video_hosts()
    refusals: dict[str, set[str]] = {}
    stored: dict[str, int] = {}
    risks: dict[str, list[str]] = {}
    for number, payload in enumerate(PAYLOADS):
        page, outcomes = publish_with_payload(number, payload)
        for field, messages in outcomes.items():
            if messages is None:
                stored[field] = stored.get(field, 0) + 1
            else:
                refusals.setdefault(field, set()).update(messages)
        service, found = reader_risks(client, page, hosts)
        assert len(service["body"]) == len(page.body)
        risks.update({f"{number} {where}": problems for where, problems in found.items()})
    assert risks == {}
    # Every field was tried with every payload: stored or refused, nothing else.
    assert {field: stored.get(field, 0) for field in sorted(stored)} == EXPECTED_STORED
    assert {field: sorted(messages) for field, messages in refusals.items()} == EXPECTED_REFUSALS


# Of the payloads, how many each field stores (the rest are refused).
EXPECTED_STORED = {
    "author name and biography": 129,
    "call to action URL": 8,
    "call to action button label": 128,
    "call to action text": 129,
    "collaborator URL": 5,
    "collaborator logo alt": 129,
    "collaborator name": 129,
    "collaborators title": 129,
    "image alt and caption": 129,
    "link item URL": 8,
    "link item and list title": 129,
    "markdown block": 129,
    "page fields": 129,
    "quote author": 129,
    "quote text": 129,
    "video title": 129,
}
# The messages an editor reads when a field refuses a payload.
EXPECTED_REFUSALS = {
    "collaborator logo alt": ["Los caracteres nulos no están permitidos."],
    "collaborator name": ["Los caracteres nulos no están permitidos."],
    "page fields": ["Los caracteres nulos no están permitidos."],
    "collaborator URL": [
        "Enter a URL without spaces or control characters.",
        "Enter a web address that starts with http:// or https:// (got data:).",
        "Enter a web address that starts with http:// or https:// (got javascript:).",
        "Enter a web address that starts with http:// or https:// (got livescript:).",
        "Enter a web address that starts with http:// or https:// (got mailto:).",
        "Enter a web address that starts with http:// or https:// (got no scheme).",
        "Enter a web address that starts with http:// or https:// (got vbscript:).",
        "Los caracteres nulos no están permitidos.",
    ],
    "call to action URL": [
        "Enter a link without spaces or control characters.",
        "Enter a web address that starts with http:// or https:// (got data:).",
        "Enter a web address that starts with http:// or https:// (got javascript:).",
        "Enter a web address that starts with http:// or https:// (got livescript:).",
        "Enter a web address that starts with http:// or https:// (got no scheme).",
        "Enter a web address that starts with http:// or https:// (got vbscript:).",
        "Los caracteres nulos no están permitidos.",
    ],
    "video URL": [
        "Enter a URL without spaces or control characters.",
        "Enter a web address that starts with http:// or https:// (got data:).",
        "Enter a web address that starts with http:// or https:// (got javascript:).",
        "Enter a web address that starts with http:// or https:// (got livescript:).",
        "Enter a web address that starts with http:// or https:// (got mailto:).",
        "Enter a web address that starts with http:// or https:// (got no scheme).",
        "Enter a web address that starts with http:// or https:// (got vbscript:).",
        "Los caracteres nulos no están permitidos.",
        "This is not a video address we can embed. Use a YouTube or Vimeo video URL, such as "
        "https://www.youtube.com/watch?v=… or https://vimeo.com/123456789.",
    ],
    "link item URL": [
        "Enter a link without spaces or control characters.",
        "Enter a web address that starts with http:// or https:// (got data:).",
        "Enter a web address that starts with http:// or https:// (got javascript:).",
        "Enter a web address that starts with http:// or https:// (got livescript:).",
        "Enter a web address that starts with http:// or https:// (got no scheme).",
        "Enter a web address that starts with http:// or https:// (got vbscript:).",
        "Los caracteres nulos no están permitidos.",
    ],
    "markdown block": ["Los caracteres nulos no están permitidos."],
    "quote text": ["Los caracteres nulos no están permitidos."],
    "quote author": ["Los caracteres nulos no están permitidos."],
    "call to action text": ["Los caracteres nulos no están permitidos."],
    "call to action button label": [
        "Asegúrese de que este valor tenga menos de 80 caracteres (tiene 99).",
        "Los caracteres nulos no están permitidos.",
    ],
    "video title": ["Los caracteres nulos no están permitidos."],
    "image alt and caption": ["Los caracteres nulos no están permitidos."],
    "link item and list title": ["Los caracteres nulos no están permitidos."],
    "author name and biography": ["Los caracteres nulos no están permitidos."],
    "collaborators title": ["Los caracteres nulos no están permitidos."],
}

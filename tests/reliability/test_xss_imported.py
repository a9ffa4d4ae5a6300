"""Every XSS payload, arriving in an imported Jekyll file, never runs in a reader's page,
and the importer loses none of it.

One site holds, per payload, a collaborator file and a service file carrying the payload in
every front-matter field and every tag argument the source format has, and as raw Markdown.
After one import, each place is checked: the payload is stored as given, or kept in a
hidden verbatim block for an editor to review, or the whole file is refused with a clear
error; then the page is read through GraphQL and rendered by its template, and every HTML
and URL a reader gets is parsed for anything that could run script.
"""

import json
import re

import pytest
import yaml
from PIL import Image as PILImage

from blocks.video import allowed_video_hosts
from cms.models import Collaborator
from services.models import ServicePage
from tests.importer.conftest import run_import, write_site  # noqa: F401 - fixtures
from tests.reliability.html_checks import reader_risks
from tests.reliability.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

SAFE_URL = "https://example.org/"
VIDEO_URL = "https://www.youtube.com/embed/5bzfj2IkznQ"


def arg(payload: str) -> str:
    """The payload as a JSON string inside a tag's arguments."""
    return json.dumps(payload, ensure_ascii=False)


# The places of a service body, in order, each followed by a section separator (``# _``) so
# the blocks each place became can be told apart: (label, source, expected block type,
# {field: how the importer stores the payload}).
PLACES = [
    ("Markdown body", lambda p: p, "markdown", {}),
    (
        "quote text and author",
        lambda p: f'{{% quote {{"author": {arg(p)}}} %}}{p}{{% endquote %}}',
        "quote",
        {"text": str.strip, "author": str},
    ),
    (
        "call to action text and label",
        lambda p: (
            f'{{% call_to_action {{"url": "{SAFE_URL}", "label": {arg(p)}}} %}}'
            f"{p}{{% endcall_to_action %}}"
        ),
        "call_to_action",
        {"text": str.strip, "button_label": lambda p: p.strip()[:80]},
    ),
    (
        "call to action URL",
        lambda p: (
            f'{{% call_to_action {{"url": {arg(p)}, "label": "Ir"}} %}}Texto{{% endcall_to_action %}}'  # noqa: E501
        ),
        "call_to_action",
        {"url": str.strip},
    ),
    (
        "video title",
        lambda p: f'{{% video {{"title": {arg(p)}, "url": "{VIDEO_URL}"}} %}}',
        "video",
        {"title": str},
    ),
    (
        "video URL",
        lambda p: f'{{% video {{"title": "Vídeo", "url": {arg(p)}}} %}}',
        "video",
        {"url": str},
    ),
    (
        "links title and item title",
        lambda p: (
            f'{{% links {{"title": {arg(p)}, "items": [{{"url": "{SAFE_URL}", "title": {arg(p)}}}]}} %}}'  # noqa: E501
        ),
        "links",
        {"title": str, "items.0.title": str},
    ),
    (
        "links item URL",
        lambda p: f'{{% links {{"title": "", "items": [{{"url": {arg(p)}, "title": "T"}}]}} %}}',
        "links",
        {"items.0.url": str},
    ),
    (
        "metrics number and text",
        lambda p: f'{{% metrics {{"items": [{{"number": {arg(p)}, "text": {arg(p)}}}]}} %}}',
        "metrics",
        {"items.0.number": str, "items.0.text": str},
    ),
    (
        "question",
        lambda p: f'{{% questions {{"items": [{{"question": {arg(p)}}}]}} %}}',
        "questions",
        {"items.0.question": str},
    ),
    (
        "author name, position and biography",
        lambda p: (
            f'{{% author {{"name": {arg(p)}, "position": {arg(p)}, "description": {arg(p)}}} %}}'
        ),
        "author",
        {"name": str, "position": str, "description": str},
    ),
    (
        "gallery alt, caption and credits",
        lambda p: (
            f'{{% gallery {{"images": [{{"path": "/media/photo.png", "alt": {arg(p)}, "caption": {arg(p)}, "credits": {arg(p)}}}]}} %}}'  # noqa: E501
        ),
        "gallery",
        {"images.0.alt": str, "images.0.caption": str, "images.0.credits": str},
    ),
    ("Markdown image alt and title", lambda p: f'![{p}](/media/photo.png "{p}")', "image", {}),
]
SEPARATOR = "\n\n# _\n\n"


def service_file(n: int, payload: str) -> str:
    front_matter = {
        "layout": "service",
        "slug": f"s{n}",
        "title": payload,
        "description": payload,
        "image": {"path": "/media/photo.png", "alt": payload},
        "collaborators": [f"c{n}"],
        "call_to_action": {
            "text": payload,
            "url": payload,
            "url_text": payload,
            "image_alt": payload,
        },
    }
    body = SEPARATOR.join(build(payload) for _label, build, _type, _fields in PLACES)
    return f"---\n{yaml.safe_dump(front_matter, allow_unicode=True)}---\n{body}{SEPARATOR}"


def collaborator_file(n: int, payload: str) -> str:
    front_matter = {
        "slug": f"c{n}",
        "title": payload,
        "web": payload,
        "logo": {"path": "/media/logo.png", "alt": payload},
    }
    return f"---\n{yaml.safe_dump(front_matter, allow_unicode=True)}---\n"


def field(value, path: str):
    for part in path.split("."):
        value = value[int(part)]["value"] if part.isdigit() else value[part]
    return value


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def in_order(needle: str, haystack: str) -> bool:
    """True when every character of ``needle`` is in ``haystack``, in the same order."""
    rest = iter(haystack)
    return all(char in rest for char in needle)


def place_outcome(label, kind, fields, blocks, payload) -> tuple[str, str | None]:
    """What a place became (block types joined by +) and, if anything was lost, what."""
    signature = "+".join(b["type"] for b in blocks) or "nothing"
    verbatim = [b["value"]["source"] for b in blocks if b["type"] == "verbatim"]
    if kind == "markdown" or kind == "image":
        # Raw Markdown may be cut into text, images and verbatim HTML: all of it, in order.
        texts = []
        for b in blocks:
            if b["type"] == "markdown":
                texts.append(b["value"])
            elif b["type"] == "verbatim":
                texts.append(b["value"]["source"])
            elif b["type"] == "image":
                texts.append(b["value"]["alt"] + b["value"]["caption"])
        kept = in_order(squeezed(payload), squeezed("".join(texts)))
        if kind == "image" and signature == "image":
            value = blocks[0]["value"]
            kept = value["alt"] == payload and value["caption"] in ("", payload)
        return signature, None if kept else f"{label}: {signature} lost {payload!r}"
    typed = [b for b in blocks if b["type"] == kind]
    if typed and all(
        field(typed[0]["value"], name) == stored(payload) for name, stored in fields.items()
    ):
        return signature, None
    if any(arg(payload)[1:-1] in source or payload.strip() in source for source in verbatim):
        return signature, None
    return signature, f"{label}: {signature} lost {payload!r}"


@pytest.fixture
def imported(run_import, write_site):  # noqa: F811 - the fixtures imported above
    files = {}
    for n, payload in enumerate(PAYLOADS):
        files[f"_collaborators/es/c{n}.md"] = collaborator_file(n, payload)
        files[f"_services/es/s{n}.md"] = service_file(n, payload)
    site = write_site(files)
    (site / "media").mkdir()
    PILImage.new("RGB", (16, 12), (200, 40, 40)).save(site / "media" / "photo.png")
    PILImage.new("RGB", (8, 8), (40, 40, 200)).save(site / "media" / "logo.png")
    return run_import(site)


def test_payloads_in_imported_files_never_run_and_nothing_is_lost(imported, client, cms_templates):
    hosts = allowed_video_hosts()
    outcomes: dict[str, dict[str, int]] = {}
    lost: list[str] = []
    risks: dict[str, list[str]] = {}
    refusals: set[str] = set()

    def count(place: str, signature: str) -> None:
        outcomes.setdefault(place, {})
        outcomes[place][signature] = outcomes[place].get(signature, 0) + 1

    for n, payload in enumerate(PAYLOADS):
        collaborator_report = imported.file(f"_collaborators/es/c{n}.md")
        service_report = imported.file(f"_services/es/s{n}.md")
        if collaborator_report["errors"]:
            refusals.update(e.split(": ", 1)[1] for e in collaborator_report["errors"])
            count("collaborator", "file refused")
        else:
            collaborator = Collaborator.objects.get(slug=f"c{n}")
            count("collaborator name", "stored" if collaborator.name == payload.strip() else "?")
            count("collaborator logo alt", "stored" if collaborator.logo_alt == payload else "?")
            if collaborator.url == payload.strip():
                count("collaborator web", "stored")
            elif (
                collaborator.url == ""
                and yaml.safe_load(collaborator.notes)["web"] == payload.strip()
            ):
                count("collaborator web", "kept in notes")
            else:
                lost.append(f"collaborator web: {payload!r}")
        if service_report["errors"]:
            refusals.update(e.split(": ", 1)[1] for e in service_report["errors"])
            count("service", "file refused")
            continue
        page = ServicePage.objects.get(slug=f"s{n}")
        for name, value in (
            ("title", page.title),
            ("description", page.description),
            ("image alt", page.image_alt),
        ):
            expected = payload.strip() if name == "title" else payload
            count(f"page {name}", "stored" if value == expected[:255] else "?")
        # The body's blocks, cut at the separators the file put after each place.
        groups: list[list[dict]] = [[]]
        for block in page.body.raw_data:
            if block["type"] == "separator":
                groups.append([])
            else:
                groups[-1].append(block)
        assert len(groups) == len(PLACES) + 1, (payload, [b["type"] for b in page.body])
        for (label, _build, kind, fields), blocks in zip(PLACES, groups, strict=False):
            signature, problem = place_outcome(label, kind, fields, blocks, payload)
            count(label, signature)
            if problem:
                lost.append(problem)
        # What the front matter adds: the collaborators at the end of the body and the call
        # to action in the page's own field.
        trailing = [*groups[-1], *page.call_to_action.raw_data]
        count("front matter: collaborators, call to action", "+".join(b["type"] for b in trailing))
        # Stored as a block, or, where a value is beyond the block's own limits (the button's
        # words at most 80 characters), the whole source kept verbatim at the end of the body.
        cta = next((b for b in page.call_to_action.raw_data if b["type"] == "call_to_action"), None)
        kept = [
            yaml.safe_load(b["value"]["source"])["call_to_action"]
            for b in groups[-1]
            if b["type"] == "verbatim" and b["value"]["source"].startswith("call_to_action:")
        ]
        if cta is not None:
            stored = (cta["value"]["text"], cta["value"]["image_alt"])
            count("front-matter call to action", "stored")
        elif kept:
            stored = (kept[0]["text"].strip(), kept[0]["image_alt"])
            count("front-matter call to action", "kept verbatim")
        else:
            stored = None
        if stored != (payload.strip(), payload):
            lost.append(f"front-matter call to action: {payload!r}")

        service, found = reader_risks(client, page, hosts)
        risks.update({f"{n} {where}": problems for where, problems in found.items()})
        assert [c["slug"] for c in service["collaborators"]] == (
            [] if collaborator_report["errors"] else [f"c{n}"]
        )

    assert risks == {}
    assert lost == []
    assert {place: dict(sorted(counts.items())) for place, counts in outcomes.items()} == (
        EXPECTED_OUTCOMES
    )
    assert sorted(refusals) == EXPECTED_REFUSALS


# How each place took the 130 payloads (block types of the place, in order). A "verbatim"
# block keeps a value the block refused (a URL that is not http(s), a number longer than a
# metric holds, a video that is not YouTube or Vimeo, HTML the sanitiser strips) for an
# editor to review; readers never get it.
EXPECTED_OUTCOMES = {
    "Markdown body": {"markdown": 54, "markdown+verbatim": 15, "verbatim": 59},
    "Markdown image alt and title": {
        "image": 72,
        "markdown": 23,
        "markdown+verbatim": 29,
        "markdown+verbatim+markdown+verbatim": 1,
        "verbatim": 3,
    },
    "author name, position and biography": {"author": 128},
    "call to action URL": {"call_to_action": 8, "call_to_action+verbatim": 120},
    # A label of 99 characters is beyond the button's 80: the tag is kept verbatim, not cut.
    "call to action text and label": {"call_to_action": 127, "verbatim": 1},
    "collaborator": {"file refused": 1},
    "collaborator logo alt": {"stored": 129},
    "collaborator name": {"stored": 129},
    "collaborator web": {"kept in notes": 124, "stored": 5},
    "front matter: collaborators, call to action": {
        "collaborators+call_to_action": 127,
        "collaborators+verbatim": 1,
    },
    "front-matter call to action": {"kept verbatim": 1, "stored": 127},
    "gallery alt, caption and credits": {"gallery": 128},
    "links item URL": {"links": 8, "verbatim": 120},
    "links title and item title": {"links": 128},
    "metrics number and text": {"metrics": 79, "verbatim": 49},
    "page description": {"stored": 128},
    "page image alt": {"stored": 128},
    "page title": {"stored": 128},
    "question": {"questions": 128},
    "quote text and author": {"quote": 128},
    "service": {"file refused": 2},
    "video URL": {"verbatim": 128},
    "video title": {"video": 128},
}
# Why whole files were refused: the payload with a NUL character (a collaborator and a
# service), and the one holding "%}" inside a tag's arguments, which ends the tag early in
# Liquid as in the importer.
EXPECTED_REFUSALS = [
    "'logo.alt' holds a NUL character (U+0000, written \\0 or \\x00); remove it: it is not "
    "text, and the database cannot store it",
    "a NUL character (U+0000) at column 5; remove it: it is not text, and the database cannot "
    "store it",
    "invalid JSON in the {% quote %} tag: Unterminated string starting at (column 12 of the "
    "tag's arguments)",
]

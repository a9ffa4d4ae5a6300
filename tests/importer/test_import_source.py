"""The source parser on its own: front matter, Liquid tags, Markdown pieces, bad input."""

import json
import random

import pytest
import yaml

from importer.source import (
    Markdown,
    SourceError,
    Tag,
    decode,
    parse_file,
    split_markdown,
    stripped_html,
)

ALLOWED_TAGS = frozenset({"p", "a", "img", "strong", "em", "h1"})
ALLOWED_ATTRS = {"a": frozenset({"href", "title"}), "img": frozenset({"src", "alt", "title"})}


def parse(text: str, path: str = "_services/es/x.md"):
    return parse_file(text.encode("utf-8"), path)


def test_front_matter_body_and_tags_in_order():
    source = parse(
        "---\nslug: a\ntitle: T\n---\nIntro\n\n"
        '{% metrics { "items": [{"text": "Dinero", "number": "1"}] } %}\n\n'
        '{% quote { "author": "Kapipal" } %}Confianza{% endquote %}\n'
        "{% mystery foo bar %}\nEnd\n"
    )
    assert source.front_matter == {"slug": "a", "title": "T"}
    assert source.body_line == 5
    kinds = [(type(s).__name__, getattr(s, "name", None), s.line) for s in source.segments]
    assert kinds == [
        ("Markdown", None, 5),
        ("Tag", "metrics", 7),
        ("Tag", "quote", 9),
        ("Tag", "mystery", 10),
        ("Markdown", None, 10),
    ]
    quote = source.segments[2]
    assert (quote.args, quote.inner) == ({"author": "Kapipal"}, "Confianza")
    unknown = source.segments[3]
    assert (unknown.known, unknown.args, unknown.raw) == (False, None, "{% mystery foo bar %}")


def test_bad_yaml_names_file_and_line():
    with pytest.raises(SourceError) as caught:
        parse("---\nslug: a\ntitle: [unclosed\nimage: x\n---\nBody\n")
    assert str(caught.value).startswith("_services/es/x.md, line 4: invalid YAML in front matter")


def test_bad_json_names_the_line_of_the_tag_in_the_file():
    text = '---\nslug: a\n---\nOne\n\nTwo\n\n{% metrics {\n  "items": [oops]\n} %}\n'
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert str(caught.value) == (
        "_services/es/x.md, line 9: invalid JSON in the {% metrics %} tag: Expecting value "
        "(column 13 of the tag's arguments)"
    )


def test_unclosed_quote_and_non_object_arguments_are_errors():
    with pytest.raises(SourceError, match=r"line 4: \{% quote %\} is never closed"):
        parse("---\nslug: a\n---\n{% quote %}never closed\n")
    with pytest.raises(SourceError, match=r"line 4: the arguments of \{% video %\} must be"):
        parse('---\nslug: a\n---\n{% video ["x"] %}\n')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "line 1: no front matter: the file must start with a '---' line"),
        ("---\nslug: a\n", "line 1: front matter is not closed by a second '---' line"),
        ("---\n- a\n- b\n---\n", "line 2: front matter must be a set of 'key: value' lines"),
        ("---\na: &x [1]\nb: *x\n---\n", "aliases (*name) are not allowed in front matter"),
    ],
)
def test_malformed_front_matter(text, message):
    with pytest.raises(SourceError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_non_utf8_and_enormous_files():
    with pytest.raises(SourceError) as caught:
        decode(b"---\nslug: a\ntitle: Caf\xe9\n---\n", "f.md")
    assert str(caught.value) == (
        "f.md, line 3: file is not valid UTF-8 (byte 0xe9 at byte 22); save it as UTF-8"
    )
    with pytest.raises(SourceError) as caught:
        decode(b"x" * 101, "big.md", max_bytes=100)
    assert str(caught.value) == (
        "big.md: file is too large to be a page (101 bytes; the limit is 100 bytes)"
    )
    assert decode("\ufeff---\r\nslug: a\r\n".encode(), "bom.md") == "---\nslug: a\n"


def test_markdown_pieces():
    text = (
        "# Title\n\nText with ![inline](/media/a.png) image.\n\n# _\n\n"
        '![Alone](/media/b.png "Its title")\n\n# \\-\n\n'
        '<iframe src="https://www.youtube.com/embed/abcdefghijk" title="Vid"></iframe>\n\n'
        '<div style="x">boxed</div>\n\nSome <b>bold</b> words\n\n'
        "```\n<script>in code</script>\n\n# _\n```\n"
    )
    chunks = split_markdown(text, 10, ALLOWED_TAGS, ALLOWED_ATTRS)
    summary = [(c.kind, c.line) for c in chunks]
    assert summary == [
        ("markdown", 10),
        ("separator", 14),
        ("image", 16),
        ("separator", 18),
        ("iframes", 20),
        ("html", 22),
        ("markdown", 24),
        ("html", 24),
        ("markdown", 26),
    ]
    image = chunks[2]
    assert (image.alt, image.src, image.title) == ("Alone", "/media/b.png", "Its title")
    assert chunks[4].iframes == [
        {"src": "https://www.youtube.com/embed/abcdefghijk", "title": "Vid"}
    ]
    assert chunks[5].problems == ["<div>"]
    assert chunks[7].problems == ["<b>"]
    assert chunks[8].text == "```\n<script>in code</script>\n\n# _\n```"


def test_sanitiser_check_ignores_code_and_autolinks():
    assert stripped_html("`<script>` and <https://goteo.org>", ALLOWED_TAGS, ALLOWED_ATTRS) == []
    assert stripped_html(
        '<a href="/x" onclick="y">a</a><!-- c --><form></form>', ALLOWED_TAGS, ALLOWED_ATTRS
    ) == ["<a onclick>", "<form>", "<!-- comment -->"]


def _random_text(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnñopqrstuvwxyzáéíóúç ABCDÉ0123456789,.;:¿?¡!-\"'"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))).strip() or "x"


def test_round_trip_of_generated_files():
    """Whatever front matter and tags we write, parsing gives them back unchanged."""
    rng = random.Random(20240705)
    for _ in range(200):
        front = {
            "slug": f"s-{rng.randint(0, 10**6)}",
            "title": _random_text(rng),
            "description": "\n".join(_random_text(rng) for _ in range(rng.randint(1, 3))),
            "collaborators": [_random_text(rng) for _ in range(rng.randint(0, 3))],
            "image": {"path": f"/media/{rng.randint(0, 99)}.png", "alt": _random_text(rng)},
        }
        expected: list = []
        parts: list[str] = []
        for _ in range(rng.randint(0, 6)):
            choice = rng.random()
            if choice < 0.4:
                text = _random_text(rng).replace("{", "(").replace("%", "p")
                parts.append(text)
                if expected and expected[-1][0] == "md":
                    expected[-1] = ("md", expected[-1][1] + "\n\n" + text)
                else:
                    expected.append(("md", text))
            elif choice < 0.7:
                args = {"items": [{"text": _random_text(rng), "number": str(rng.random())}]}
                parts.append(
                    "{% metrics " + json.dumps(args, ensure_ascii=rng.random() < 0.5) + " %}"
                )
                expected.append(("metrics", args, None))
            else:
                args = {"author": _random_text(rng)}
                inner = _random_text(rng).replace("{", "(")
                parts.append("{% quote " + json.dumps(args) + " %}" + inner + "{% endquote %}")
                expected.append(("quote", args, inner))
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + "\n\n".join(parts)
        source = parse(text)
        assert source.front_matter == front
        got = [
            ("md", s.text.strip()) if isinstance(s, Markdown) else (s.name, s.args, s.inner)
            for s in source.segments
        ]
        assert got == expected
        assert all(isinstance(s, Markdown | Tag) for s in source.segments)


@pytest.mark.django_db
def test_the_command_says_where_the_report_went(run_import, write_site, tmp_path):
    site = write_site({"_collaborators/es/coop.md": "---\nslug: coop\ntitle: La Coop\n---\n"})
    run = run_import(site)
    reports = sorted(tmp_path.glob("report-*.json"))
    assert run.stdout.rstrip().splitlines()[-1] == f"Report written to {reports[-1].resolve()}"

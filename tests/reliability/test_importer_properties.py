"""Property-based tests of the importer: any input gives a clean result or a clear error.

The parser (importer/source.py) must answer every input with a parsed file or a
``SourceError`` naming the file (and the line when there is one), never another
exception. The whole command must leave nothing of a file that fails.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.models import ImportRecord
from importer.source import SourceError, parse_file, split_markdown
from importer.tags import TAG_FIELDS
from services.models import ServicePage

PATH = "_services/es/x.md"
FAST = settings(max_examples=150, deadline=None)

yaml_scalars = st.one_of(
    st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
# Lines that look like YAML: keys, lists, quotes, anchors, tabs and stray colons.
yaml_lines = st.lists(
    st.one_of(
        st.text(alphabet="abc: -'\"[]{}&*!|>#\t%@`,?", max_size=20),
        st.builds(lambda k, v: f"{k}: {v}", st.text(max_size=10), st.text(max_size=20)),
    ),
    max_size=8,
)
# Text YAML accepts unescaped (it refuses control characters and surrogates).
printable = st.text(st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=10)
tag_names = st.sampled_from([*sorted(TAG_FIELDS), "unknown_tag", "endquote"])
tag_args = st.one_of(
    st.text(max_size=40),
    st.builds(json.dumps, yaml_values),
    st.builds(lambda d: json.dumps(d)[:-1], st.dictionaries(st.text(max_size=5), yaml_scalars)),
)


def check(data: bytes):
    """Parse ``data``: a SourceFile, or a SourceError naming the file and a real line."""
    try:
        source = parse_file(data, PATH)
    except SourceError as error:
        assert str(error).startswith(PATH)  # noqa: PT017
        assert error.message  # noqa: PT017
        # A lone CR ends a line too (old Mac files), as the importer reads it.
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        assert error.line is None or 1 <= error.line <= lines  # noqa: PT017
        return None
    assert isinstance(source.front_matter, dict)
    return source


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(data):
    check(data)


@FAST
@given(st.binary(max_size=200))
def test_random_bytes_after_front_matter(data):
    check(b"---\nslug: x\n---\n" + data)


@FAST
@given(yaml_lines, st.text(max_size=80))
def test_random_front_matter(lines, body):
    check(("---\n" + "\n".join(lines) + "\n---\n" + body).encode())


@FAST
@given(
    st.dictionaries(
        printable,
        st.one_of(
            printable, st.integers(), st.booleans(), st.none(), st.lists(printable, max_size=3)
        ),
        max_size=6,
    )
)
def test_any_yaml_mapping_is_read_back(front_matter):
    # ensure_ascii=False: YAML reads a JSON surrogate pair as two lone surrogates.
    text = "---\n" + json.dumps(front_matter, ensure_ascii=False) + "\n---\nTexto.\n"
    source = check(text.encode())
    assert source is not None
    assert source.front_matter == front_matter


@FAST
@given(st.lists(st.tuples(tag_names, tag_args, st.text(max_size=30)), max_size=5))
def test_random_tag_arguments(tags):
    body = "".join(f"{{% {name} {args} %}}\n{text}\n" for name, args, text in tags)
    source = check(("---\nslug: x\n---\n" + body).encode())
    if source is not None:
        allowed = {"p": frozenset({"class"})}
        for segment in source.segments:
            if hasattr(segment, "text"):
                split_markdown(segment.text, segment.line, frozenset({"p", "a"}), allowed)


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_random_markdown_passages(text):
    chunks = split_markdown(text, 1, frozenset({"p", "a"}), {"a": frozenset({"href"})})
    assert {chunk.kind for chunk in chunks} <= {"markdown", "separator", "image", "iframes", "html"}


def service_file(slug: str, title: str, description: str, body: str) -> str:
    front = {"layout": "service", "slug": slug, "title": title, "description": description}
    return "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body + "\n"


bodies = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.builds(lambda n, a: f"{{% {n} {a} %}}", tag_names, tag_args),
        st.just('{% quote {"author": "A"} %}Cita{% endquote %}'),
        st.just("![x](/media/missing.png)"),
        st.just('<iframe src="https://www.youtube.com/embed/5bzfj2IkznQ"></iframe>'),
    ),
    max_size=4,
).map("\n\n".join)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=st.text(min_size=1, max_size=40).filter(str.strip),
    description=st.text(max_size=60),
    body=bodies,
)
def test_a_failed_file_leaves_no_partial_page(run_import, write_site, title, description, body):
    ServicePage.objects.filter(slug="fuzz").delete()
    ImportRecord.objects.filter(slug="fuzz").delete()
    site = write_site({"_services/es/fuzz.md": service_file("fuzz", title, description, body)})
    run = run_import(site)
    status = run.file("_services/es/fuzz.md")["status"]
    pages = ServicePage.objects.filter(slug="fuzz").count()
    records = ImportRecord.objects.filter(slug="fuzz").count()
    if status == "error":
        assert (pages, records) == (0, 0)
        errors = run.file("_services/es/fuzz.md")["errors"]
        assert errors
        assert all(e.startswith("_services/es/fuzz.md") for e in errors)
    else:
        assert (status, pages, records) == ("created", 1, 1)

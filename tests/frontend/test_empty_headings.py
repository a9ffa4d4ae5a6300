"""A page body shows no heading with nothing under it (the frontend's dropEmptyHeadings,
run by Node on linkedom exactly as the server-side renderer runs it; the browser runs the
same module)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("empty_headings.mjs")

pytestmark = pytest.mark.skipif(
    NODE is None or not (ROOT / "frontend/node_modules/linkedom").is_dir(),
    reason="Node.js and frontend/node_modules (scripts/bootstrap) are needed",
)

# (body HTML, what is left of it)
CASES = [
    # The source's "Related projects" heading closing a Markdown block, then a block with
    # its own title: the heading is empty and goes; the block stays.
    (
        '<div class="prose"><h2>Goteo</h2><p>Texto.</p><h2>Proyectos relacionados</h2></div>'
        '<section><h2>Colaboradores</h2><img src="/media/a.png" alt="A"></section>',
        '<div class="prose"><h2>Goteo</h2><p>Texto.</p></div>'
        '<section><h2>Colaboradores</h2><img src="/media/a.png" alt="A"></section>',
    ),
    # A heading whose only sub-heading is empty is empty too.
    ("<h2>A</h2><h3>B</h3><h2>C</h2><p>c</p>", "<h2>C</h2><p>c</p>"),
    # A sub-heading with words under it keeps its section.
    ("<h2>A</h2><h3>B</h3><p>b</p>", "<h2>A</h2><h3>B</h3><p>b</p>"),
    # A heading that introduces the next block (metrics) is not empty.
    (
        '<div class="prose"><h2>Cifras</h2></div><ul class="metrics"><li>83 %</li></ul>',
        '<div class="prose"><h2>Cifras</h2></div><ul class="metrics"><li>83 %</li></ul>',
    ),
    # Media without words are content; a separator is not.
    (
        '<h2>Vídeo</h2><figure><iframe src="https://x"></iframe></figure><h2>Fin</h2><hr>',
        '<h2>Vídeo</h2><figure><iframe src="https://x"></iframe></figure><hr>',
    ),
    # Whitespace is not content; nothing else is touched.
    ("<p>Solo texto.</p><h4> </h4>\n  <h2>Final</h2>  ", "<p>Solo texto.</p>\n    "),
]


def test_headings_with_nothing_under_them_are_dropped():
    result = subprocess.run(  # noqa: S603 - our own harness
        [NODE, str(HARNESS)],
        input=json.dumps([html for html, _ in CASES]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(result.stdout) == [left for _, left in CASES]

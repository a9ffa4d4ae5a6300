"""wagtail-markdown's rendering, with its parser built once per thread.

``wagtailmarkdown.utils.render_markdown`` builds a Python-Markdown parser, with every
extension, and copies its sanitiser's options for each text it renders: most of the time
of a page with a few Markdown blocks. The same parser and the same options, made once per
thread from wagtail-markdown's own helpers (private: this module is the one place that
uses them, and tests/graphql_api/test_markdown_engine.py checks every release we pin gives
the same HTML as ``render_markdown``). The parser is reset before each text, as
Python-Markdown documents for reuse: nothing of one text reaches the next.
"""

import threading

import markdown
import nh3
from django.utils.encoding import smart_str
from wagtailmarkdown.utils import _get_markdown_kwargs, _get_nh3_kwargs

_local = threading.local()


def _engine() -> tuple[markdown.Markdown, dict]:
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = (markdown.Markdown(**_get_markdown_kwargs()), _get_nh3_kwargs())
    return engine


def render(source: str) -> str:
    """Markdown to sanitised HTML, as ``wagtailmarkdown.utils.render_markdown`` gives it."""
    parser, sanitiser = _engine()
    parser.reset()
    return nh3.clean(parser.convert(smart_str(source)), **sanitiser)

"""The one form of a site path the CMS compares: as Wagtail stores it in ``url_path``.

A path can reach the CMS percent-encoded (a link, a browser's address bar, a webhook's URL)
or decoded (a file name, a path typed by hand), and its accented letters composed (NFC,
"í" as one character) or decomposed (NFD, "i" then a combining accent, as some systems
write file names). Every lookup by path reads it through ``site_path`` first.
"""

import unicodedata
from urllib.parse import unquote


def site_path(path: str) -> str:
    """``path`` with its percent-encoding undone and its characters composed (NFC)."""
    return unicodedata.normalize("NFC", unquote(path))


class ComposedSlugMixin:
    """A page's slug, and so its ``url_path``, is stored composed (NFC), whatever form the
    editor's keyboard or an imported file name gave: a path looked up through ``site_path``
    finds it. Wagtail cleans a page (``full_clean`` when live, ``minimal_clean`` for a draft)
    before it sets the ``url_path``."""

    def _compose_slug(self) -> None:
        if self.slug:
            self.slug = unicodedata.normalize("NFC", self.slug)

    def full_clean(self, *args, **kwargs):
        self._compose_slug()
        return super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self._compose_slug()
        return super().minimal_clean()

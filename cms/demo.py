"""Demo content in Spanish and English: the "Crowdfunding cívico" service page, a project
that names it (with its state, two team members and a collaborator) and a category that
groups it, whose call to action comes from a call-to-action file.

The content lives in ``demo_content/`` in the source site's own format (Jekyll front matter,
Markdown and Liquid tags, with the team's own small images) and is loaded through the
importer, so the demo exercises the real import. Loading twice changes nothing.
"""

from pathlib import Path

from services.models import ServicePage

from .importer.run import ImportFailure, Options, run_import
from .site_structure import ensure_site_structure

DEMO_CONTENT = Path(__file__).resolve().parent / "demo_content"
SERVICE_SLUG = "democratic-funding"


def load_demo(*, progress=None) -> ServicePage:
    """Import the demo site; return the Spanish service page (with its English translation)."""
    structure = ensure_site_structure()
    report = run_import(Options(source_dir=DEMO_CONTENT, contact_url="#contact"), progress)
    if report.error_count:
        errors = "; ".join(e for f in report.files for e in f.errors)
        raise ImportFailure(f"the demo content did not import: {errors}")
    index = structure.service_indexes["es"]
    return ServicePage.objects.child_of(index).get(slug=SERVICE_SLUG)

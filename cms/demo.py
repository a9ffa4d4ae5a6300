"""Demo content in Spanish, English and Catalan: the "Crowdfunding cívico" service page, a project
that names it (with its state, two team members and a collaborator), a category that
groups it, the home page's hero and sections, generic pages (about us, contact, legal
notice, privacy policy, 404), interface texts, menus, the newsletter block, social links and
a contact form (``_call_to_actions/contact-demo.md``) that every call to action opens.

The content lives in ``demo_content/`` in the source site's own format (Jekyll front matter,
Markdown and Liquid tags, with the team's own small images) and is loaded through the
importer, so the demo exercises the real import. Loading twice changes nothing.
"""

from pathlib import Path

from importer.run import ImportFailure, Options, run_import
from services.models import ServicePage

from .site_structure import ensure_site_structure

DEMO_CONTENT = Path(__file__).resolve().parent / "demo_content"
SERVICE_SLUG = "democratic-funding"
DEMO_FORM = "cta-contact-demo"


def load_demo(*, progress=None) -> ServicePage:
    """Import the demo site; return the Spanish service page (with its English and Catalan
    translations)."""
    structure = ensure_site_structure()
    # The demo service's and project's buttons open the demo's own contact form.
    options = Options(source_dir=DEMO_CONTENT, contact_url="#contact", default_form=DEMO_FORM)
    report = run_import(options, progress)
    if report.error_count:
        errors = "; ".join(e for f in report.files for e in f.errors)
        raise ImportFailure(f"the demo content did not import: {errors}")
    index = structure.service_indexes["es"]
    return ServicePage.objects.child_of(index).get(slug=SERVICE_SLUG)

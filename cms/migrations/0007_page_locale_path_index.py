"""An index on Wagtail's page table for the API's lists: (locale_id, path).

Every list the API serves is one language's pages in the editors' order (the tree path):
with this index the database walks that language's pages in path order and stops at the
page size, where it otherwise read and sorted every page of the language (measured in
docs/benchmarks/api.md: 20 of 10,000 services). Wagtail's own indexes are on locale_id and
on path separately. Plain SQL because the table belongs to Wagtail's app; the same
statement works on SQLite and PostgreSQL.
"""

from django.db import migrations

INDEX = "civic_page_locale_path"


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_homepage_collaborators_title_homepage_hero_title_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (locale_id, path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]

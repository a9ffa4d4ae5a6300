"""Store the Markdown HTML of the rows saved before models stored it (cms.markdown_html)."""

from django.db import migrations

from cms.markdown_html import store_everywhere


def store(apps, schema_editor):
    store_everywhere(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0009_rendered_markdown"),
        ("categories", "0005_rendered_markdown"),
        ("generic", "0004_rendered_markdown"),
        ("projects", "0006_rendered_markdown"),
        ("services", "0005_rendered_markdown"),
        ("sitewide", "0002_rendered_markdown"),
    ]

    operations = [migrations.RunPython(store, migrations.RunPython.noop)]

"""Stored texts end their lines with LF (cms.text): the rows saved before saves
normalised them, and wagtail-localize's source strings, their translations kept."""

from django.db import migrations


def forwards(apps, schema_editor):
    from cms.text import normalise_source_strings, normalise_stored

    alias = schema_editor.connection.alias
    if normalise_stored(apps, alias) + normalise_source_strings(apps, alias):
        from graphql_api.invalidation import renew_generation

        renew_generation(structure=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_page_locale_path_index"),
        ("services", "0004_call_to_action_at_the_end"),
        ("projects", "0005_call_to_action_at_the_end"),
        ("categories", "0004_alter_categorypage_call_to_action"),
        ("generic", "0003_call_to_action_in_the_text"),
        ("contact", "0001_initial"),
        ("sitewide", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The organisations that took part, chosen from the Collaborator snippets."""

from wagtail.blocks import CharBlock, ListBlock, StructBlock

from .choosers import SnippetChooserBlock


class CollaboratorsBlock(StructBlock):
    """A list of partner organisations, each shown with its logo and a link to its site."""

    title = CharBlock(
        required=False,
        max_length=200,
        help_text="Optional heading above the list.",
        label="Heading",
    )
    collaborators = ListBlock(
        SnippetChooserBlock("cms.Collaborator"),
        min_num=1,
        help_text="The organisations, in the order they should appear.",
        label="Organisations",
    )

    class Meta:
        icon = "group"
        label = "Collaborators"
        template = "blocks/collaborators.html"
        description = "Partner organisations with their logos."
        preview_value = {"title": "Colaboradores", "collaborators": []}

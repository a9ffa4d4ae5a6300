"""How a block is written in the old site's pages: the Liquid tag it is imported from.

A block that the old theme wrote as ``{% name {"key": ...} %}`` declares it here, next to
its own fields and validation: the tag's name, its arguments, the keys of the items of its
list arguments, and whether it encloses Markdown up to ``{% endname %}``. The importer reads
these declarations (and the block's own ``clean`` for the limits); it keeps no copy.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceTag:
    """The Liquid tag a block comes from."""

    name: str
    arguments: tuple[str, ...]
    # For each argument that is a list: the keys each of its items may have.
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The tag wraps Markdown up to {% endname %}: that text is part of the value.
    encloses: bool = False

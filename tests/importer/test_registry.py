"""The registry states each collection once; the importer's tables are views of it."""

from importer.registry import BY_FOLDER, COLLECTIONS, LINK_ROWS, ORDER, PAGES, SNIPPETS


def test_each_collection_is_stated_once_and_references_come_first():
    assert ORDER == (
        "states",
        "members",
        "collaborators",
        "call_to_actions",
        "services",
        "categories",
        "projects",
        "pages",
        "data",
    )
    assert len(BY_FOLDER) == len(COLLECTIONS)
    for collection in COLLECTIONS:
        for field, other in collection.references.items():
            # What a file names is imported before it: its references resolve in one pass.
            assert ORDER.index(other) < ORDER.index(collection.name), (collection.name, field)
        # A link row is kept for a reference, never for a field that is not one.
        assert set(collection.link_rows) <= set(collection.references), collection.name
    assert [(name, model.__name__) for name, model in SNIPPETS.items()] == [
        ("states", "ProjectState"),
        ("members", "Member"),
        ("collaborators", "Collaborator"),
    ]
    assert [(name, model.__name__) for name, model in PAGES.items()] == [
        ("services", "ServicePage"),
        ("categories", "CategoryPage"),
        ("projects", "ProjectPage"),
        ("pages", "StandardPage"),
    ]
    assert sorted(LINK_ROWS) == [
        ("categories", "services"),
        ("projects", "categories"),
        ("projects", "collaborators"),
        ("projects", "members"),
        ("projects", "services"),
    ]

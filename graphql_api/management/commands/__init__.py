"""export_graphql_schema: write or check graphql_api/schema.graphql."""

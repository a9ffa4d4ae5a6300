"""The public GraphQL content API: strawberry types, queries, limits and the view."""

"""Management commands of the GraphQL API."""

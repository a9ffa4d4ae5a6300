"""StreamField blocks for Civic CMS pages, one module per domain."""

"""Errors whose message is meant for the person who wrote the query."""


class ApiError(Exception):
    """A bad argument or an impossible request; its message reaches the client unmasked."""

"""What one API request costs in SQL queries, measured the way a reader can use it.

Nothing is kept between requests but the response cache (turned off here): a request
reads the site, its languages, the restrictions and the renditions it shows every time.

Each query-count test asserts one of three invariants, never which cache holds what:

- **an upper bound per request**: a *cold* request (nothing kept from an earlier one: the
  shared cache cleared, as after a content change) runs at most its budget, below;
- **a listing costs the same for 1 and 50 items** (cold and again);
- **no extra query per block or per reference**: a page that names each kind of thing
  many times costs what a page naming each once costs.

A later request never costs more than the cold one (``cold_then_again`` checks it).
"""

from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

# The most SQL queries one cold request may run, by what it asks for.
# The language each object's text is in, and where its translation stands
# (graphql_api.translations): wagtail-localize's Translations of the objects returned so far,
# with their progress, for any number of objects; once per level of the answer that returns
# new objects (a project, then its state, then its members).
TRANSLATIONS = 1
# A page with every kind of block (service, form, standard page, home page).
PAGE = 12 + 2 * TRANSLATIONS  # the page, the organisations its blocks name
# A project with its state, services, categories, members, collaborators and every block.
PROJECT = 21 + 7 * TRANSLATIONS  # the project, its state, services, members, categories,
# collaborators, and the organisations its blocks name
# A listing: the window of pages as for one page, plus its total count and the date the
# count is kept until.
LISTING_EXTRA = 2
# A category with its services and projects.
CATEGORY = 19 + 3 * TRANSLATIONS  # the category, its services, its projects
# The team: members and the projects each is in.
MEMBERS = 10 + 2 * TRANSLATIONS  # the members, their projects
# site(locale:): texts, menus, the menus' pages, social links, the home page.
SITE = 12 + TRANSLATIONS
# paths(): the pages a static build renders.
PATHS = 10
# redirect(path:): the old URL and the page it leads to.
REDIRECT = 10


def cost(graphql, query: str, variables: dict | None = None, **extra) -> tuple[int, dict]:
    """Run one request; return how many SQL queries it ran, and its decoded answer (which
    must have no error)."""
    # Each request clears the query log when it starts; a log already longer than the
    # request's own queries would make the capture slice empty.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = graphql(query, variables, **extra)
    assert "errors" not in response, response["errors"]
    return len(captured.captured_queries), response


def cold_cost(graphql, query: str, variables: dict | None = None, **extra) -> tuple[int, dict]:
    """The cost of a request with nothing kept from an earlier one."""
    cache.clear()
    return cost(graphql, query, variables, **extra)


def cold_then_again(graphql, query: str, variables: dict | None = None) -> tuple[int, int, dict]:
    """A cold request, then the same again: (cold cost, later cost, answer). The answers are
    the same and the later request costs no more than the cold one."""
    cold, answer = cold_cost(graphql, query, variables)
    again, repeated = cost(graphql, query, variables)
    assert repeated == answer
    assert again <= cold, (again, cold)
    return cold, again, answer

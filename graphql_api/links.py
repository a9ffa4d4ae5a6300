"""Links between content, followed for readers: visible targets only, in the reader's language.

A project stores the services, categories, members and collaborators it names as link
rows; a category stores its services. A row points at ONE language version of its target
(wagtail-localize copies rows unchanged into translations, as it does for page links), so
every link is followed by translation key: the target shown is its visible version that
comes first in the reader's language chain, once per translation key.

The reader's chain travels with every object the API returns (``api_chain``): the asked
language, then its fallbacks when the query asked for them. Linked objects inherit the
chain of the object that links them. A page without one (a page by id in any language, a
search result, a preview) uses its own language; a snippet (member, collaborator) always
falls back along its language's configured chain, as snippets fall back to the default
language.

Reverse links (the projects of a service, member, category or collaborator) read the link
rows of visible owners only, and name every version of the target: a project naming the
Spanish version of a service is among the projects of its English version. A project is
listed in the version the reader's chain picks, when that version itself names the target
(as that version's own list of services shows), so both directions agree.

Everything is batched per request (``LinkLoader``): one query for the rows of every object
of one kind the request has seen, one for the targets, whatever the number of objects.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q
from wagtail.models import Locale, Page

from cms.links import collaborator_ids

from .hooks import visible
from .locales import fallback_chain, pick_best

if TYPE_CHECKING:
    import strawberry

    from .loading import ContentLoader
    from .visibility import Visibility

CHAIN = "api_chain"
# The same chain as language codes, annotated on the rows of a list (pagination.for_reader).
CHAIN_CODES = "api_chain_codes"
Chain = tuple[Locale, ...]


@dataclass(frozen=True)
class Link:
    """A kind of link row: the model, its field to the owner and its field to the target."""

    through: type[Model]
    owner: str
    target: str
    related_name: str

    @property
    def owner_model(self) -> type[Model]:
        return self.through._meta.get_field(self.owner).related_model

    @property
    def target_model(self) -> type[Model]:
        return self.through._meta.get_field(self.target).related_model


@cache
def links() -> dict[str, Link]:
    """Every kind of link row the API follows, by name (imported once the apps are ready)."""
    from categories.models import CategoryService
    from projects.models import ProjectCategory, ProjectCollaborator, ProjectMember, ProjectService

    return {
        "project.services": Link(ProjectService, "project", "service", "service_links"),
        "project.categories": Link(ProjectCategory, "project", "category", "category_links"),
        "project.members": Link(ProjectMember, "project", "member", "member_links"),
        "project.collaborators": Link(
            ProjectCollaborator, "project", "collaborator", "collaborator_links"
        ),
        "category.services": Link(CategoryService, "category", "service", "service_links"),
    }


# Chains ------------------------------------------------------------------------------------


def with_chain(objects: Iterable[Any], chain: Iterable[Locale]) -> list:
    """``objects`` marked with the reader's language chain (copied where already marked
    with another one: the same row may be shown to two chains in one answer)."""
    chain = tuple(chain)
    marked = []
    for obj in objects:
        current = getattr(obj, CHAIN, None)
        if current is not None and current != chain:
            obj = copy.copy(obj)
        setattr(obj, CHAIN, chain)
        marked.append(obj)
    return marked


def chain_of(visibility: Visibility, obj: Any) -> Chain:
    """The reader's chain of ``obj``: the one it was served with, else its own language
    (a page) or its language's fallback chain (a snippet)."""
    chain = getattr(obj, CHAIN, None)
    if chain:
        return chain
    codes = getattr(obj, CHAIN_CODES, None)
    if codes:
        return tuple(
            visibility.locales[code] for code in codes.split(",") if code in visibility.locales
        )
    own = visibility.locales_by_id.get(obj.locale_id)
    if own is None:
        return ()
    if isinstance(obj, Page):
        return (own,)
    return tuple(fallback_chain(visibility, own, True))


def snippet_chain(visibility: Visibility, chain: Iterable[Locale]) -> Chain:
    """A chain for snippets: ``chain``, then the default language."""
    chain = tuple(chain)
    default = visibility.default_locale
    if default is not None and default not in chain:
        chain += (default,)
    return chain


def _target_chain(visibility: Visibility, model: type[Model], chain: Chain) -> Chain:
    return chain if issubclass(model, Page) else snippet_chain(visibility, chain)


# Orders ------------------------------------------------------------------------------------


def project_order(project: Any) -> tuple:
    """Newest first (by the project's date; undated last), then by title."""
    date = project.date
    return (date is None, -date.timestamp() if date else 0, project.title.lower(), project.pk)


def tree_order(page: Any) -> tuple:
    return (page.path,)


def _order_for(model: type[Model]) -> Callable[[Any], tuple]:
    from projects.models import ProjectPage

    return project_order if issubclass(model, ProjectPage) else tree_order


# The loader --------------------------------------------------------------------------------


class LinkLoader:
    """Follows the links of every object a request returns, one batch per kind of link."""

    def __init__(self, visibility: Visibility, loader: ContentLoader) -> None:
        self.visibility = visibility
        self.loader = loader
        self._seen: dict[type, dict[int, Any]] = defaultdict(dict)
        self._done: dict[str, dict[int, list]] = defaultdict(dict)

    def add(self, objects: Iterable[Any]) -> None:
        """Objects returned to the reader: their links are followed together."""
        for obj in objects:
            self._seen[type(obj)][id(obj)] = obj

    def seen(self) -> Iterable[Any]:
        """Every object returned to the reader so far in this request."""
        for objects in self._seen.values():
            yield from objects.values()

    def returned(self, objects: list) -> list:
        """Objects a resolver returns: pages load their content together, snippets' images
        (logos, photos) load with the other images, and links are followed together."""
        self.add(objects)
        self.loader.add_pages(o for o in objects if isinstance(o, Page))
        self.loader.want_images(
            getattr(o, "logo_id", None) or getattr(o, "photo_id", None) for o in objects
        )
        return objects

    def _batch(self, name: str, obj: Any) -> list[Any] | None:
        """The objects of ``obj``'s kind whose ``name`` links are still to follow, or None
        when ``obj``'s are known."""
        done = self._done[name]
        if id(obj) in done:
            return None
        self.add([obj])
        return [o for key, o in self._seen[type(obj)].items() if key not in done]

    def _finish(self, info: strawberry.Info, name: str, found: dict[int, list]) -> None:
        for key, objects in found.items():
            self._done[name][key] = self.returned(objects)

    # Forward: the objects an owner's link rows name --------------------------------------

    def forward(self, info: strawberry.Info, owner: Any, name: str) -> list:
        """The visible targets of ``owner``'s ``name`` link rows, in the rows' order."""
        batch = self._batch(name, owner)
        if batch is not None:
            self._finish(info, name, self._forward(info, batch, links()[name]))
        return self._done[name][id(owner)]

    def _forward(self, info: strawberry.Info, owners: list, link: Link) -> dict[int, list]:
        keys_of: dict[int, list[str]] = {}
        live = [o for o in owners if not getattr(o, "api_draft", False)]
        if live:
            rows = (
                link.through.objects.filter(**{f"{link.owner}_id__in": {o.pk for o in live}})
                .order_by(f"{link.owner}_id", "sort_order", "pk")
                .values_list(f"{link.owner}_id", f"{link.target}__translation_key")
            )
            by_owner: dict[int, list[str]] = defaultdict(list)
            for owner_id, key in rows:
                by_owner[owner_id].append(key)
            for o in live:
                keys_of[id(o)] = by_owner.get(o.pk, [])
        drafts = [o for o in owners if getattr(o, "api_draft", False)]
        if drafts:
            # A preview's rows are the draft's, held in memory by the revision's content.
            ids = {
                id(o): [
                    getattr(row, f"{link.target}_id") for row in getattr(o, link.related_name).all()
                ]
                for o in drafts
            }
            wanted = {pk for pks in ids.values() for pk in pks}
            key_of = dict(
                link.target_model.objects.filter(pk__in=wanted).values_list("pk", "translation_key")
            )
            for o in drafts:
                keys_of[id(o)] = [key_of[pk] for pk in ids[id(o)] if pk in key_of]
        chains = {
            id(o): _target_chain(self.visibility, link.target_model, chain_of(self.visibility, o))
            for o in owners
        }
        versions = self._versions(
            info, link.target_model, {k for ks in keys_of.values() for k in ks}, chains.values()
        )
        found: dict[int, list] = {}
        for o in owners:
            chosen = []
            for key in dict.fromkeys(keys_of[id(o)]):
                best = pick_best(versions.get(key, []), list(chains[id(o)]))
                if best is not None:
                    chosen.append(best)
            found[id(o)] = with_chain(chosen, chain_of(self.visibility, o))
        return found

    def _versions(
        self,
        info: strawberry.Info,
        model: type[Model],
        keys: set[str],
        chains: Iterable[Chain],
    ) -> dict[str, list]:
        """The visible versions of ``keys`` in the languages of ``chains``, by key."""
        locale_ids = {loc.pk for chain in chains for loc in chain}
        if not keys or not locale_ids:
            return {}
        found: dict[str, list] = defaultdict(list)
        queryset = model.objects.filter(translation_key__in=keys, locale_id__in=locale_ids)
        for obj in visible(info, queryset):
            found[obj.translation_key].append(obj)
        return found

    # Reverse: the owners whose link rows name an object ----------------------------------

    def reverse(self, info: strawberry.Info, target: Any, name: str) -> list:
        """The visible owners whose ``name`` link rows name any version of ``target``."""
        key = f"{name}:reverse"
        batch = self._batch(key, target)
        if batch is not None:
            self._finish(info, key, self._reverse(info, batch, links()[name]))
        return self._done[key][id(target)]

    def _reverse(self, info: strawberry.Info, targets: list, link: Link) -> dict[int, list]:
        owner_model = link.owner_model
        keys = {t.translation_key for t in targets}
        # Only the rows of visible owners: a draft or private version's rows name nothing.
        owners = visible(info, owner_model.objects.all()).values("pk")
        rows = (
            link.through.objects.filter(
                **{f"{link.target}__translation_key__in": keys, f"{link.owner}__in": owners}
            )
            .values_list(
                f"{link.target}__translation_key",
                f"{link.owner}_id",
                f"{link.owner}__translation_key",
            )
            .order_by()  # not the rows' sort_order: DISTINCT would keep it in each row
            .distinct()
        )
        named: dict[str, set[str]] = defaultdict(set)
        naming: set[tuple[str, int]] = set()
        for target_key, owner_id, owner_key in rows:
            named[target_key].add(owner_key)
            naming.add((target_key, owner_id))
        return self._owners(info, targets, owner_model, named, naming)

    def _owners(
        self,
        info: strawberry.Info,
        targets: list,
        owner_model: type[Model],
        named: dict[str, Iterable[str]],
        naming: set[tuple[str, int]],
    ) -> dict[int, list]:
        """For each target, the best version of each owner key ``named`` lists for it, kept
        when that version itself names the target (``naming``: (target key, owner id)): a
        reader sees the projects whose shown version names the service, as the project's
        own list of services shows it."""
        chains = {id(t): chain_of(self.visibility, t) for t in targets}
        versions = self._versions(
            info, owner_model, {k for ks in named.values() for k in ks}, chains.values()
        )
        order = _order_for(owner_model)
        found: dict[int, list] = {}
        for t in targets:
            chosen = []
            for owner_key in named.get(t.translation_key, ()):
                best = pick_best(versions.get(owner_key, []), list(chains[id(t)]))
                if best is not None and (t.translation_key, best.pk) in naming:
                    chosen.append(best)
            found[id(t)] = with_chain(sorted(chosen, key=order), chains[id(t)])
        return found

    # A collaborator's services: named in the services' bodies ----------------------------

    def services_naming(self, info: strawberry.Info, collaborator: Any) -> list:
        """The visible service pages whose body's collaborators blocks name any version of
        ``collaborator``."""
        key = "collaborator.services"
        batch = self._batch(key, collaborator)
        if batch is not None:
            self._finish(info, key, self._services_naming(info, batch))
        return self._done[key][id(collaborator)]

    def _services_naming(self, info: strawberry.Info, collaborators: list) -> dict[int, list]:
        from cms.models import Collaborator
        from services.models import ServicePage

        keys = {c.translation_key for c in collaborators}
        key_of = dict(
            Collaborator.objects.filter(translation_key__in=keys).values_list(
                "pk", "translation_key"
            )
        )
        # Every visible service in every language: a version names the collaborator for
        # all its versions, as a link row does. Services are few; their raw JSON is read,
        # no block is built.
        named: dict[str, list[str]] = defaultdict(list)
        naming: set[tuple[str, int]] = set()
        for service_id, service_key, body in (
            visible(info, ServicePage.objects.all())
            .order_by("path")
            .values_list("pk", "translation_key", "body")
        ):
            for pk in collaborator_ids(body.raw_data if body is not None else []):
                collaborator_key = key_of.get(pk)
                if collaborator_key is None:
                    continue
                naming.add((collaborator_key, service_id))
                if service_key not in named[collaborator_key]:
                    named[collaborator_key].append(service_key)
        return self._owners(info, collaborators, ServicePage, named, naming)

    # A project's state -------------------------------------------------------------------

    def state(self, info: strawberry.Info, project: Any) -> Any:
        """The project's state in the reader's language, else the default language."""
        from projects.models import ProjectState

        key = "project.state"
        batch = self._batch(key, project)
        if batch is not None:
            ids = {p.state_id for p in batch if p.state_id}
            chains = {
                id(p): snippet_chain(self.visibility, chain_of(self.visibility, p)) for p in batch
            }
            locale_ids = {loc.pk for chain in chains.values() for loc in chain}
            same = ProjectState.objects.filter(pk__in=ids).values("translation_key")
            states = (
                list(
                    visible(
                        info,
                        ProjectState.objects.filter(
                            Q(pk__in=ids) | Q(translation_key__in=same, locale_id__in=locale_ids)
                        ),
                    )
                )
                if ids
                else []
            )
            by_pk = {s.pk: s for s in states}
            by_key: dict[str, list] = defaultdict(list)
            for s in states:
                by_key[s.translation_key].append(s)
            found = {}
            for p in batch:
                chosen = by_pk.get(p.state_id)
                if chosen is not None:
                    chosen = (
                        pick_best(by_key[chosen.translation_key], list(chains[id(p)])) or chosen
                    )
                found[id(p)] = with_chain([chosen], chain_of(self.visibility, p)) if chosen else []
            self._finish(info, key, found)
        states = self._done[key][id(project)]
        return states[0] if states else None

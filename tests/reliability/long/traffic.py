"""Readers for the long runs: threads that send a mix of requests and check every answer.

Each kind of request is a query a frontend sends (or the rendered page). Before a run,
``Traffic.learn`` keeps one answer of each kind as its reference, with the version
markers (see content.py) masked; during the run every 200 answer must equal its
reference once masked (the whole body, not a part of it), carry as many markers as the
reference, and all of them the same version. A 304 answers for the body its ETag was
given with, so it carries that body's version.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests

from tests.reliability.long.content import MARKER, SLUG

PAGE_PATH = f"/es/services/{SLUG}/"

SERVICE = """query Service($slug: String!, $locale: String) {
  service(slug: $slug, locale: $locale) {
    id title slug url seoTitle searchDescription
    locale { code }
    description { markdown html }
    image { url alt width height rendition(preset: CARD) { url width height } }
    translations { locale { code } title url }
    collaborators { slug name url }
    breadcrumbs { title url }
    body {
      __typename id blockType
      ... on MarkdownBlock { markdown html }
      ... on MetricsBlock { metrics { number text } }
      ... on QuoteBlock { text { markdown html } author }
      ... on CollaboratorsBlock { title collaborators { slug name url } }
      ... on CallToActionBlock { text { markdown html } buttonLabel url }
    }
  }
}"""

LISTING = """query Listing($first: Int, $locale: String) {
  services(first: $first, locale: $locale) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title url searchDescription description { html } } }
  }
}"""

BY_PATH = """query ByPath($path: String!) {
  page(path: $path) {
    __typename id title url
    ... on ServicePage {
      searchDescription
      description { html }
      body {
        __typename id
        ... on MarkdownBlock { html }
        ... on MetricsBlock { metrics { number text } }
        ... on QuoteBlock { text { html } author }
      }
    }
  }
}"""

# What an answer must never show: a traceback or the database's own words.
LEAKS = ("Traceback", 'File "/', "psycopg", "OperationalError", "InterfaceError", "postgres")
REREGISTERED = "persisted query not found (registered again)"

SERVICE_VARIABLES = {"slug": SLUG, "locale": "es"}
LISTING_VARIABLES = {"first": 20, "locale": "es"}
PATH_VARIABLES = {"path": PAGE_PATH}


def _get_params(query: str | None, variables: dict, persisted: str | None = None) -> str:
    params = {"variables": json.dumps(variables)}
    if query:
        params["query"] = query
    if persisted:
        digest = hashlib.sha256(persisted.encode()).hexdigest()
        params["extensions"] = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    return "/graphql/?" + urlencode(params)


@dataclass(frozen=True)
class Kind:
    """One kind of request: how to send it."""

    name: str
    method: str
    path: str
    body: dict | None = None
    conditional: bool = False  # send If-None-Match with the last ETag seen

    def send(self, session: requests.Session, base: str, etag: str | None, timeout: float):
        headers = {}
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        if self.conditional and etag:
            headers["If-None-Match"] = etag
        data = json.dumps(self.body) if self.body is not None else None
        if data and "{nonce}" in data:
            data = data.replace("{nonce}", uuid.uuid4().hex)
        return session.request(
            self.method,
            base + self.path,
            data=data,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
        )


KINDS = [
    Kind("graphql_post_service", "POST", "/graphql/",
         {"query": SERVICE, "variables": SERVICE_VARIABLES}),
    Kind("graphql_post_listing", "POST", "/graphql/",
         {"query": LISTING, "variables": LISTING_VARIABLES}),
    Kind("graphql_post_page_path", "POST", "/graphql/",
         {"query": BY_PATH, "variables": PATH_VARIABLES}),
    Kind("graphql_get_cached_service", "GET", _get_params(SERVICE, SERVICE_VARIABLES),
         conditional=True),
    Kind("graphql_get_persisted_page_path", "GET",
         _get_params(None, PATH_VARIABLES, persisted=BY_PATH), conditional=True),
    Kind("html_page", "GET", PAGE_PATH),
]  # fmt: skip
# The full service query under variables the response cache has never seen (an extra
# variable the query ignores): always computed, like the first request for new content.
UNCACHED = Kind(
    "graphql_post_uncached_service",
    "POST",
    "/graphql/",
    {"query": SERVICE, "variables": {**SERVICE_VARIABLES, "nonce": "{nonce}"}},
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
# A persisted query's text, sent once to register its hash (and again if the cache lost it).
REGISTER = {"graphql_get_persisted_page_path": _get_params(BY_PATH, PATH_VARIABLES, BY_PATH)}


@dataclass
class Reference:
    masked: str
    markers: int


@dataclass
class Record:
    kind: str
    start: float
    end: float
    status: int | None
    version: int | None = None
    cache: str = ""
    problem: str = ""


@dataclass
class Traffic:
    """Drives ``kinds`` at ``connections`` concurrent connections and records each answer."""

    base: str
    kinds: list[Kind] = field(default_factory=lambda: list(KINDS))
    connections: int = 32
    timeout: float = 60.0
    expect_versions: bool = True
    # The 503 each kind may answer while the database is down: (Content-Type, body).
    unavailable: dict[str, tuple[str, str]] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)
    etag_versions: dict[str, int | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _halt: threading.Event = field(default_factory=threading.Event)

    # --- references ---------------------------------------------------------------

    def learn(self) -> None:
        """Keep one answer of each kind (and register the persisted queries)."""
        with requests.Session() as session:
            for kind in self.kinds:
                if kind.name in REGISTER:
                    response = session.get(self.base + REGISTER[kind.name], timeout=self.timeout)
                    assert response.status_code == 200, response.text[:2000]
                response = kind.send(session, self.base, None, self.timeout)
                assert response.status_code == 200, (kind.name, response.text[:2000])
                text = response.text
                assert '"errors"' not in text, (kind.name, text[:2000])
                count = len(MARKER.findall(text))
                if self.expect_versions:
                    assert count >= 3, (kind.name, count, text[:2000])
                self.references[kind.name] = Reference(MARKER.sub("LMK", text), count)

    # --- the run ------------------------------------------------------------------

    def check(self, kind: Kind, response: requests.Response, record: Record) -> None:
        record.cache = response.headers.get("X-Civic-Cache", "")
        if response.status_code == 304:
            etag = response.headers.get("ETag", "")
            with self._lock:
                if etag not in self.etag_versions:
                    record.problem = f"304 for an unknown ETag {etag}"
                else:
                    record.version = self.etag_versions[etag]
            return
        text = response.text
        if any(leak in text for leak in LEAKS):
            record.problem = "internals in the answer"
            self.example(f"{kind.name}: {record.problem}", text[:3000])
            return
        if response.status_code == 503 and kind.name in self.unavailable:
            content_type, body = self.unavailable[kind.name]
            seen = (response.headers.get("Content-Type"), response.headers.get("Retry-After"),
                    response.headers.get("Cache-Control"), text)  # fmt: skip
            if seen != (content_type, "5", "no-store", body):
                record.problem = "unexpected 503 answer"
                self.example(f"{kind.name}: {record.problem}", repr(seen)[:3000])
            return
        if response.status_code != 200:
            record.problem = f"status {response.status_code}"
            self.example(f"{kind.name}: {record.problem}", text[:3000])
            return
        if kind.name in REGISTER and "PERSISTED_QUERY_NOT_FOUND" in text:
            # The cache lost the hash (another process cleared it): register it again.
            record.problem = REREGISTERED
            return
        markers = {int(n) for n in MARKER.findall(text)}
        reference = self.references[kind.name]
        if MARKER.sub("LMK", text) != reference.masked:
            record.problem = "answer differs from its reference"
            self.example(f"{kind.name}: {record.problem}", text[:3000])
        elif len(MARKER.findall(text)) != reference.markers:
            record.problem = "marker count differs"
        elif len(markers) > 1:
            record.problem = "mix"
            where = [text[max(0, m.start() - 60) : m.end()] for m in MARKER.finditer(text)]
            self.example(f"{kind.name}: mix {sorted(markers)}", "\n".join(where))
        record.version = min(markers) if markers else None
        etag = response.headers.get("ETag")
        if etag:
            with self._lock:
                self.etag_versions[etag] = record.version

    def example(self, key: str, text: str) -> None:
        with self._lock:
            self.examples.setdefault(key, text)

    def worker(self, number: int) -> None:
        etags: dict[str, str] = {}
        index = number
        with requests.Session() as session:
            while not self._halt.is_set():
                kind = self.kinds[index % len(self.kinds)]
                index += 1
                record = Record(kind.name, time.monotonic(), 0.0, None)
                try:
                    response = kind.send(session, self.base, etags.get(kind.name), self.timeout)
                    record.end = time.monotonic()
                    record.status = response.status_code
                    self.check(kind, response, record)
                    if response.status_code == 200 and response.headers.get("ETag"):
                        etags[kind.name] = response.headers["ETag"]
                    if record.problem == REREGISTERED:
                        session.get(self.base + REGISTER[kind.name], timeout=self.timeout)
                except requests.RequestException as error:
                    record.end = time.monotonic()
                    record.problem = f"transport: {type(error).__name__}"
                    self.example(record.problem, str(error)[:1000])
                with self._lock:
                    self.records.append(record)

    def start(self) -> list[threading.Thread]:
        self._halt.clear()
        threads = [
            threading.Thread(target=self.worker, args=(n,), daemon=True, name=f"reader-{n}")
            for n in range(self.connections)
        ]
        for thread in threads:
            thread.start()
        return threads

    def stop(self, threads: list[threading.Thread]) -> None:
        self._halt.set()
        for thread in threads:
            thread.join(timeout=self.timeout + 10)

    # --- figures ------------------------------------------------------------------

    def summary(self, records: list[Record] | None = None) -> dict:
        records = self.records if records is None else records
        latencies = sorted(r.end - r.start for r in records if r.status is not None)
        return {
            "requests": len(records),
            "by_kind": dict(sorted(Counter(r.kind for r in records).items())),
            "status": {
                str(k): v for k, v in sorted(Counter(str(r.status) for r in records).items())
            },
            "response_cache": dict(sorted(Counter(r.cache or "-" for r in records).items())),
            "problems": dict(sorted(Counter(r.problem for r in records if r.problem).items())),
            "latency_ms": {
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "max": round(1000 * latencies[-1], 1) if latencies else None,
            },
        }


def percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return round(1000 * sorted_values[index], 1)

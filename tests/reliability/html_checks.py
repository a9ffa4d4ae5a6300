"""Find what in an HTML document could run script, as a browser would parse it, in what a
reader gets of a service page: its API answer and the page its template renders."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from tests.graphql_api.queries import SERVICE

# Attributes a browser follows as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)
# Elements that run or load active content whatever their attributes.
FORBIDDEN_TAGS = frozenset({"script", "object", "embed", "frame", "frameset", "base", "applet"})
# Browsers drop these characters from a URL before reading its scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f\u200b\u200c\u200d\ufeff]")


def dangerous_url(url: str) -> bool:
    """True for a javascript:, vbscript: or data: URL, however it is spelt."""
    squeezed = _IGNORED_IN_SCHEME.sub("", url).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:", "livescript:"))


class _Scan(HTMLParser):
    def __init__(self, iframe_hosts: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.iframe_hosts = iframe_hosts
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
        if tag == "iframe":
            src = dict(attrs).get("src") or ""
            if src.startswith("//"):
                src = "https:" + src
            try:
                parts = urlsplit(src)
            except ValueError:
                parts = None
            if parts is None or parts.scheme != "https" or parts.hostname not in self.iframe_hosts:
                self.problems.append(f"<iframe src={src!r}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta refresh>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def script_risks(html: str, iframe_hosts) -> list[str]:
    """Every element or attribute in ``html`` that could run script; empty when safe."""
    scan = _Scan(frozenset(iframe_hosts))
    scan.feed(html)
    scan.close()
    return scan.problems


def response_fields(node, names: tuple[str, ...], path=""):
    """Every (path, text) of a field called one of ``names`` in a GraphQL response."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in names and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from response_fields(value, names, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from response_fields(value, names, f"{path}[{i}]")


def reader_risks(client, page, iframe_hosts) -> tuple[dict, dict[str, list[str]]]:
    """What a reader gets of a service page: its ``service`` answer from the API (every
    field, tests/graphql_api/queries.py) and, by place, whatever in it or in the page
    its template renders could run script (empty when safe)."""
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": SERVICE, "variables": {"slug": page.slug}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    result = response.json()
    assert "errors" not in result, result
    service = result["data"]["service"]
    risks: dict[str, list[str]] = {}
    for where, html in response_fields(service, ("html",)):
        if found := script_risks(html, iframe_hosts):
            risks[f"API {where}"] = found
    for where, url in response_fields(service, ("url", "embedUrl")):
        if dangerous_url(url):
            risks[f"API {where}"] = [url]
    rendered = client.get(page.url)
    assert rendered.status_code == 200
    if found := script_risks(rendered.content.decode(), iframe_hosts):
        risks["template"] = found
    return service, risks

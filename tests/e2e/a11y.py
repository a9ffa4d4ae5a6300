"""axe-core, bundled in the axe-playwright-python package, run in a Playwright page.

A page passes when axe finds no violation of serious or critical impact against WCAG 2.1
A/AA. ADMIN_EXCLUSIONS lists the violations found inside third-party admin widgets this
project does not render itself, each by rule and by the markup it was found in, with the
reason; the same rule anywhere else still fails.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_FILE_PATH

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# (axe rule, CSS selector the offending element matches, why it is tolerated).
ADMIN_EXCLUSIONS: list[tuple[str, str, str]] = [
    (
        "label",
        ".CodeMirror textarea",
        "wagtail-markdown's EasyMDE editor: CodeMirror's own hidden input textarea has no "
        "label (the field's visible label belongs to the textarea EasyMDE replaces). "
        "Upstream markup of EasyMDE/wagtail-markdown.",
    ),
    (
        "label",
        "form[enctype='multipart/form-data'] input[type='file']",
        "wagtail-localize's translation editor: the 'Upload PO file' file input is named only "
        "by the button beside it. Upstream markup of wagtail-localize.",
    ),
    (
        "color-contrast",
        "[class^='sc-'], [class*=' sc-']",
        "wagtail-localize's translation editor (its styled-components classes .sc-*): the "
        "grey segment labels are below 4.5:1 on their background. Upstream styles of "
        "wagtail-localize.",
    ),
]


# Whether the element axe points at (outside iframes) matches one of the selectors.
EXCLUDED = """({target, selectors}) => {
  if (target.length !== 1 || !selectors.length) return false;
  const element = document.querySelector(target[0]);
  return !!element && selectors.some((selector) => element.matches(selector));
}"""


def axe_violations(page, exclusions=()) -> list[dict]:
    """Serious and critical violations on the page: rule, impact, help and offending elements."""
    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        selectors = [selector for rule, selector, _why in exclusions if rule == violation["id"]]
        targets = [
            " ".join(node["target"])
            for node in violation["nodes"]
            if not page.evaluate(EXCLUDED, {"target": node["target"], "selectors": selectors})
        ]
        if targets:
            found.append(
                {
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "targets": targets[:5],
                }
            )
    return found

// Renders pages of the reference frontend (frontend/ssr/render.mjs, as the server and the
// static build do) against the CMS of a pytest test, which answers through its own Django
// test client and database: each API request goes to stdout as a JSON line
// {"fetch": {"id", "url", "method", "body"}} and its answer comes back on stdin as
// {"id", "status", "body"}. After the last page, one {"pages": [...]} line says what a
// reader gets of each: status, language, title, skip link, fallback notes, the header's
// and footer's links and the language of each team member shown.
// Usage: node render_cms.mjs <path>...

import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import path from "node:path";
import { pathToFileURL } from "node:url";

const paths = process.argv.slice(2);
const frontend = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../frontend");
const { parseHTML } = createRequire(path.join(frontend, "package.json"))("linkedom");
const { createRenderer } = await import(pathToFileURL(path.join(frontend, "ssr/render.mjs")).href);

const waiting = new Map();
let next = 0;
createInterface({ input: process.stdin }).on("line", (line) => {
  const answer = JSON.parse(line);
  waiting.get(answer.id)(answer);
  waiting.delete(answer.id);
});

function fetch(url, options = {}) {
  const id = ++next;
  const request = { id, url: String(url), method: options.method ?? "GET", body: options.body ?? null };
  process.stdout.write(`${JSON.stringify({ fetch: request })}\n`);
  return new Promise((resolve) => waiting.set(id, resolve)).then((answer) => ({
    status: answer.status,
    json: async () => JSON.parse(answer.body),
  }));
}

const text = (node) => (node?.textContent ?? "").replace(/\s+/g, " ").trim();
const hrefs = (root, selector) => [...root.querySelectorAll(selector)].map((link) => link.getAttribute("href"));

const renderer = createRenderer({ cmsUrl: "http://testserver", siteUrl: "https://www.example.org", fetch });
const pages = [];
for (const pathname of paths) {
  const result = await renderer.render(pathname);
  const { document } = parseHTML(result.html ?? "<html><body></body></html>");
  const main = document.getElementById("main");
  pages.push({
    path: pathname,
    status: result.status,
    lang: document.documentElement.getAttribute("lang"),
    title: result.title,
    skip: text(document.querySelector(".skip-link")),
    notices: [...main.querySelectorAll(".fallback-notice")].map(text),
    // The language each part of the main content is marked with (null: the page's).
    parts: [...main.children].map((child) => child.getAttribute("lang")),
    nav: hrefs(document, ".site-nav a"),
    footer: hrefs(document, ".site-footer a"),
    heading: text(main.querySelector("h1")),
    // A listing page's own introduction (the first paragraph after its heading) and picture.
    intro: text(main.querySelector("h1 ~ .prose")),
    picture: main.querySelector("img.listing-image")?.getAttribute("alt") ?? null,
    categoryLabel: text(main.querySelector("label[for=filter-category]")),
    members: [...main.querySelectorAll(".member-card, .member")].map((item) => [text(item.querySelector("h2, .member-name")), item.getAttribute("lang")]),
  });
}
process.stdout.write(`${JSON.stringify({ pages })}\n`);
process.exit(0);

// Renders the reference frontend's pages in Node with the browser's own renderers
// (public/src/render.js) on linkedom's DOM.
//
//   node ssr/render.mjs /es/services/democratic-funding/   # prints the page's HTML
//   node ssr/render.mjs --serve                            # long-lived: JSON lines on stdin/stdout
//
// In --serve mode (used by server.py) each input line is a request and each output line
// the answer with the same id:
//   {"id": 1, "op": "render", "url": "/es/projects/?state=open"}
//     → {"id": 1, "status": 200, "state": "ready", "html": "<!doctype html>…"}
//     (a redirect: {"status": 301, "location": "/es/new/"}; no page: status 404 and the 404 page)
//   {"id": 3, "op": "submit", "url": "/es/contacto/", "contentType": "multipart/form-data; …",
//    "body": "<base64>", "client": "203.0.113.9"}
//     → {"id": 3, "status": 303, "location": "/es/contacto/?sent=1"} (or 400 and the form's HTML)
//   {"id": 2, "op": "build", "paths": ["/es/services/x/", …]}   (incremental; "full": true for all)
//     → {"id": 2, "ok": true, "written": [...], "removed": [...], "ms": 812}
// Environment: CIVIC_CMS_URL (the API), FRONTEND_SITE_URL (this site's public origin),
// FRONTEND_DIST (where the build writes, default frontend/dist).

import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { parseHTML } from "linkedom";

import { createApi } from "../public/src/api.js";
import { RETURN_TO, submissionOf } from "../public/src/forms.js";
import { SUBMIT_FORM_MUTATION } from "../public/src/queries.js";
import { formAt, renderRoute, returnPath } from "../public/src/render.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FRONTEND = path.resolve(HERE, "..");
export const PUBLIC = path.join(FRONTEND, "public");

const REDIRECT_QUERY = `query FrontendRedirect($path: String!) { redirect(path: $path) { to permanent } }`;
const QUERY_FIELDS = `{ __type(name: "Query") { fields { name } } }`;

function escapeText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function settings(env = process.env) {
  const port = env.FRONTEND_PORT || "3000";
  return {
    cmsUrl: (env.CIVIC_CMS_URL || "http://127.0.0.1:8000").replace(/\/+$/, ""),
    siteUrl: (env.FRONTEND_SITE_URL || `http://${env.FRONTEND_HOST || "127.0.0.1"}:${port}`).replace(/\/+$/, ""),
    dist: path.resolve(env.FRONTEND_DIST || path.join(FRONTEND, "dist")),
  };
}

/**
 * Whose post a relayed form is (delivery/relay.py): the visitor's address and the time,
 * signed with the webhook secret this site shares with the CMS; nothing without a secret.
 */
export function visitorHeaders(client, secret = process.env.CIVIC_WEBHOOK_SECRET, now = Date.now()) {
  if (!client || !secret) return {};
  const value = `${client}; t=${Math.floor(now / 1000)}`;
  const signature = createHmac("sha256", secret).update(value).digest("hex");
  return { "X-Civic-Visitor": value, "X-Civic-Visitor-Signature": `sha256=${signature}` };
}

/**
 * A renderer bound to one CMS: `render(url)` answers { status, state, html, location,
 * language, links, alternates, robots }. The shell (public/index.html) is read once; the
 * query fields the API offers (redirect, paths) are asked once.
 */
export function createRenderer({ cmsUrl, siteUrl, fetch = globalThis.fetch } = settings()) {
  const shell = readFileSync(path.join(PUBLIC, "index.html"), "utf8");
  const api = createApi({ cmsUrl, fetch });
  let fields = null;

  async function queryFields() {
    if (!fields) {
      fields = api
        .graphql(QUERY_FIELDS)
        .then((data) => new Set((data.__type?.fields ?? []).map((field) => field.name)))
        .catch(() => {
          fields = null;
          return new Set();
        });
    }
    return fields;
  }

  async function redirects(pathname) {
    if (!(await queryFields()).has("redirect")) return null;
    const data = await api.graphql(REDIRECT_QUERY, { path: pathname });
    return data.redirect;
  }

  async function render(url, { submission = null } = {}) {
    const { document } = parseHTML(shell);
    const result = await renderRoute(document, url, { fetch, cmsUrl, siteUrl, redirects, submission });
    document.body.dataset.rendered = "server";
    const main = document.getElementById("main");
    const links = [
      ...new Set(
        [...main.querySelectorAll("a[href^='/']")]
          .map((link) => link.getAttribute("href").split("#")[0].split("?")[0])
          .filter((href) => href && !href.startsWith("//")),
      ),
    ];
    // Every site link of the page (menus and footer too): the build follows them when the API cannot list its pages.
    const siteLinks = [
      ...new Set(
        [...document.querySelectorAll("a[href^='/']")]
          .map((link) => link.getAttribute("href").split("#")[0].split("?")[0])
          .filter((href) => href && !href.startsWith("//")),
      ),
    ];
    const alternates = [...document.head.querySelectorAll("link[rel='alternate'][hreflang]")].map((link) => ({
      hreflang: link.getAttribute("hreflang"),
      href: link.getAttribute("href"),
    }));
    const canonical = document.head.querySelector("link[rel='canonical']")?.getAttribute("href") ?? null;
    const robots = document.head.querySelector("meta[name='robots']")?.getAttribute("content") ?? "";
    // linkedom writes <title> text as it is: the title is put back escaped.
    const title = document.title;
    document.title = "\u0000title\u0000";
    const html = `<!doctype html>\n${document.documentElement.outerHTML}\n`.replace("\u0000title\u0000", escapeText(title));
    return { ...result, html, links, siteLinks, alternates, canonical, robots, title };
  }

  /**
   * A contact form posted to its page on this site (without JavaScript): sent on to the
   * CMS's submitForm mutation with the visitor's address, signed. Accepted: a 303 to the page's
   * thanks; refused: the form again with the answers and the CMS's errors (400).
   */
  async function submit({ url, contentType, body, client = "" }) {
    const path = new URL(url, siteUrl).pathname;
    const form = await formAt(api, path);
    if (!form) return { status: 404 };
    let data;
    try {
      data = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return { status: 400, html: null, error: "The form's data could not be read." };
    }
    const { values, file } = submissionOf(data, form.fields);
    const headers = visitorHeaders(client);
    const answer = await api.mutate(SUBMIT_FORM_MUTATION, { handle: form.handle, locale: form.locale.code, values, file: null }, { file }, { headers });
    const returnTo = returnPath(data.get(RETURN_TO));
    if (answer.submitForm.ok) {
      const query = new URLSearchParams({ sent: "1", ...(returnTo ? { from: returnTo } : {}) });
      return { status: 303, location: `${path}?${query}` };
    }
    const given = Object.fromEntries(
      form.fields.map((field) => [field.name, data.getAll(field.name).filter((value) => typeof value === "string")]),
    );
    const page = await render(path, { submission: { values: given, errors: answer.submitForm.errors, returnTo } });
    return { status: page.status, state: page.state, html: page.html };
  }

  return { render, submit, api, queryFields, cmsUrl, siteUrl };
}

async function serve() {
  const config = settings();
  const renderer = createRenderer(config);
  const { createBuilder } = await import("./builder.mjs");
  const builder = createBuilder({ renderer, dist: config.dist, siteUrl: config.siteUrl });
  let building = Promise.resolve();
  const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      answer({ id: null, error: "not JSON" });
      return;
    }
    const { id, op = "render" } = request;
    if (op === "render") {
      renderer
        .render(request.url)
        .then(({ status, state, html, location }) => answer({ id, status, state, html, location }))
        .catch((error) => answer({ id, status: 500, error: String(error?.stack || error) }));
    } else if (op === "submit") {
      renderer
        .submit({ url: request.url, contentType: request.contentType, body: Buffer.from(request.body ?? "", "base64"), client: request.client })
        .then(({ status, state, html, location }) => answer({ id, status, state, html, location }))
        .catch((error) => answer({ id, status: 502, error: String(error?.stack || error) }));
    } else if (op === "build") {
      // Builds run one after the other; renders go on meanwhile.
      building = building.then(() =>
        (request.full ? builder.full() : builder.update(request.paths ?? []))
          .then((report) => answer({ id, ok: true, ...report }))
          .catch((error) => answer({ id, ok: false, error: String(error?.stack || error) })),
      );
    } else {
      answer({ id, error: `unknown op ${op}` });
    }
  });
  lines.on("close", () => building.then(() => process.exit(0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argument = process.argv[2];
  if (argument === "--serve") {
    serve();
  } else if (argument) {
    const result = await createRenderer().render(argument);
    if (result.location) console.error(`${result.status} → ${result.location}`);
    else process.stdout.write(result.html);
    process.exitCode = result.status >= 400 ? 1 : 0;
  } else {
    console.error("usage: node ssr/render.mjs <path> | --serve");
    process.exitCode = 2;
  }
}

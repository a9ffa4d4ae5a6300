// The static build: every public page of every language rendered to
// <dist>/<path>/index.html, the team page of each language, a 404.html per language, the
// sitemaps and robots.txt; and the incremental update the publish webhook asks for.
//
// Every file is written to a temporary name and renamed into place, so a reader gets the
// old page or the new one, never half of one. <dist>/.manifest.json remembers, per built
// path, its language, last change, alternates and the site paths its content links to:
// an update re-renders the pages that link to a changed page (and those it links to)
// without reading the whole site again, and rewrites the sitemaps from it.

import { mkdir, readFile, rename, rm, writeFile, readdir, rmdir } from "node:fs/promises";
import path from "node:path";

import { LOCALES_QUERY } from "../public/src/queries.js";
import { sitePath } from "../public/src/render.js";

const PATHS_QUERY = `query FrontendPaths($locale: String, $first: Int, $after: String) {
  paths(locale: $locale, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { path url locale type lastModified } }
  }
}`;
const PAGE_SIZE = 50;
const CONCURRENCY = 4;
const NOT_FOUND_PROBE = "__not-found__";

/** Runs `work` over `items`, `limit` at a time. */
async function pool(items, limit, work) {
  const results = [];
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Writes a file atomically: a temporary file beside it, then a rename. */
export async function writeAtomic(file, content) {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

function xml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function canonicalPath(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

// The one form of a site path the build keeps (its files and manifest) and the CMS compares:
// percent-encoding undone, letters composed (NFC); the renderers' own definition.
export { sitePath };

/** A site path is built when it is a plain page path: /es/…/ without query or file name. */
function buildable(pathname) {
  return typeof pathname === "string" && /^\/[^?#]*\/$/.test(pathname) && !pathname.includes("..") && !pathname.startsWith("/preview");
}

export function createBuilder({ renderer, dist, siteUrl }) {
  const manifestFile = path.join(dist, ".manifest.json");
  const fileOf = (pathname) => path.join(dist, ...pathname.split("/").filter(Boolean), "index.html");

  async function readManifest() {
    try {
      return JSON.parse(await readFile(manifestFile, "utf8"));
    } catch {
      return { pages: {} };
    }
  }

  async function locales() {
    const data = await renderer.api.graphql(LOCALES_QUERY);
    return data.locales;
  }

  /** Every public page of a language: from the API's `paths` when it has it, else by following links. */
  async function pathsOf(language, hasPaths) {
    if (hasPaths) {
      const found = [];
      let after = null;
      for (;;) {
        const data = await renderer.api.graphql(PATHS_QUERY, { locale: language, first: PAGE_SIZE, after });
        // Contact forms too: each has its own page on this site (a plain form that posts back).
        for (const edge of data.paths.edges) found.push({ path: sitePath(edge.node.path), lastModified: edge.node.lastModified });
        if (!data.paths.pageInfo.hasNextPage) break;
        after = data.paths.pageInfo.endCursor;
      }
      return found;
    }
    return null;
  }

  /** Renders one path; writes it when it is a page, removes it when it is not (any more). */
  async function build(pathname, manifest, { lastModified = null } = {}) {
    const result = await renderer.render(pathname);
    const file = fileOf(pathname);
    if (result.status === 200 && result.state === "ready") {
      await writeAtomic(file, result.html);
      manifest.pages[pathname] = {
        language: result.language,
        lastModified: lastModified ?? manifest.pages[pathname]?.lastModified ?? new Date().toISOString(),
        alternates: result.alternates,
        links: result.links.map(sitePath),
        // Only a page's own canonical address goes to the sitemap (not a version in another language).
        indexable: !/noindex/i.test(result.robots) && !/\/404\/$/.test(pathname) && sitePath(canonicalPath(result.canonical) ?? "") === pathname,
      };
      return { written: pathname, result };
    }
    if (result.status >= 500) throw new Error(`${pathname}: the render failed (${result.status})`);
    await rm(file, { force: true });
    await removeEmptyFolders(path.dirname(file));
    delete manifest.pages[pathname];
    return { removed: pathname, result };
  }

  async function removeEmptyFolders(folder) {
    while (folder.startsWith(dist) && folder !== dist) {
      try {
        if ((await readdir(folder)).length) return;
        await rmdir(folder);
      } catch {
        return;
      }
      folder = path.dirname(folder);
    }
  }

  async function writeNotFoundPages(languages, defaultLanguage) {
    for (const language of languages) {
      const result = await renderer.render(`/${language}/${NOT_FOUND_PROBE}/`);
      if (result.status === 404) {
        await writeAtomic(path.join(dist, language, "404.html"), result.html);
        if (language === defaultLanguage) await writeAtomic(path.join(dist, "404.html"), result.html);
      }
    }
  }

  async function writeSitemaps(manifest, languages) {
    const now = new Date().toISOString();
    const byLanguage = Object.fromEntries(languages.map((code) => [code, []]));
    for (const [pathname, entry] of Object.entries(manifest.pages).sort(([a], [b]) => a.localeCompare(b))) {
      if (entry.indexable && byLanguage[entry.language]) byLanguage[entry.language].push([pathname, entry]);
    }
    const index = [];
    for (const [language, entries] of Object.entries(byLanguage)) {
      const name = `sitemap-${language}.xml`;
      const urls = entries.map(([pathname, entry]) => {
        const alternates = entry.alternates
          .map((item) => `    <xhtml:link rel="alternate" hreflang="${xml(item.hreflang)}" href="${xml(item.href)}"/>`)
          .join("\n");
        return `  <url>\n    <loc>${xml(siteUrl + encodeURI(pathname))}</loc>\n    <lastmod>${xml(entry.lastModified)}</lastmod>\n${alternates ? `${alternates}\n` : ""}  </url>`;
      });
      await writeAtomic(
        path.join(dist, name),
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${urls.join("\n")}${urls.length ? "\n" : ""}</urlset>\n`,
      );
      const latest = entries.map(([, entry]) => entry.lastModified).sort().at(-1) ?? now;
      index.push(`  <sitemap>\n    <loc>${xml(`${siteUrl}/${name}`)}</loc>\n    <lastmod>${xml(latest)}</lastmod>\n  </sitemap>`);
    }
    await writeAtomic(
      path.join(dist, "sitemap.xml"),
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${index.join("\n")}\n</sitemapindex>\n`,
    );
    await writeAtomic(path.join(dist, "robots.txt"), `User-agent: *\nAllow: /\nDisallow: /preview\n\nSitemap: ${siteUrl}/sitemap.xml\n`);
  }

  /** Everything: every page of every language, the team pages, the 404 pages, sitemaps, robots.txt. */
  async function full() {
    const started = Date.now();
    const all = await locales();
    const languages = all.map((locale) => locale.code);
    const defaultLanguage = all.find((locale) => locale.isDefault)?.code ?? languages[0];
    const hasPaths = (await renderer.queryFields()).has("paths");
    const previous = await readManifest();
    const manifest = { pages: {} };
    const targets = new Map();
    for (const language of languages) {
      const listed = await pathsOf(language, hasPaths);
      for (const entry of listed ?? [{ path: `/${language}/` }]) if (buildable(entry.path)) targets.set(entry.path, entry.lastModified ?? null);
      targets.set(`/${language}/team/`, null);
    }
    const written = [];
    const removed = [];
    const seen = new Set();
    // Without `paths` in the API, the site is found by following its links from the home pages.
    let queue = [...targets.keys()];
    while (queue.length) {
      const batch = [...new Set(queue)].filter((pathname) => !seen.has(pathname));
      batch.forEach((pathname) => seen.add(pathname));
      const results = await pool(batch, CONCURRENCY, (pathname) => build(pathname, manifest, { lastModified: targets.get(pathname) }));
      queue = [];
      for (const outcome of results) {
        if (outcome.written) {
          written.push(outcome.written);
          if (!hasPaths) queue.push(...outcome.result.siteLinks.map(sitePath).filter((link) => buildable(link) && !seen.has(link) && languages.includes(link.split("/")[1])));
        } else removed.push(outcome.removed);
      }
    }
    // Pages built before that are no longer public.
    for (const pathname of Object.keys(previous.pages)) {
      if (!manifest.pages[pathname]) {
        await rm(fileOf(pathname), { force: true });
        await removeEmptyFolders(path.dirname(fileOf(pathname)));
        removed.push(pathname);
      }
    }
    await writeNotFoundPages(languages, defaultLanguage);
    await writeSitemaps(manifest, languages);
    await writeAtomic(manifestFile, JSON.stringify(manifest));
    return { written, removed, ms: Date.now() - started };
  }

  /**
   * The publish webhook's paths: each is rendered again (written, or removed when it has no
   * page any more), with the home page of every language, and the sitemaps are written:
   * what a change hid has then left the page, the listings (the webhook names them), the
   * home pages and the sitemaps. Then the built pages that link to a changed path or that a
   * changed page links to, the team pages of every language, and the sitemaps again.
   */
  async function update(paths) {
    const started = Date.now();
    const manifest = await readManifest();
    if (!Object.keys(manifest.pages).length) return full();
    const all = await locales();
    const languages = all.map((locale) => locale.code);
    const defaultLanguage = all.find((locale) => locale.isDefault)?.code ?? languages[0];
    const changed = [...new Set(paths.map(sitePath).filter(buildable))];
    const homes = languages.map((language) => `/${language}/`).filter((home) => !changed.includes(home));
    const first = await pool([...changed, ...homes], CONCURRENCY, (pathname) => {
      const before = manifest.pages[pathname]?.links ?? [];
      return build(pathname, manifest).then((outcome) => ({ ...outcome, before }));
    });
    await writeSitemaps(manifest, languages);
    await writeAtomic(manifestFile, JSON.stringify(manifest));
    const related = new Set();
    for (const outcome of first.filter((o) => changed.includes(o.written ?? o.removed))) {
      for (const link of [...outcome.before, ...(outcome.result.links ?? []).map(sitePath)]) related.add(link);
    }
    for (const [pathname, entry] of Object.entries(manifest.pages)) {
      if (entry.links.some((link) => changed.includes(link))) related.add(pathname);
    }
    for (const language of languages) related.add(`/${language}/team/`);
    const done = new Set([...changed, ...homes]);
    const again = [...related].filter((pathname) => buildable(pathname) && !done.has(pathname) && (manifest.pages[pathname] || /^\/[a-z-]+\/team\/$/.test(pathname)));
    const second = await pool(again, CONCURRENCY, (pathname) => build(pathname, manifest));
    const outcomes = [...first, ...second];
    if (changed.some((pathname) => /\/404\/$/.test(pathname))) await writeNotFoundPages(languages, defaultLanguage);
    await writeSitemaps(manifest, languages);
    await writeAtomic(manifestFile, JSON.stringify(manifest));
    return {
      written: outcomes.filter((o) => o.written).map((o) => o.written),
      removed: outcomes.filter((o) => o.removed).map((o) => o.removed),
      ms: Date.now() - started,
    };
  }

  return { full, update };
}

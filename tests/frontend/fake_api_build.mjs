// Builds the static site against a fixed, recorded-style API (no CMS): the test reads
// what it wrote. Usage: node fake_api_build.mjs <dist> <site-url> [update <path>…]
// The answers stand for a site in es (default) and en: a home page, an "about" page and a
// page whose slug has accents ("acción-cívica") in both, a Spanish contact form's page
// ("contacto"), where the Spanish "about" page
// disappears when STATE=unpublished. As the real API: urls are percent-encoded, and a page
// is found by its path in any form (percent-encoded or not, NFC or NFD).

import { pathToFileURL } from "node:url";
import path from "node:path";

const [, , dist, siteUrl, mode, ...paths] = process.argv;
const frontend = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../frontend/ssr");
const { createRenderer } = await import(pathToFileURL(path.join(frontend, "render.mjs")).href);
const { createBuilder } = await import(pathToFileURL(path.join(frontend, "builder.mjs")).href);

const unpublished = process.env.STATE === "unpublished";
const locales = [
  { code: "es", name: "español", isDefault: true },
  { code: "en", name: "English", isDefault: false },
];

function page(language, slug, title, other) {
  const url = encodeURI(slug ? `/${language}/${slug}/` : `/${language}/`);
  const otherUrl = encodeURI(slug ? `/${other}/${slug}/` : `/${other}/`);
  const abs = (p) => `${siteUrl}${p}`;
  return {
    __typename: "StandardPage", id: `${language}-${slug}`, title, slug, url, seoTitle: "", searchDescription: "",
    seo: {
      title, description: `${title}: a page about us.`, canonicalUrl: abs(url), robots: "index, follow", image: null,
      alternates: [{ hreflang: language, url: abs(url) }, { hreflang: other, url: abs(otherUrl) }, { hreflang: "x-default", url: abs(encodeURI(slug ? `/es/${slug}/` : "/es/")) }],
      jsonLd: { "@context": "https://schema.org", "@type": "WebPage", name: `${title} </script><script>alert(1)</script>` },
    },
    locale: { code: language, name: language === "es" ? "español" : "English" },
    translations: [{ locale: { code: other, name: other === "es" ? "español" : "English" }, title, url: otherUrl }],
    breadcrumbs: [],
    subtitle: { html: "" }, description: { html: `<p>${title} — text of the page.</p>` }, layout: "default", image: null, body: [],
  };
}

const pages = {
  "/es/": page("es", "", "Inicio", "en"),
  "/en/": page("en", "", "Home", "es"),
  "/es/sobre/": unpublished ? null : page("es", "sobre", "Sobre nosotras", "en"),
  "/en/sobre/": page("en", "sobre", "About us", "es"),
  "/es/acción-cívica/": page("es", "acción-cívica", "Acción cívica", "en"),
  "/en/acción-cívica/": page("en", "acción-cívica", "Civic action", "es"),
};
// A contact form has its own page: listed by `paths` (type Form), read with `form(handle:)`.
const forms = {
  "es:contacto": {
    id: "9", handle: "contacto", title: "Escríbenos", url: "/es/contacto/", locale: { code: "es" },
    buttonLabel: "Enviar", intro: { html: "<p>Te respondemos pronto.</p>" }, thankYou: { html: "" },
    fields: [
      { name: "email", label: "Correo", type: "EMAIL", required: true, helpText: "", helpHtml: "", choices: [] },
      { name: "mensaje", label: "Mensaje", type: "MULTILINE", required: false, helpText: "", helpHtml: "", choices: [] },
      {
        name: "privacidad", label: "Acepto la política de privacidad", type: "CHECKBOX", required: true,
        helpText: "Lee /es/privacidad/ <b>antes</b>.", helpHtml: 'Lee <a href="/es/privacidad/">/es/privacidad/</a> &lt;b&gt;antes&lt;/b&gt;.', choices: [],
      },
    ],
  },
};
const found = (path) => pages[decodeURIComponent(path).normalize("NFC")] ?? null;
const lastModified = "2026-11-20T10:00:00+00:00";

function answer(query, variables) {
  if (query.includes("__type(")) return { __type: { fields: [{ name: "paths" }, { name: "redirect" }, { name: "page" }] } };
  const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  switch (operation) {
    case "FrontendLocales":
      return { locales };
    case "FrontendPaths": {
      const listed = Object.keys(pages).filter((p) => pages[p] && p.startsWith(`/${variables.locale}/`));
      const edges = listed.map((p) => ({ node: { path: encodeURI(p), url: encodeURI(p), locale: variables.locale, type: "StandardPage", lastModified } }));
      for (const form of Object.values(forms)) {
        if (form.locale.code === variables.locale) edges.push({ node: { path: form.url, url: form.url, locale: form.locale.code, type: "Form", lastModified } });
      }
      return { paths: { totalCount: edges.length, pageInfo: { hasNextPage: false, endCursor: null }, edges } };
    }
    case "FrontendPage":
      return { page: found(variables.path) };
    case "FrontendForm":
      return { form: forms[`${variables.locale}:${variables.handle}`] ?? null };
    case "FrontendSite":
      return { site: null };
    case "FrontendTeam":
      return { locales, members: [] };
    case "FrontendRedirect":
      return { redirect: variables.path === "/es/viejo/" ? { to: "/es/sobre/", permanent: true } : null };
    default:
      throw new Error(`no recorded answer for ${operation}`);
  }
}

async function fakeFetch(url, options = {}) {
  let query;
  let variables;
  if (options.method === "POST") ({ query, variables } = JSON.parse(options.body));
  else {
    const params = new URL(url).searchParams;
    query = params.get("query");
    variables = JSON.parse(params.get("variables") || "{}");
  }
  return { status: 200, json: async () => ({ data: answer(query, variables) }) };
}

const renderer = createRenderer({ cmsUrl: "https://cms.example.org", siteUrl, fetch: fakeFetch });
const builder = createBuilder({ renderer, dist, siteUrl });
const report = mode === "update" ? await builder.update(paths) : await builder.full();
const redirect = await renderer.render("/es/viejo/");
console.log(JSON.stringify({ ...report, redirect: { status: redirect.status, location: redirect.location } }));

// The reference frontend: every route is read from the CMS's GraphQL API.
//   /                      → the default language's home page
//   /<lang>/…              → the page at that path (home, services index, service)
//   /preview?token=<TOKEN> → the draft a preview token stands for
// <body data-state> says loading, ready, not-found or error (tests wait on it).

import { ApiError, cmsAsset, graphql } from "./api.js";
import { picture, renderStream } from "./blocks.js";
import { h, trustedHtml } from "./dom.js";
import { DEFAULT_LANGUAGE, messages } from "./i18n.js";
import { LOCALES_QUERY, PAGE_QUERY, PREVIEW_QUERY, SERVICES_QUERY } from "./queries.js";

const main = document.getElementById("main");
const switcher = document.querySelector(".language-switcher");
const banner = document.getElementById("preview-banner");

function setState(state) {
  document.body.dataset.state = state;
  main.setAttribute("aria-busy", state === "loading" ? "true" : "false");
}

function setHead({ title, description, language, alternates = [], noindex = false }) {
  document.title = title ? `${title} · Civic CMS` : "Civic CMS";
  document.documentElement.lang = language;
  for (const stale of document.head.querySelectorAll("[data-managed]")) stale.remove();
  const managed = { "data-managed": true };
  if (description) document.head.append(h("meta", { ...managed, name: "description", content: description }));
  if (noindex) document.head.append(h("meta", { ...managed, name: "robots", content: "noindex, nofollow" }));
  for (const alternate of alternates) {
    document.head.append(
      h("link", { ...managed, rel: "alternate", hreflang: alternate.code, href: new URL(alternate.url, location.origin).href }),
    );
  }
}

function setChrome(language) {
  const t = messages(language);
  document.querySelector(".skip-link").textContent = t.skip;
  switcher.setAttribute("aria-label", t.language);
  document.querySelector(".brand").setAttribute("href", `/${language}/`);
  return t;
}

/** The language switcher: the current language, then each live translation with hreflang. */
function renderSwitcher(page, { linkTranslations = true } = {}) {
  const items = [
    h(
      "li",
      {},
      h("a", { href: page.url ?? location.pathname, hreflang: page.locale.code, lang: page.locale.code, "aria-current": "page" }, page.locale.name),
    ),
    ...page.translations
      .filter((translation) => translation.url)
      .map((translation) =>
        h(
          "li",
          {},
          linkTranslations
            ? h("a", { href: translation.url, hreflang: translation.locale.code, lang: translation.locale.code, rel: "alternate" }, translation.locale.name)
            : h("span", { lang: translation.locale.code }, translation.locale.name),
        ),
      ),
  ];
  switcher.replaceChildren(h("ul", {}, items));
  switcher.hidden = false;
}

function renderBreadcrumbs(page, t) {
  if (!page.breadcrumbs.length) return null;
  return h(
    "nav",
    { class: "breadcrumbs", "aria-label": t.breadcrumbs },
    h(
      "ol",
      {},
      page.breadcrumbs.map((crumb) => h("li", {}, crumb.url ? h("a", { href: crumb.url }, crumb.title) : crumb.title)),
      h("li", {}, h("span", { "aria-current": "page" }, page.title)),
    ),
  );
}

function serviceCard(service) {
  return h(
    "li",
    { class: "service-card" },
    picture(service.image, { sizes: "(min-width: 48rem) 20rem, 100vw", decorative: true }),
    h("h2", {}, h("a", { href: service.url }, service.title)),
    trustedHtml(service.description.html, { absolute: cmsAsset }),
  );
}

async function renderListing(page, t) {
  const data = await graphql(SERVICES_QUERY, { locale: page.locale.code });
  const services = data.services.edges.map((edge) => edge.node);
  return [
    renderBreadcrumbs(page, t),
    h("h1", {}, page.title),
    page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
    h(
      "section",
      { class: "services", "aria-labelledby": "services-title" },
      h("h2", { id: "services-title", class: page.__typename === "ServiceIndexPage" ? "visually-hidden" : null }, t.services),
      services.length
        ? h("ul", { class: "service-list", dataset: { count: data.services.totalCount } }, services.map(serviceCard))
        : h("p", {}, t.noServices),
    ),
  ];
}

function renderService(page, t) {
  return h(
    "article",
    { class: "service", dataset: { pageId: page.id } },
    renderBreadcrumbs(page, t),
    h(
      "header",
      { class: "service-header" },
      h("h1", {}, page.title),
      trustedHtml(page.description.html, { className: "prose lead", absolute: cmsAsset }),
      picture(page.image, { sizes: "(min-width: 60rem) 60rem, 100vw", className: "hero", eager: true }),
    ),
    h("div", { class: "stream" }, renderStream(page.body, t)),
  );
}

async function renderPage(page, { preview = false } = {}) {
  const language = page.locale.code;
  const t = setChrome(language);
  setHead({
    title: page.seoTitle || page.title,
    description: page.searchDescription,
    language,
    alternates: preview ? [] : [{ code: language, url: page.url }, ...page.translations.filter((tr) => tr.url).map((tr) => ({ code: tr.locale.code, url: tr.url }))],
    noindex: preview,
  });
  renderSwitcher(page, { linkTranslations: !preview });
  const content = page.__typename === "ServicePage" ? renderService(page, t) : await renderListing(page, t);
  main.replaceChildren(...[content].flat().filter(Boolean));
  main.dataset.pageType = page.__typename;
}

function renderProblem(language, title, text, { alert = false } = {}) {
  const t = setChrome(language);
  setHead({ title, language, noindex: true });
  main.replaceChildren(h("h1", {}, title), h("p", { role: alert ? "alert" : null }, text));
  return t;
}

function languageOf(path) {
  const match = /^\/([a-z]{2}(?:-[a-z]+)?)\//i.exec(path);
  return match ? match[1].toLowerCase() : DEFAULT_LANGUAGE;
}

async function showPreview() {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const language = params.get("lang") || DEFAULT_LANGUAGE;
  const t = messages(language);
  banner.textContent = t.preview;
  banner.hidden = false;
  if (!token) {
    renderProblem(language, t.previewFailed, t.previewMissingToken, { alert: true });
    return "error";
  }
  try {
    const data = await graphql(PREVIEW_QUERY, { token }, { method: "POST" });
    if (!data.page) {
      renderProblem(language, t.previewFailed, t.notFound, { alert: true });
      return "not-found";
    }
    await renderPage(data.page, { preview: true });
    banner.textContent = messages(data.page.locale.code).preview;
    return "ready";
  } catch (error) {
    // The API explains why a token is refused (expired, forged…): show it.
    renderProblem(language, t.previewFailed, error instanceof ApiError ? error.message : t.error, { alert: true });
    return "error";
  }
}

async function showPath(path) {
  if (path === "/") {
    const data = await graphql(LOCALES_QUERY);
    const fallback = data.locales.find((locale) => locale.isDefault)?.code ?? DEFAULT_LANGUAGE;
    const preferred = navigator.languages.map((code) => code.slice(0, 2)).find((code) => data.locales.some((l) => l.code === code));
    location.replace(`/${preferred ?? fallback}/`);
    return "loading";
  }
  const language = languageOf(path);
  const data = await graphql(PAGE_QUERY, { path });
  if (!data.page) {
    const t = messages(language);
    renderProblem(language, t.notFoundTitle, t.notFound);
    return "not-found";
  }
  await renderPage(data.page);
  return "ready";
}

async function start() {
  setState("loading");
  let state;
  try {
    state = location.pathname === "/preview" ? await showPreview() : await showPath(location.pathname);
  } catch (error) {
    console.error(error);
    const language = languageOf(location.pathname);
    const t = messages(language);
    renderProblem(language, t.errorTitle, t.error, { alert: true });
    state = "error";
  }
  setState(state);
}

start();

// The reference frontend: every route is read from the CMS's GraphQL API.
//   /                      → the default language's home page
//   /<lang>/team/          → the team (members of the language)
//   /<lang>/…              → the page at that path (home, indexes, service, project, category)
//   /preview?token=<TOKEN> → the draft a preview token stands for
// <body data-state> says loading, ready, not-found or error (tests wait on it).

import { ApiError, cmsAsset, graphql } from "./api.js";
import { picture, renderStream } from "./blocks.js";
import { h, trustedHtml } from "./dom.js";
import { DEFAULT_LANGUAGE, messages } from "./i18n.js";
import { loadSite, menuList, menuOf, renderFooter } from "./site.js";
import {
  CATEGORIES_QUERY,
  HOME_QUERY,
  LOCALES_QUERY,
  PAGE_QUERY,
  PREVIEW_QUERY,
  PROJECTS_QUERY,
  SERVICES_QUERY,
  TEAM_QUERY,
} from "./queries.js";

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

let currentSite = null;

function setChrome(language) {
  const t = messages(language);
  renderFooter(currentSite, t);
  document.querySelector(".skip-link").textContent = t.skip;
  switcher.setAttribute("aria-label", t.language);
  document.querySelector(".brand").setAttribute("href", `/${language}/`);
  const nav = document.querySelector(".site-nav");
  nav.setAttribute("aria-label", t.sections);
  const sections = [
    [`/${language}/services/`, t.services],
    [`/${language}/projects/`, t.projects],
    [`/${language}/categories/`, t.categories],
    [`/${language}/team/`, t.team],
  ];
  const cmsMenu = menuOf(currentSite, "about_nav");
  nav.replaceChildren(
    cmsMenu
      ? menuList(cmsMenu)
      : h(
          "ul",
          {},
          sections.map(([href, label]) =>
            h("li", {}, h("a", { href, "aria-current": location.pathname.startsWith(href) ? "page" : null }, label)),
          ),
        ),
  );
  nav.hidden = false;
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

/** A titled section, or nothing at all when it would have nothing under its heading. */
function listSection(id, title, items, render, { className = "link-list" } = {}) {
  if (!items?.length) return null;
  return h(
    "section",
    { class: `related related-${id}`, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    h("ul", { class: className }, items.map(render)),
  );
}

const pageLink = (item) => h("li", {}, h("a", { href: item.url }, item.title));

function stateBadge(state) {
  if (!state) return null;
  const badge = h("span", { class: "state-badge", dataset: { state: state.slug } }, state.title);
  // Through the CSSOM: the site's CSP refuses style attributes written as markup.
  if (state.color) badge.style.setProperty("--state", state.color);
  return badge;
}

function projectCard(project) {
  return h(
    "li",
    { class: "service-card project-card" },
    picture(project.bannerImage, { sizes: "(min-width: 48rem) 20rem, 100vw", decorative: true }),
    h("h3", {}, h("a", { href: project.url }, project.title)),
    stateBadge(project.state),
    project.description?.html ? trustedHtml(project.description.html, { absolute: cmsAsset }) : null,
  );
}

/** The page's own call to action (a service's may also sit in its body: shown once). */
function callToAction(page, t) {
  const cta = page.callToAction;
  if (!cta || page.body?.some((block) => block.id === cta.id)) return null;
  return h("div", { class: "stream" }, renderStream([cta], t));
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
    callToAction(page, t),
    listSection("projects", t.relatedProjects, page.projects, projectCard, { className: "service-list" }),
    listSection("categories", t.categories, page.categories, pageLink),
  );
}

function formatDate(value, language) {
  if (!value) return "";
  return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${value}T00:00:00Z`));
}

function projectFacts(page, t) {
  const language = page.locale.code;
  const facts = [];
  if (page.startDate) {
    const end = page.endDate && page.endDate !== page.startDate ? ` – ${formatDate(page.endDate, language)}` : "";
    facts.push([t.dates, `${formatDate(page.startDate, language)}${end}`]);
  }
  if (page.budget) facts.push([t.budget, page.budget]);
  const funding = page.funding ?? {};
  for (const [key, label] of [
    ["privatePercentage", t.privateFunding],
    ["publicPercentage", t.publicFunding],
    ["lookingForFinancePercentage", t.lookingForFinance],
  ]) {
    if (funding[key]) facts.push([`${t.funding}: ${label}`, /%$/.test(funding[key]) ? funding[key] : `${funding[key]}%`]);
  }
  if (!facts.length) return null;
  return h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

function memberItem(member) {
  return h(
    "li",
    { class: "member" },
    picture(member.photo, { className: "portrait", decorative: true }),
    h("span", { class: "member-name" }, member.name),
    member.role ? h("span", { class: "member-role" }, member.role) : null,
  );
}

function collaboratorItem(collaborator) {
  const content = [picture(collaborator.logo, { className: "logo", decorative: true }), h("span", { class: "collaborator-name" }, collaborator.name)];
  return h("li", { class: "collaborator" }, collaborator.url ? h("a", { href: collaborator.url, rel: "noopener noreferrer" }, content) : content);
}

function renderProject(page, t) {
  return h(
    "article",
    { class: "project", dataset: { pageId: page.id } },
    renderBreadcrumbs(page, t),
    h(
      "header",
      { class: "service-header" },
      h("h1", {}, page.title),
      stateBadge(page.state),
      page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
      picture(page.bannerImage, { sizes: "(min-width: 60rem) 60rem, 100vw", className: "hero", eager: true }),
    ),
    page.description?.html ? trustedHtml(page.description.html, { absolute: cmsAsset }) : null,
    projectFacts(page, t),
    h("div", { class: "stream" }, renderStream(page.body, t)),
    listSection("services", t.services, page.services, pageLink),
    listSection("categories", t.categories, page.categories, pageLink),
    listSection("members", t.team, page.members, memberItem, { className: "members" }),
    listSection("collaborators", t.collaborators, page.collaborators, collaboratorItem, { className: "collaborators" }),
    callToAction(page, t),
  );
}

function renderCategory(page, t) {
  return h(
    "article",
    { class: "category", dataset: { pageId: page.id } },
    renderBreadcrumbs(page, t),
    h(
      "header",
      { class: "service-header" },
      picture(page.symbol, { className: "symbol", decorative: true }),
      h("h1", {}, page.title),
      page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
    ),
    listSection("services", t.services, page.services, serviceCard, { className: "service-list" }),
    listSection("projects", t.projects, page.projects, projectCard, { className: "service-list" }),
    callToAction(page, t),
  );
}

/** The filters of the projects index: a plain GET form, so it works without JavaScript too. */
function projectFilters(data, chosen, t) {
  const select = (name, label, options) =>
    h(
      "p",
      {},
      h("label", { for: `filter-${name}` }, label),
      " ",
      h(
        "select",
        { id: `filter-${name}`, name },
        h("option", { value: "" }, t.all),
        options.map((option) => h("option", { value: option.slug, selected: chosen[name] === option.slug }, option.title)),
      ),
    );
  const form = h(
    "form",
    { class: "filters", method: "get", role: "search", "aria-label": t.filter },
    select("state", t.state, data.projectStates),
    select("category", t.category, data.categories),
    h("button", { type: "submit", class: "button" }, t.filter),
  );
  for (const control of form.querySelectorAll("select")) control.addEventListener("change", () => form.requestSubmit());
  return form;
}

async function renderProjectIndex(page, t) {
  const params = new URLSearchParams(location.search);
  const chosen = { state: params.get("state") || "", category: params.get("category") || "" };
  const filters = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value));
  const data = await graphql(PROJECTS_QUERY, { locale: page.locale.code, filters: Object.keys(filters).length ? filters : null });
  const projects = data.projects.edges.map((edge) => edge.node);
  return [
    renderBreadcrumbs(page, t),
    h("h1", {}, page.title),
    page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
    projectFilters(data, chosen, t),
    projects.length
      ? h("ul", { class: "service-list project-list", dataset: { count: data.projects.totalCount } }, projects.map(projectCard))
      : h("p", { role: "status" }, t.noProjects),
  ];
}

async function renderCategoryIndex(page, t) {
  const data = await graphql(CATEGORIES_QUERY, { locale: page.locale.code });
  return [
    renderBreadcrumbs(page, t),
    h("h1", {}, page.title),
    page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
    h(
      "ul",
      { class: "service-list category-list" },
      data.categories.map((category) =>
        h(
          "li",
          { class: "service-card" },
          picture(category.symbol, { className: "symbol", decorative: true }),
          h("h2", {}, h("a", { href: category.url }, category.title)),
          category.subtitle?.html ? trustedHtml(category.subtitle.html, { absolute: cmsAsset }) : null,
        ),
      ),
    ),
  ];
}

function memberCard(member, t) {
  const links = member.links.map((item) => h("li", {}, h("a", { href: item.url, rel: "noopener noreferrer" }, item.kind)));
  return h(
    "li",
    { class: "member-card", id: `member-${member.slug}` },
    picture(member.photo, { className: "portrait", decorative: true }),
    h("h2", {}, member.name),
    member.role ? h("p", { class: "member-role" }, member.role) : null,
    member.bio?.html ? trustedHtml(member.bio.html, { absolute: cmsAsset }) : null,
    member.email ? h("p", {}, h("a", { href: `mailto:${member.email}` }, member.email)) : null,
    links.length ? h("ul", { class: "member-links" }, links) : null,
    member.projects.length
      ? h("p", { class: "member-projects" }, `${t.projectsOf}: `, member.projects.map((project, i) => [i ? ", " : "", h("a", { href: project.url }, project.title)]))
      : null,
  );
}

async function showTeam(language) {
  const t = setChrome(language);
  const data = await graphql(TEAM_QUERY, { locale: language });
  setHead({ title: t.teamTitle, language, alternates: [] });
  switcher.hidden = true;
  main.replaceChildren(
    h("h1", {}, t.teamTitle),
    data.members.length ? h("ul", { class: "team" }, data.members.map((member) => memberCard(member, t))) : null,
  );
  main.dataset.pageType = "Team";
  return "ready";
}

/** The hero title: highlighted words in <mark>, the editor's line breaks kept. */
function heroTitle(page) {
  const lines = page.heroTitle?.lines ?? [];
  if (!lines.length) return h("h1", {}, page.title);
  const title = h(
    "h1",
    { class: "hero-title" },
    lines.map((parts, index) => [index ? h("br") : null, parts.map((part) => (part.highlighted ? h("mark", {}, part.text) : part.text))]),
  );
  if (page.highlightColor) title.style.setProperty("--highlight", page.highlightColor);
  return title;
}

async function renderHome(page, t) {
  const data = await graphql(HOME_QUERY, { locale: page.locale.code });
  const projects = data.projects.edges.map((edge) => edge.node);
  const values = page.values;
  return [
    h(
      "section",
      { class: "hero" },
      heroTitle(page),
      page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
      page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
      picture(page.image, { className: "hero-image", eager: true, decorative: true }),
    ),
    values?.items.length
      ? h(
          "section",
          { class: "values", "aria-labelledby": "values-title" },
          h("h2", { id: "values-title" }, values.title || t.values),
          values.text?.html ? trustedHtml(values.text.html, { absolute: cmsAsset }) : null,
          h("ul", { class: "value-list" }, values.items.map((item) => h("li", {}, trustedHtml(item.html)))),
        )
      : null,
    listSection("projects", page.projectsTitle || t.latestProjects, projects, projectCard, { className: "service-list" }),
    listSection("collaborators", page.collaboratorsTitle || t.workWith, data.collaborators, collaboratorItem, { className: "collaborators" }),
  ];
}

function renderStandard(page, t) {
  return h(
    "article",
    { class: `standard layout-${page.layout || "default"}`, dataset: { pageId: page.id } },
    renderBreadcrumbs(page, t),
    h(
      "header",
      { class: "service-header" },
      h("h1", {}, page.title),
      page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
      picture(page.image, { className: "standard-image", decorative: true }),
    ),
    page.description?.html ? trustedHtml(page.description.html, { absolute: cmsAsset }) : null,
    h("div", { class: "stream" }, renderStream(page.body, t)),
  );
}

const RENDER_BY_TYPE = {
  HomePage: renderHome,
  StandardPage: renderStandard,
  ServicePage: renderService,
  ProjectPage: renderProject,
  CategoryPage: renderCategory,
  ProjectIndexPage: renderProjectIndex,
  CategoryIndexPage: renderCategoryIndex,
};

async function renderPage(page, { preview = false, asked = null } = {}) {
  const language = page.locale.code;
  const t = setChrome(asked ?? language);
  setHead({
    title: page.seoTitle || page.title,
    description: page.searchDescription,
    language,
    alternates: preview ? [] : [{ code: language, url: page.url }, ...page.translations.filter((tr) => tr.url).map((tr) => ({ code: tr.locale.code, url: tr.url }))],
    noindex: preview,
  });
  renderSwitcher(page, { linkTranslations: !preview });
  const render = RENDER_BY_TYPE[page.__typename] ?? renderListing;
  const content = await render(page, t);
  // Served through the language chain: say so, and mark the content's own language.
  const fallback = asked && asked !== language ? h("p", { class: "fallback-notice", role: "note" }, t.fallbackNotice(page.locale.name)) : null;
  main.replaceChildren(...[fallback, content].flat().filter(Boolean));
  if (fallback) {
    document.documentElement.lang = asked;
    for (const child of main.children) if (child !== fallback) child.setAttribute("lang", language);
  }
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
  if (/^\/[a-z]{2}(?:-[a-z]+)?\/team\/$/i.test(path)) {
    currentSite = await loadSite(language);
    return showTeam(language);
  }
  const [data, site] = await Promise.all([graphql(PAGE_QUERY, { path }), loadSite(language)]);
  currentSite = site;
  if (!data.page) {
    const t = messages(language);
    renderProblem(language, t.notFoundTitle, t.notFound);
    return "not-found";
  }
  await renderPage(data.page, { asked: language });
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

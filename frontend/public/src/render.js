// The one set of renderers of the reference frontend, run by the browser (app.js) and by
// Node (frontend/ssr/render.mjs, with linkedom's DOM) alike. Every route is read from the
// CMS's GraphQL API:
//   /                      → the default language's home page (a redirect)
//   /<lang>/team/          → the team (members of the language)
//   /<lang>/…              → the page at that path (home, indexes, service, project, category…)
//   /preview?token=<TOKEN> → the draft a preview token stands for
//
// `renderRoute(doc, url, { fetch, cmsUrl, siteUrl })` fills `doc` (a document made from
// index.html) and answers { state, status, language, location? }. Nothing here touches a
// global document, location or window: the document, the URL and fetch are arguments.
// <body data-state> says ready, not-found or error once it is done (tests wait on it).

import { ApiError, createApi } from "./api.js";
import { createBlocks } from "./blocks.js";
import { createDom } from "./dom.js";
import { DEFAULT_LANGUAGE, languageList, messages } from "./i18n.js";
import { FORM_QUERY, PAGE_QUERY, PREVIEW_QUERY, LOCALES_QUERY, SERVICES_QUERY, PROJECTS_QUERY, CATEGORIES_QUERY, TEAM_QUERY, HOME_QUERY } from "./queries.js";
import { formElement } from "./forms.js";
import { createSite, menuOf } from "./site.js";

// The Open Graph locale of each language the site publishes.
const OG_LOCALES = { es: "es_ES", en: "en_GB", ca: "ca_ES" };
const COLOR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s/]+\)|[a-z]{3,20})$/i;

/** A colour from the CMS, only when it is one (it goes into a style attribute). */
function safeColor(value) {
  return typeof value === "string" && COLOR.test(value.trim());
}

/** A description from the page's own text when the editors wrote none: its first words, up to about 160 characters. */
function summary(page) {
  const html = page.description?.html || page.subtitle?.html || page.intro?.html || "";
  const text = html.replace(/<[^>]*>/g, " ").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ").trim();
  if (text.length <= 160) return text;
  const cut = text.slice(0, 157);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 100 ? cut.lastIndexOf(" ") : 157)}…`;
}

/** A site path in one form: percent-encoding undone, letters composed (NFC). */
export function sitePath(pathname) {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Not valid percent-encoding: kept as it was given.
  }
  return decoded.normalize("NFC");
}

/** Where a thank-you page leads back to: a path of this site, else nothing. */
export function returnPath(value) {
  return typeof value === "string" && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : null;
}

/**
 * The contact form whose own page is `path` (its handle is the path's last segment), in the
 * path's language; null when no public form lives there.
 */
export async function formAt(api, path) {
  const handle = sitePath(path).split("/").filter(Boolean).pop();
  if (!handle || !/^\/[a-z]{2}(?:-[a-z]+)?\/.+\/$/i.test(path)) return null;
  const data = await api.graphql(FORM_QUERY, { handle, locale: languageOf(path) });
  return data.form && sitePath(data.form.url ?? "") === sitePath(path) ? data.form : null;
}

export function languageOf(path) {
  const match = /^\/([a-z]{2}(?:-[a-z]+)?)\//i.exec(path);
  return match ? match[1].toLowerCase() : DEFAULT_LANGUAGE;
}

/** JSON for a <script type="application/ld+json">: data only, never able to close its element. */
export function jsonForScript(value) {
  const data = typeof value === "string" ? JSON.parse(value) : value;
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Renders the route of `url` into `doc`. Options: `fetch` and `cmsUrl` (the API), `siteUrl`
 * (this site's public origin, for canonical and alternate links), `redirects` (a function
 * path → { to, permanent } | null asked for paths without a page; the Node renderer passes
 * one when the API has `redirect(path:)`).
 */
export async function renderRoute(doc, url, { fetch, cmsUrl, siteUrl, redirects = null, submission = null } = {}) {
  const address = new URL(url, siteUrl || "http://localhost/");
  const origin = siteUrl ? new URL(siteUrl).origin : address.origin;
  const ctx = { ...createDom(doc), api: createApi({ cmsUrl, fetch }), url: address, origin, redirects, submission };
  ctx.blocks = createBlocks(ctx);
  ctx.site = createSite(ctx);
  return createRenderer(ctx).route();
}

function createRenderer(ctx) {
  const { h, trustedHtml, api, doc } = ctx;
  const { cmsAsset } = api;
  const graphql = api.graphql;
  const { picture, renderStream, renderBody } = ctx.blocks;
  const { loadSite, menuList, renderFooter } = ctx.site;
  const main = doc.getElementById("main");
  const switcher = doc.querySelector(".language-switcher");
  const banner = doc.getElementById("preview-banner");
  let currentSite = null;

  const absolute = (path) => (path ? new URL(path, ctx.origin).href : null);

  function setState(state) {
    doc.body.dataset.state = state;
    main.setAttribute("aria-busy", state === "loading" ? "true" : "false");
  }

  /**
   * The head: title, description, canonical, Open Graph and Twitter cards, robots,
   * alternates per language (with x-default) and the page's JSON-LD, from `page.seo` when
   * the API gives it, else from the page's own fields.
   */
  function setHead({ title, description, language, alternates = [], noindex = false, canonical = null, seo = null, type = "article" }) {
    const siteName = currentSite?.name || "Civic CMS";
    const shown = seo?.title || title;
    doc.title = shown ? (shown.includes(siteName) ? shown : `${shown} · ${siteName}`) : siteName;
    doc.documentElement.setAttribute("lang", language);
    for (const stale of doc.head.querySelectorAll("[data-managed]")) stale.remove();
    const tags = [];
    const meta = (attrs) => tags.push(h("meta", { "data-managed": true, ...attrs }));
    const text = seo?.description || description || "";
    const canonicalUrl = noindex ? null : seo?.canonicalUrl || absolute(canonical);
    if (text) meta({ name: "description", content: text });
    meta({ name: "robots", content: noindex ? "noindex, nofollow" : seo?.robots || "index, follow" });
    if (canonicalUrl) tags.push(h("link", { "data-managed": true, rel: "canonical", href: canonicalUrl }));
    if (!noindex) {
      const links = seo?.alternates?.length
        ? seo.alternates
        : alternates.length
          ? [
              ...alternates.map((item) => ({ hreflang: item.code, url: absolute(item.url) })),
              { hreflang: "x-default", url: absolute((alternates.find((item) => item.code === DEFAULT_LANGUAGE) ?? alternates[0]).url) },
            ]
          : [];
      for (const link of links) tags.push(h("link", { "data-managed": true, rel: "alternate", hreflang: link.hreflang, href: link.url }));
      meta({ property: "og:type", content: type });
      meta({ property: "og:site_name", content: siteName });
      meta({ property: "og:title", content: shown || siteName });
      if (text) meta({ property: "og:description", content: text });
      if (canonicalUrl) meta({ property: "og:url", content: canonicalUrl });
      meta({ property: "og:locale", content: OG_LOCALES[language] ?? language });
      const image = seo?.image;
      if (image) {
        meta({ property: "og:image", content: cmsAsset(image.url) });
        meta({ property: "og:image:width", content: image.width });
        meta({ property: "og:image:height", content: image.height });
        if (image.alt) meta({ property: "og:image:alt", content: image.alt });
      }
      meta({ name: "twitter:card", content: image ? "summary_large_image" : "summary" });
      meta({ name: "twitter:title", content: shown || siteName });
      if (text) meta({ name: "twitter:description", content: text });
      if (image) meta({ name: "twitter:image", content: cmsAsset(image.url) });
      if (seo?.jsonLd && (typeof seo.jsonLd !== "object" || Object.keys(seo.jsonLd).length)) {
        const script = h("script", { "data-managed": true, type: "application/ld+json" });
        script.textContent = jsonForScript(seo.jsonLd);
        tags.push(script);
      }
    }
    doc.head.append(...tags);
  }

  function setChrome(language) {
    const t = messages(language, currentSite?.strings);
    renderFooter(currentSite, t);
    doc.querySelector(".skip-link").textContent = t.skip;
    switcher.setAttribute("aria-label", t.language);
    const brand = doc.querySelector(".brand");
    brand.setAttribute("href", `/${language}/`);
    if (currentSite?.name) brand.textContent = currentSite.name;
    const nav = doc.querySelector(".site-nav");
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
              h("li", {}, h("a", { href, "aria-current": ctx.url.pathname.startsWith(href) ? "page" : null }, label)),
            ),
          ),
    );
    nav.hidden = false;
    return t;
  }

  /** The language switcher: the current language, then each other version with hreflang. */
  function renderSwitcher(current, others, { linkTranslations = true } = {}) {
    const items = [
      h("li", {}, h("a", { href: current.url, hreflang: current.code, lang: current.code, "aria-current": "page" }, current.name)),
      ...others
        .filter((other) => other.url)
        .map((other) =>
          h(
            "li",
            {},
            linkTranslations
              ? h("a", { href: other.url, hreflang: other.code, lang: other.code, rel: "alternate" }, other.name)
              : h("span", { lang: other.code }, other.name),
          ),
        ),
    ];
    switcher.replaceChildren(h("ul", {}, items));
    switcher.hidden = false;
  }

  function pageSwitcher(page, options) {
    renderSwitcher(
      { url: page.url ?? ctx.url.pathname, code: page.locale.code, name: page.locale.name },
      page.translations.map((translation) => ({ url: translation.url, code: translation.locale.code, name: translation.locale.name })),
      options,
    );
  }

  /** After a render: the first image of the content is the page's largest paint (eager, high priority); the rest load when near. */
  function prioritiseImages() {
    main.querySelectorAll("img").forEach((image, index) => {
      if (index === 0) {
        image.setAttribute("loading", "eager");
        image.setAttribute("fetchpriority", "high");
      } else {
        if (!image.hasAttribute("loading")) image.setAttribute("loading", "lazy");
        image.removeAttribute("fetchpriority");
      }
    });
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

  function serviceCard(service, { heading = "h2" } = {}) {
    return h(
      "li",
      { class: "service-card" },
      picture(service.image, { slot: "card", decorative: true }),
      h(heading, {}, h("a", { href: service.url }, service.title)),
      trustedHtml(service.description.html, { absolute: cmsAsset }),
    );
  }

  /** A listing page's own picture (services, projects, categories, team), if it has one. */
  function listingPicture(page) {
    return page?.image ? picture(page.image, { slot: "full", className: "standard-image listing-image" }) : null;
  }

  async function renderListing(page, t) {
    const data = await graphql(SERVICES_QUERY, { locale: page.locale.code });
    const services = data.services.edges.map((edge) => edge.node);
    return [
      renderBreadcrumbs(page, t),
      h("h1", {}, page.title),
      page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
      listingPicture(page),
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
    // A custom property only (the CSP allows style attributes, never style elements).
    if (safeColor(state.color)) badge.style.setProperty("--state", state.color);
    return badge;
  }

  function projectCard(project) {
    return h(
      "li",
      { class: "service-card project-card" },
      picture(project.bannerImage, { slot: "card", decorative: true }),
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
        picture(page.image, { slot: "full", className: "hero" }),
      ),
      renderBody(page.body, t),
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

  /**
   * The note saying that a page (`part: false`), or some of what it shows, is in other
   * languages than the reader's (`codes`; `names`: the API's names by code), or null.
   */
  function fallbackNote(t, codes, names, { part = false } = {}) {
    if (!codes.length) return null;
    const languages = languageList(t, codes, names);
    return h("p", { class: "fallback-notice", role: "note" }, part ? t.partFallbackNotice(languages) : t.fallbackNotice(languages));
  }

  /** The languages of `items` (each with `locale { code name }`) other than `language`, and their names. */
  function otherLanguages(items, language) {
    const others = (items ?? []).map((item) => item.locale).filter((locale) => locale?.code && locale.code !== language);
    return { codes: [...new Set(others.map((locale) => locale.code))], names: Object.fromEntries(others.map((locale) => [locale.code, locale.name])) };
  }

  /** A member's own language, on its element, when it is not the page's. */
  const langOf = (member, language) => (member.locale?.code && member.locale.code !== language ? member.locale.code : null);

  function memberItem(member, language) {
    return h(
      "li",
      { class: "member", lang: langOf(member, language) },
      picture(member.photo, { slot: "portrait", className: "portrait", decorative: true }),
      h("span", { class: "member-name" }, member.name),
      member.role ? h("span", { class: "member-role" }, member.role) : null,
    );
  }

  function collaboratorItem(collaborator) {
    const content = [picture(collaborator.logo, { slot: "logo", className: "logo", decorative: true }), h("span", { class: "collaborator-name" }, collaborator.name)];
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
        picture(page.bannerImage, { slot: "full", className: "hero" }),
      ),
      page.description?.html ? trustedHtml(page.description.html, { absolute: cmsAsset }) : null,
      projectFacts(page, t),
      renderBody(page.body, t),
      listSection("services", t.services, page.services, pageLink),
      listSection("categories", t.categories, page.categories, pageLink),
      listSection("members", t.team, page.members, (member) => memberItem(member, page.locale.code), { className: "members" }),
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
        picture(page.symbol, { slot: "symbol", className: "symbol", decorative: true }),
        h("h1", {}, page.title),
        page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
      ),
      listSection("services", t.services, page.services, serviceCard, { className: "service-list" }),
      listSection("projects", t.projects, page.projects, projectCard, { className: "service-list" }),
      callToAction(page, t),
    );
  }

  /** The filters of the projects index: a plain GET form, so it works without JavaScript too. */
  function projectFilters(data, chosen, t, label = "") {
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
      select("category", label || t.category, data.categories),
      h("button", { type: "submit", class: "button" }, t.filter),
    );
    return form;
  }

  async function renderProjectIndex(page, t) {
    const params = ctx.url.searchParams;
    const chosen = { state: params.get("state") || "", category: params.get("category") || "" };
    const filters = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value));
    const data = await graphql(PROJECTS_QUERY, { locale: page.locale.code, filters: Object.keys(filters).length ? filters : null });
    const projects = data.projects.edges.map((edge) => edge.node);
    return [
      renderBreadcrumbs(page, t),
      h("h1", {}, page.title),
      page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
      listingPicture(page),
      projectFilters(data, chosen, t, page.categoryFilterLabel),
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
      listingPicture(page),
      h(
        "ul",
        { class: "service-list category-list" },
        data.categories.map((category) =>
          h(
            "li",
            { class: "service-card" },
            picture(category.symbol, { slot: "symbol", className: "symbol", decorative: true }),
            h("h2", {}, h("a", { href: category.url }, category.title)),
            category.subtitle?.html ? trustedHtml(category.subtitle.html, { absolute: cmsAsset }) : null,
          ),
        ),
      ),
    ];
  }

  function memberCard(member, t, language) {
    const links = member.links.map((item) => h("li", {}, h("a", { href: item.url, rel: "noopener noreferrer" }, item.kind)));
    return h(
      "li",
      { class: "member-card", id: `member-${member.slug}`, lang: langOf(member, language) },
      picture(member.photo, { slot: "portrait", className: "portrait", decorative: true }),
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


  /** The hero title: highlighted words in <mark>, the editor's line breaks kept. */
  function heroTitle(page) {
    const lines = page.heroTitle?.lines ?? [];
    if (!lines.length) return h("h1", {}, page.title);
    const title = h(
      "h1",
      { class: "hero-title" },
      lines.map((parts, index) => [index ? h("br") : null, parts.map((part) => (part.highlighted ? h("mark", {}, part.text) : part.text))]),
    );
    if (safeColor(page.highlightColor)) title.style.setProperty("--highlight", page.highlightColor);
    return title;
  }

  async function renderHome(page, t) {
    const data = await graphql(HOME_QUERY, { locale: page.locale.code });
    const projects = data.projects.edges.map((edge) => edge.node);
    const services = data.services.edges.map((edge) => edge.node);
    const values = page.values;
    return [
      h(
        "section",
        { class: "hero" },
        heroTitle(page),
        page.subtitle?.html ? trustedHtml(page.subtitle.html, { className: "prose lead", absolute: cmsAsset }) : null,
        page.intro?.html ? trustedHtml(page.intro.html, { absolute: cmsAsset }) : null,
        picture(page.image, { slot: "full", className: "hero-image", decorative: true }),
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
      // What the organisation offers, and the way to all of it.
      services.length
        ? h(
            "section",
            { class: "related related-services", "aria-labelledby": "services-title" },
            h("h2", { id: "services-title" }, t.services),
            h("ul", { class: "service-list" }, services.map((service) => serviceCard(service, { heading: "h3" }))),
            h("p", { class: "more" }, h("a", { href: `/${page.locale.code}/services/` }, t.allServices)),
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
        picture(page.image, { slot: "full", className: "standard-image", decorative: true }),
      ),
      page.description?.html ? trustedHtml(page.description.html, { absolute: cmsAsset }) : null,
      renderBody(page.body, t),
    );
  }

  async function showTeam(language) {
    const t = setChrome(language);
    const data = await graphql(TEAM_QUERY, { locale: language, path: `/${language}/team/` });
    // The team listing page's own texts and picture where the CMS has one here.
    const listing = data.page?.title ? data.page : null;
    const title = listing?.title || t.teamTitle;
    const others = data.locales.filter((locale) => locale.code !== language);
    const current = data.locales.find((locale) => locale.code === language) ?? { code: language, name: language };
    // Its description for search results and link previews: who is in it.
    const names = data.members.map((member) => member.name).join(", ");
    setHead({
      title: listing?.seoTitle || title,
      description: listing?.searchDescription || (names ? `${title}: ${names}`.slice(0, 160) : ""),
      language,
      canonical: `/${language}/team/`,
      alternates: data.locales.map((locale) => ({ code: locale.code, url: `/${locale.code}/team/` })),
    });
    renderSwitcher(
      { url: `/${language}/team/`, code: language, name: current.name },
      others.map((locale) => ({ url: `/${locale.code}/team/`, code: locale.code, name: locale.name })),
    );
    // Members not yet translated come in another language: say so (every one: the whole list).
    const untranslated = otherLanguages(data.members, language);
    const part = data.members.some((member) => !langOf(member, language));
    main.replaceChildren(
      ...[
        fallbackNote(t, untranslated.codes, untranslated.names, { part }),
        h("h1", {}, title),
        listing?.intro?.html ? trustedHtml(listing.intro.html, { absolute: cmsAsset }) : null,
        listingPicture(listing),
        data.members.length ? h("ul", { class: "team" }, data.members.map((member) => memberCard(member, t, language))) : null,
      ].filter(Boolean),
    );
    main.dataset.pageType = "Team";
    return { state: "ready", status: 200 };
  }

  async function renderPage(page, { preview = false, asked = null, notFound = false } = {}) {
    const language = page.locale.code;
    const t = setChrome(asked ?? language);
    setHead({
      title: page.seoTitle || page.title,
      description: page.searchDescription || summary(page),
      language,
      canonical: page.url,
      seo: preview || notFound ? null : page.seo,
      type: page.__typename === "HomePage" ? "website" : "article",
      alternates: preview ? [] : [{ code: language, url: page.url }, ...page.translations.filter((tr) => tr.url).map((tr) => ({ code: tr.locale.code, url: tr.url }))],
      noindex: preview || notFound,
    });
    pageSwitcher(page, { linkTranslations: !preview && !notFound });
    const render = RENDER_BY_TYPE[page.__typename] ?? renderListing;
    const content = await render(page, t);
    // Served through the language chain: say so, and mark the content's own language. A
    // translated page may still show members not yet translated: say that too.
    const whole = Boolean(asked) && asked !== language;
    const untranslated = otherLanguages(page.members, language);
    const fallback = whole
      ? fallbackNote(t, [language], { [language]: page.locale.name })
      : fallbackNote(t, untranslated.codes, untranslated.names, { part: true });
    main.replaceChildren(...[fallback, content].flat().filter(Boolean));
    if (whole) {
      doc.documentElement.setAttribute("lang", asked);
      for (const child of main.children) if (child !== fallback) child.setAttribute("lang", language);
    }
    main.dataset.pageType = page.__typename;
  }

  function renderProblem(language, title, text, { alert = false } = {}) {
    const t = setChrome(language);
    setHead({ title, language, noindex: true });
    switcher.hidden = true;
    main.replaceChildren(h("h1", {}, title), h("p", { role: alert ? "alert" : null }, text));
    return t;
  }

  /** A path without a page: the CMS's own 404 page of the language (slug 404), else the built-in text. */
  async function showNotFound(language) {
    const data = await graphql(PAGE_QUERY, { path: `/${language}/404/` }).catch(() => ({ page: null }));
    if (data.page && data.page.locale.code === language) {
      await renderPage(data.page, { notFound: true });
      main.dataset.pageType = "NotFound";
    } else {
      const t = messages(language, currentSite?.strings);
      renderProblem(language, t.notFoundTitle, t.notFound);
    }
    return { state: "not-found", status: 404 };
  }

  async function showPreview() {
    const params = ctx.url.searchParams;
    const token = params.get("token");
    const language = params.get("lang") || DEFAULT_LANGUAGE;
    const t = messages(language);
    banner.textContent = t.preview;
    banner.hidden = false;
    if (!token) {
      renderProblem(language, t.previewFailed, t.previewMissingToken, { alert: true });
      return { state: "error", status: 400 };
    }
    try {
      const data = await graphql(PREVIEW_QUERY, { token }, { method: "POST" });
      if (!data.page) {
        renderProblem(language, t.previewFailed, t.notFound, { alert: true });
        return { state: "not-found", status: 404 };
      }
      currentSite = await loadSite(data.page.locale.code);
      await renderPage(data.page, { preview: true });
      banner.textContent = messages(data.page.locale.code, currentSite?.strings).preview;
      return { state: "ready", status: 200 };
    } catch (error) {
      // The API explains why a token is refused (expired, forged…): show it.
      renderProblem(language, t.previewFailed, error instanceof ApiError ? error.message : t.error, { alert: true });
      return { state: "error", status: 400 };
    }
  }

  /**
   * A contact form's own page: the form posting to this same address (the site's server
   * sends it on to the CMS: frontend/server.py); after a post, with `?sent`, the form's
   * thanks and a link back to where the visitor came from (`from`).
   */
  function showForm(form, path) {
    const language = form.locale.code;
    const t = setChrome(language);
    const sent = ctx.url.searchParams.has("sent");
    const returnTo = returnPath(ctx.submission?.returnTo ?? ctx.url.searchParams.get("from"));
    setHead({
      title: sent ? `${t.formSentTitle} · ${form.title}` : form.title,
      description: summary(form),
      language,
      canonical: form.url,
      noindex: sent || Boolean(ctx.submission),
    });
    switcher.hidden = true;
    if (sent) {
      main.replaceChildren(
        h("h1", {}, form.title),
        h("div", { class: "form-thanks", role: "status" }, form.thankYou?.html ? trustedHtml(form.thankYou.html) : h("p", {}, t.formSent)),
        h("p", {}, h("a", { class: "button", href: returnTo ?? `/${language}/` }, returnTo ? t.back : t.backHome)),
      );
      main.dataset.pageType = "FormSent";
      return { state: "ready", status: 200 };
    }
    const refused = ctx.submission;
    main.replaceChildren(
      h("h1", {}, form.title),
      formElement(ctx, form, t, { action: path, values: refused?.values, errors: refused?.errors, returnTo }),
    );
    main.dataset.pageType = "Form";
    return { state: "ready", status: refused ? 400 : 200 };
  }

  async function showPath(path) {
    if (path === "/") {
      const data = await graphql(LOCALES_QUERY);
      const fallback = data.locales.find((locale) => locale.isDefault)?.code ?? DEFAULT_LANGUAGE;
      return { state: "loading", status: 302, location: `/${fallback}/`, locales: data.locales };
    }
    const language = languageOf(path);
    if (/^\/[a-z]{2}(?:-[a-z]+)?\/team\/$/i.test(path)) {
      currentSite = await loadSite(language);
      return showTeam(language);
    }
    const [data, site] = await Promise.all([graphql(PAGE_QUERY, { path }), loadSite(language)]);
    currentSite = site;
    if (!data.page) {
      const form = await formAt(api, path);
      if (form) return showForm(form, path);
      const redirect = ctx.redirects ? await ctx.redirects(path) : null;
      if (redirect?.to) return { state: "loading", status: redirect.permanent ? 301 : 302, location: redirect.to };
      return showNotFound(language);
    }
    await renderPage(data.page, { asked: language });
    return { state: "ready", status: 200 };
  }

  async function route() {
    const path = ctx.url.pathname;
    const language = path === "/preview" ? ctx.url.searchParams.get("lang") || DEFAULT_LANGUAGE : languageOf(path);
    setState("loading");
    let result;
    try {
      result = path === "/preview" ? await showPreview() : await showPath(path);
    } catch (error) {
      console.error(error);
      const t = messages(language, currentSite?.strings);
      renderProblem(language, t.errorTitle, t.error, { alert: true });
      result = { state: "error", status: 502 };
    }
    if (result.state !== "loading") {
      prioritiseImages();
      setState(result.state);
    }
    return { language, ...result };
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

  return { route };
}

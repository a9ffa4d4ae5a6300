// The site's chrome from the CMS: the main menu, the footer's link lists, social links and
// contact details, in the page's language. Built-in sections stand in where the CMS has
// no menu yet.
//
// `createSite(ctx)` binds it to one render (its document, its URL, its API).

import { SITE_QUERY } from "./queries.js";

export function menuOf(site, handle) {
  return site?.menus.find((menu) => menu.handle === handle && menu.items.length) ?? null;
}

export function createSite(ctx) {
  const { h, trustedHtml, api, doc } = ctx;
  const cache = new Map();

  /** The `site` of a language, asked once per render; null when the API has none. */
  function loadSite(language) {
    if (!cache.has(language)) {
      cache.set(
        language,
        api
          .graphql(SITE_QUERY, { locale: language })
          .then((data) => data.site)
          .catch((error) => {
            console.error(error);
            return null;
          }),
      );
    }
    return cache.get(language);
  }

  function menuLink(item) {
    // A language's home (/es/) is current only on itself; a section also on its pages.
    const home = /^\/([a-z]{2}(-[a-z]+)?\/)?$/i.test(item.url ?? "");
    const current = item.url && (home ? ctx.url.pathname === item.url : ctx.url.pathname.startsWith(item.url));
    return h("a", { href: item.url, "aria-current": current ? "page" : null }, item.label);
  }

  function menuList(menu) {
    return h(
      "ul",
      {},
      menu.items
        .filter((item) => item.url)
        .map((item) =>
          h(
            "li",
            {},
            menuLink(item),
            item.children?.length ? h("ul", {}, item.children.filter((child) => child.url).map((child) => h("li", {}, menuLink(child)))) : null,
          ),
        ),
    );
  }

  /** The footer: link lists, contact details and social links, each only when it has content. */
  function renderFooter(site, t) {
    const footer = doc.querySelector(".site-footer");
    footer.setAttribute("aria-label", t.footer);
    const lists = ["footer_links", "legal_links"]
      .map((handle) => menuOf(site, handle))
      .filter(Boolean)
      .map((menu) => h("nav", { class: `footer-menu footer-${menu.handle}`, "aria-label": menu.title || menu.handle }, menu.title ? h("h2", {}, menu.title) : null, menuList(menu)));
    const contact = site?.contact;
    const details =
      contact && (contact.email || contact.phone || contact.address?.html)
        ? h(
            "section",
            { class: "footer-contact", "aria-label": t.contactUs },
            contact.address?.html ? trustedHtml(contact.address.html) : null,
            contact.email ? h("p", {}, h("a", { href: `mailto:${contact.email}` }, contact.email)) : null,
            contact.phone ? h("p", {}, h("a", { href: `tel:${contact.phone.replace(/\s+/g, "")}` }, contact.phone)) : null,
          )
        : null;
    const social = site?.socialLinks.length
      ? h(
          "nav",
          { class: "footer-social", "aria-label": t.follow },
          h("ul", {}, site.socialLinks.map((item) => h("li", {}, h("a", { href: item.url, rel: "me noopener noreferrer" }, item.kind)))),
        )
      : null;
    footer.replaceChildren(...[...lists, details, social].filter(Boolean), h("p", { class: "footer-name" }, site?.name || "Civic CMS"));
  }

  return { loadSite, menuList, renderFooter };
}

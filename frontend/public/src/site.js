// The site's chrome from the CMS: the main menu, the footer's link lists, social links and
// contact details, in the page's language. Built-in sections stand in where the CMS has
// no menu yet.

import { graphql } from "./api.js";
import { h, trustedHtml } from "./dom.js";
import { useSiteStrings } from "./i18n.js";
import { SITE_QUERY } from "./queries.js";

const cache = new Map();

/** The `site` of a language, asked once per page load; null when the API has none. */
export async function loadSite(language) {
  if (!cache.has(language)) {
    cache.set(
      language,
      graphql(SITE_QUERY, { locale: language })
        .then((data) => data.site)
        .catch((error) => {
          console.error(error);
          return null;
        }),
    );
  }
  const site = await cache.get(language);
  useSiteStrings(site?.strings);
  return site;
}

function menuLink(item) {
  const current = item.url && location.pathname.startsWith(item.url) && item.url !== "/";
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

export function menuOf(site, handle) {
  return site?.menus.find((menu) => menu.handle === handle && menu.items.length) ?? null;
}

/** The footer: link lists, contact details and social links, each only when it has content. */
export function renderFooter(site, t) {
  const footer = document.querySelector(".site-footer");
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

export { menuList };

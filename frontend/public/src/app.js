// The browser's entry. A page the server already rendered (<body data-rendered="server">,
// from the static build or server-side rendering) is only enhanced: contact forms open in
// a dialog, the filters send themselves. Anything else (the preview, or a page served as
// the bare shell) is rendered here by the same renderers the server uses (render.js).

import config from "/config.js";
import { createApi } from "./api.js";
import { enhance } from "./enhance.js";

const api = createApi({ cmsUrl: config.cmsUrl, fetch: (...args) => window.fetch(...args) });

async function start() {
  if (document.body.dataset.rendered === "server") {
    enhance(document, api);
    return;
  }
  const { renderRoute } = await import("./render.js");
  const result = await renderRoute(document, location.href, {
    fetch: (...args) => window.fetch(...args),
    cmsUrl: config.cmsUrl,
    siteUrl: location.origin,
  });
  if (result.location) {
    // "/" goes to the visitor's language when the CMS publishes it, else the default one.
    const preferred = location.pathname === "/" ? navigator.languages.map((code) => code.slice(0, 2)).find((code) => result.locales?.some((l) => l.code === code)) : null;
    location.replace(preferred ? `/${preferred}/` : result.location);
    return;
  }
  enhance(document, api);
}

start();

// The static build from the CMS's API:
//
//   node ssr/build.mjs                       # everything, into FRONTEND_DIST (default frontend/dist)
//   node ssr/build.mjs /es/services/x/ …     # only these paths (and what links to them)
//
// CIVIC_CMS_URL says where the API is, FRONTEND_SITE_URL the site's public origin (for
// canonical links, sitemaps and robots.txt). Prints what it wrote as JSON.

import { createRenderer, settings } from "./render.mjs";
import { createBuilder } from "./builder.mjs";

const config = settings();
const renderer = createRenderer(config);
const builder = createBuilder({ renderer, dist: config.dist, siteUrl: config.siteUrl });
const paths = process.argv.slice(2);
const report = paths.length ? await builder.update(paths) : await builder.full();
console.log(JSON.stringify({ dist: config.dist, pages: report.written.length, removed: report.removed, ms: report.ms }));

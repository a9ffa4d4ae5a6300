// Runs the frontend's dropEmptyHeadings on HTML fragments read as a JSON list from stdin,
// on a linkedom document as the server-side renderer does; prints the results as JSON.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const frontend = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../frontend");
const { parseHTML } = createRequire(path.join(frontend, "package.json"))("linkedom");
const { createDom } = await import(pathToFileURL(path.join(frontend, "public/src/dom.js")).href);

const { document } = parseHTML("<!doctype html><html><body></body></html>");
const dom = createDom(document);
const results = JSON.parse(readFileSync(0, "utf8")).map((html) => {
  const root = dom.h("div");
  root.innerHTML = html;
  return dom.dropEmptyHeadings(root).innerHTML;
});
console.log(JSON.stringify(results));

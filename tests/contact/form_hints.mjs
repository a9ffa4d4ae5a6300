// Builds a contact form with the frontend's formElement (forms.js, as the public site's form
// page and the dialog do) on a linkedom document, one field per help text read as a JSON
// list from stdin; prints each field's hint as HTML.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const frontend = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../frontend");
const { parseHTML } = createRequire(path.join(frontend, "package.json"))("linkedom");
const { createDom } = await import(pathToFileURL(path.join(frontend, "public/src/dom.js")).href);
const { formElement } = await import(pathToFileURL(path.join(frontend, "public/src/forms.js")).href);

const { document } = parseHTML("<!doctype html><html><body></body></html>");
const texts = JSON.parse(readFileSync(0, "utf8"));
const fields = texts.map((helpText, index) => ({
  name: `f${index}`, label: `F${index}`, type: "CHECKBOX", required: false, helpText, choices: [],
}));
const form = formElement(createDom(document), { handle: "hints", buttonLabel: "Enviar", fields }, {});
console.log(JSON.stringify(fields.map((field) => form.querySelector(`#form-hints-${field.name}-help`)?.innerHTML ?? "")));

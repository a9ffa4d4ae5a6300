// What JavaScript adds to a page that is already rendered (by the server or by render.js):
// a call to action that names a form opens it in a dialog, and the projects filters
// send themselves when a choice changes. Without JavaScript the same page works with
// plain links and a plain GET form.

import { messages } from "./i18n.js";

export function enhance(doc, api) {
  const language = doc.documentElement.getAttribute("lang") || undefined;
  for (const button of doc.querySelectorAll("a[data-form]")) {
    if (button.dataset.enhanced) continue;
    button.dataset.enhanced = "true";
    button.addEventListener("click", async (event) => {
      event.preventDefault();
      const form = JSON.parse(button.dataset.form);
      const { openFormDialog } = await import("./forms.js");
      const t = messages(form.locale.code ?? language);
      openFormDialog(form, form.locale.code, { ...t, close: button.dataset.formClose || t.close }, button, api);
    });
  }
  for (const form of doc.querySelectorAll("form.filters")) {
    if (form.dataset.enhanced) continue;
    form.dataset.enhanced = "true";
    for (const control of form.querySelectorAll("select")) control.addEventListener("change", () => form.requestSubmit());
  }
}

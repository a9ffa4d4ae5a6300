// Contact forms: the call-to-action button opens its form in a dialog; the form is sent
// with the submitForm mutation and the CMS's answer is shown field by field. Without
// JavaScript the button is a plain link to the form's own page on this site, where the
// same form (formElement) posts to the site's server (see frontend/server.py).
// The dialog is browser only: enhance.js calls it on a page that is already rendered.

import { createDom } from "./dom.js";
import { SUBMIT_FORM_MUTATION } from "./queries.js";

// Bound to the browser's document when a form is first opened (never at import time).
let dom = null;

// People never see this field; a bot that fills it in is answered "ok" and nothing is kept.
export const HONEYPOT = "website";
const ACCEPTED_FILES = ".pdf,.odt,.docx,image/png,image/jpeg,image/gif,image/webp";
// The page a visitor came from, sent back with a plain post (the thank-you page links it).
export const RETURN_TO = "return_to";

function control(h, field, id, describedBy, given) {
  const common = { id, name: field.name, required: field.required, "aria-describedby": describedBy };
  const value = given[0] ?? null;
  switch (field.type) {
    case "MULTILINE":
      return h("textarea", { ...common, rows: 6 }, value ?? "");
    case "EMAIL":
      return h("input", { ...common, type: "email", autocomplete: "email", value });
    case "NUMBER":
      return h("input", { ...common, type: "number", value });
    case "URL":
      return h("input", { ...common, type: "url", value });
    case "DATE":
      return h("input", { ...common, type: "date", value });
    case "DATETIME":
      return h("input", { ...common, type: "datetime-local", value });
    case "FILE":
      return h("input", { ...common, type: "file", accept: ACCEPTED_FILES });
    case "CHECKBOX":
      return h("input", { ...common, type: "checkbox", value: "true", checked: given.includes("true") });
    case "DROPDOWN":
    case "MULTISELECT":
    case "RADIO":
    case "CHECKBOXES":
      return h(
        "select",
        { ...common, multiple: field.type === "MULTISELECT" || field.type === "CHECKBOXES" },
        field.type === "DROPDOWN" ? h("option", { value: "" }, "—") : null,
        field.choices.map((choice) => h("option", { value: choice, selected: given.includes(choice) }, choice)),
      );
    default:
      return h("input", { ...common, type: "text", autocomplete: field.name === "name" ? "name" : null, value });
  }
}

// The hint as the API gives it in HTML (escaped, its addresses links: contact/builder.py).
function hint(builder, field, id) {
  const element = builder.trustedHtml(field.helpHtml ?? "", { className: "help" });
  element.id = id;
  return element;
}

function fieldRow(builder, field, formId, given, messages) {
  const { h } = builder;
  if (field.type === "HIDDEN") return null;
  const id = `${formId}-${field.name}`;
  const helpId = field.helpText ? `${id}-help` : null;
  const errorId = `${id}-error`;
  const input = control(h, field, id, [helpId, errorId].filter(Boolean).join(" "), given);
  if (messages.length) input.setAttribute("aria-invalid", "true");
  const label = h("label", { for: id }, field.label, field.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null);
  const checkbox = field.type === "CHECKBOX";
  return h(
    "div",
    { class: `form-row${checkbox ? " form-row-checkbox" : ""}`, dataset: { field: field.name } },
    checkbox ? [input, " ", label] : [label, input],
    helpId ? hint(builder, field, helpId) : null,
    h("p", { id: errorId, class: "field-error", hidden: !messages.length }, messages.join(" ")),
  );
}

/**
 * The form's element, on the document `builder` (createDom) is bound to. With `action` it is
 * a plain form that posts there (the public site's own page of the form, without
 * JavaScript); `values` (name → list of strings) and `errors` ({ field, message }) are a
 * refused submission's, shown in place; `returnTo` goes back with the post.
 */
export function formElement(builder, form, t, { action = null, values = {}, errors = [], returnTo = null } = {}) {
  const { h, trustedHtml } = builder;
  const formId = `form-${form.handle}`;
  const known = new Set(form.fields.map((field) => field.name));
  const general = errors.filter((error) => !known.has(error.field)).map((error) => error.message);
  const status = h(
    "p",
    { class: `form-status${errors.length ? " form-status-error" : ""}`, "aria-live": "polite", role: errors.length ? "alert" : null },
    errors.length ? (general.length ? general.join(" ") : t.formHasErrors) : "",
  );
  const button = h("button", { type: "submit", class: "button" }, form.buttonLabel || t.send);
  const plain = action ? { method: "post", action, enctype: "multipart/form-data" } : { novalidate: true };
  return h(
    "form",
    { id: formId, class: "contact-form", ...plain, dataset: { handle: form.handle } },
    form.intro?.html ? trustedHtml(form.intro.html) : null,
    h("p", { class: "help" }, t.requiredNote),
    errors.length ? status : null,
    form.fields.map((field) =>
      fieldRow(builder, field, formId, values[field.name] ?? [], errors.filter((error) => error.field === field.name).map((error) => error.message)),
    ),
    h(
      "div",
      { class: "honeypot", "aria-hidden": "true" },
      h("label", { for: `${formId}-${HONEYPOT}` }, "Website"),
      h("input", { id: `${formId}-${HONEYPOT}`, name: HONEYPOT, tabindex: "-1", autocomplete: "off" }),
    ),
    returnTo ? h("input", { type: "hidden", name: RETURN_TO, value: returnTo }) : null,
    button,
    errors.length ? null : status,
  );
}

/**
 * A submission's values from a FormData, as the submitForm mutation takes them: one value
 * per field (several choices joined by ", "), the honeypot when filled in, and the file.
 */
export function submissionOf(data, fields) {
  const out = [];
  let file = null;
  for (const field of fields) {
    if (field.type === "FILE") {
      const chosen = data.get(field.name);
      if (chosen && typeof chosen === "object" && chosen.size) file = chosen;
      continue;
    }
    const all = data.getAll(field.name).filter((value) => typeof value === "string" && value !== "");
    if (all.length) out.push({ name: field.name, value: all.join(", ") });
  }
  const trap = data.get(HONEYPOT);
  if (trap) out.push({ name: HONEYPOT, value: String(trap) });
  return { values: out, file };
}

function showErrors(formElement, status, errors, t) {
  for (const error of formElement.querySelectorAll(".field-error")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const input of formElement.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const general = [];
  for (const error of errors) {
    const row = error.field && formElement.querySelector(`[data-field="${CSS.escape(error.field)}"]`);
    if (!row) {
      general.push(error.message);
      continue;
    }
    const message = row.querySelector(".field-error");
    message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
    message.hidden = false;
    row.querySelector("input, textarea, select")?.setAttribute("aria-invalid", "true");
  }
  status.textContent = general.length ? general.join(" ") : t.formHasErrors;
  status.className = "form-status form-status-error";
  status.setAttribute("role", "alert");
  formElement.querySelector("[aria-invalid]")?.focus();
}

/** The form as an element sent with the submitForm mutation (the dialog's). */
export function renderForm(form, language, t, api) {
  dom ??= createDom(document);
  const element = formElement(dom, form, t);
  const button = element.querySelector("button[type='submit']");
  const status = element.querySelector(".form-status");
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = t.sending;
    status.className = "form-status";
    try {
      const { values: fieldValues, file } = submissionOf(new FormData(element), form.fields);
      const data = await api.mutate(SUBMIT_FORM_MUTATION, { handle: form.handle, locale: language, values: fieldValues, file: null }, { file });
      const result = data.submitForm;
      if (result.ok) {
        const thanks = dom.h("div", { class: "form-thanks", role: "status", tabindex: "-1" }, form.thankYou?.html ? dom.trustedHtml(form.thankYou.html) : dom.h("p", {}, t.formSent));
        element.replaceWith(thanks);
        thanks.focus();
        return;
      }
      showErrors(element, status, result.errors, t);
    } catch (error) {
      console.error(error);
      status.textContent = t.formFailed;
      status.className = "form-status form-status-error";
      status.setAttribute("role", "alert");
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

/** Opens the form in a modal dialog (focus moves in, Escape and the close button leave). */
export function openFormDialog(form, language, t, opener, api) {
  dom ??= createDom(document);
  const { h } = dom;
  const close = h("button", { type: "button", class: "dialog-close", "aria-label": t.close }, "×");
  const titleId = `dialog-${form.handle}-title`;
  const dialog = h(
    "dialog",
    { class: "form-dialog", "aria-labelledby": titleId },
    close,
    h("h2", { id: titleId }, form.title),
    renderForm(form, language, t, api),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector("input, textarea, select")?.focus();
  return dialog;
}

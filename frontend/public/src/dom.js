// A tiny DOM builder: text always goes in as text, never as HTML. The only HTML
// inserted as such is what the API returns already sanitised (Markdown `html`).
//
// `createDom(doc)` binds the builder to one document: the browser's, or one the Node
// renderer made with linkedom. Nothing here touches a global document.

export function createDom(doc) {
  function append(element, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false || child === "") continue;
      element.append(typeof child === "object" ? child : doc.createTextNode(String(child)));
    }
  }

  function h(tag, attrs = {}, ...children) {
    const element = doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "dataset") {
        for (const [key, item] of Object.entries(value)) {
          if (item !== null && item !== undefined) element.dataset[key] = String(item);
        }
      } else element.setAttribute(name, value === true ? "" : String(value));
    }
    append(element, children);
    return element;
  }

  /** Sanitised HTML from the API, with headings moved one level down (the page title is the h1). */
  function trustedHtml(html, { className = "prose", absolute } = {}) {
    const template = doc.createElement("template");
    template.innerHTML = html;
    const fragment = template.content;
    for (const heading of fragment.querySelectorAll("h1, h2, h3, h4, h5")) {
      const level = Number(heading.tagName[1]) + 1;
      const lower = doc.createElement(`h${level}`);
      lower.append(...heading.childNodes);
      heading.replaceWith(lower);
    }
    if (absolute) {
      for (const image of fragment.querySelectorAll("img[src]")) {
        image.setAttribute("src", absolute(image.getAttribute("src")));
      }
      for (const link of fragment.querySelectorAll("a[href^='/media/'], a[href^='/documents/']")) {
        link.setAttribute("href", absolute(link.getAttribute("href")));
      }
    }
    const wrapper = h("div", { class: className });
    wrapper.append(fragment);
    return wrapper;
  }

  return { doc, h, trustedHtml };
}

// A tiny DOM builder: text always goes in as text, never as HTML. The only HTML
// inserted as such is what the API returns already sanitised (Markdown `html`).

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Sanitised HTML from the API, with headings moved one level down (the page title is the h1). */
export function trustedHtml(html, { className = "prose", absolute } = {}) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = template.content;
  for (const heading of fragment.querySelectorAll("h1, h2, h3, h4, h5")) {
    const level = Number(heading.tagName[1]) + 1;
    const lower = document.createElement(`h${level}`);
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

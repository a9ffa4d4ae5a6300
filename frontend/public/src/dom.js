// A tiny DOM builder: text always goes in as text, never as HTML. The only HTML
// inserted as such is what the API returns already sanitised (Markdown `html`).
//
// `createDom(doc)` binds the builder to one document: the browser's, or one the Node
// renderer made with linkedom. Nothing here touches a global document.

// Elements that are content by themselves, without words.
const MEDIA = new Set([
  "img", "picture", "iframe", "video", "audio", "svg", "object", "embed",
  "input", "select", "textarea", "button",
]);

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

  /**
   * Remove the headings that have nothing under them: a heading followed, before any words
   * or media, by a heading of the same or a higher rank, or by the end of `root`. Source
   * pages often end a Markdown block with a section heading (e.g. "Related projects") that
   * the old theme filled in itself; shown alone it is an empty section.
   */
  function dropEmptyHeadings(root) {
    const marks = [];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) {
          if (child.textContent.trim()) marks.push({ content: true });
        } else if (child.nodeType === 1) {
          const tag = child.tagName.toLowerCase();
          const level = /^h[1-6]$/.test(tag) ? Number(tag[1]) : 0;
          if (level) marks.push({ level, element: child });
          else if (MEDIA.has(tag)) marks.push({ content: true });
          else walk(child);
        }
      }
    };
    walk(root);
    let next = null; // what follows: null (the end), { content }, or a kept heading
    for (const mark of marks.reverse()) {
      if (mark.content) next = mark;
      else if (next === null || (next.level && next.level <= mark.level)) mark.element.remove();
      else next = mark;
    }
    return root;
  }

  return { doc, h, trustedHtml, dropEmptyHeadings };
}

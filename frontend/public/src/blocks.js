// One renderer per block type of the API's StreamBlock interface. Each returns a
// DOM node (or null to render nothing) and is written for screen readers first:
// real lists, figures with captions, titled iframes, links that say where they go.

import { cmsAsset, cmsSrcset } from "./api.js";
import { h, trustedHtml } from "./dom.js";
import { openFormDialog } from "./forms.js";

/** An <img> from an Image fragment: the rendition as fallback, the WebP srcset for browsers that take it. */
export function picture(image, { sizes = "100vw", decorative = false, className, eager = false } = {}) {
  if (!image) return null;
  const rendition = image.rendition;
  return h("img", {
    class: className,
    src: cmsAsset(rendition.url),
    srcset: cmsSrcset(image.srcset) || null,
    sizes: image.srcset ? sizes : null,
    width: rendition.width,
    height: rendition.height,
    alt: decorative ? "" : image.alt,
    // The header image is the largest thing on screen: load it at once, the rest when near.
    loading: eager ? "eager" : "lazy",
    decoding: "async",
  });
}

function prose(html) {
  return trustedHtml(html, { absolute: cmsAsset });
}

function isExternal(url) {
  return /^https?:\/\//i.test(url ?? "");
}

function link(url, attrs, ...children) {
  return h("a", { href: url, rel: isExternal(url) ? "noopener noreferrer" : null, ...attrs }, ...children);
}

function section(block, className, title, ...content) {
  const headingId = title ? `block-${block.id}-title` : null;
  return h(
    "section",
    { class: `block ${className}`, "aria-labelledby": headingId, dataset: { blockType: block.blockType } },
    title ? h("h2", { id: headingId }, title) : null,
    ...content,
  );
}

const RENDERERS = {
  MarkdownBlock: (block) =>
    h("div", { class: "block block-markdown", dataset: { blockType: block.blockType } }, prose(block.html)),

  MetricsBlock: (block, t) =>
    h(
      "section",
      { class: "block block-metrics", "aria-label": t.metrics, dataset: { blockType: block.blockType } },
      h(
        "ul",
        { class: "figures" },
        block.metrics.map((item) =>
          h("li", {}, h("span", { class: "figure-number" }, item.number), " ", h("span", { class: "figure-text" }, item.text)),
        ),
      ),
    ),

  NumbersBlock: (block, t) =>
    h(
      "section",
      { class: "block block-numbers", "aria-label": t.numbers, dataset: { blockType: block.blockType } },
      h(
        "ul",
        { class: "figures" },
        block.numbers.map((item) =>
          h("li", {}, h("span", { class: "figure-number" }, item.number), " ", h("span", { class: "figure-text" }, item.label)),
        ),
      ),
    ),

  QuoteBlock: (block) =>
    h(
      "figure",
      { class: "block block-quote", dataset: { blockType: block.blockType } },
      h("blockquote", {}, prose(block.text.html)),
      block.author ? h("figcaption", {}, "— ", h("cite", {}, block.author)) : null,
    ),

  CollaboratorsBlock: (block) =>
    section(
      block,
      "block-collaborators",
      block.title,
      h(
        "ul",
        { class: "collaborators" },
        block.collaborators.map((collaborator) => {
          // The name is shown beside the logo, so the logo itself is decorative.
          const content = [
            picture(collaborator.logo, { sizes: "160px", decorative: true, className: "logo" }),
            h("span", { class: "collaborator-name" }, collaborator.name),
          ];
          return h(
            "li",
            { class: "collaborator", dataset: { slug: collaborator.slug } },
            collaborator.url ? link(collaborator.url, {}, content) : content,
          );
        }),
      ),
    ),

  CallToActionBlock: (block, t) => {
    // A form opens in a dialog; without JavaScript the link leads to the form's own page.
    const target = block.form ? cmsAsset(block.form.url) : block.url;
    const button = target ? link(target, { class: "button" }, block.buttonLabel) : null;
    if (block.form && button) {
      button.setAttribute("aria-haspopup", "dialog");
      button.addEventListener("click", (event) => {
        event.preventDefault();
        openFormDialog(block.form, block.form.locale.code, t, button);
      });
    }
    return h(
      "aside",
      { class: "block block-cta", "aria-label": block.buttonLabel || block.text.markdown, dataset: { blockType: block.blockType } },
      picture(block.image, { sizes: "(min-width: 48rem) 20rem, 100vw", className: "cta-image" }),
      h("div", { class: "cta-body" }, h("div", { class: "cta-text" }, prose(block.text.html)), button),
    );
  },

  ImageBlock: (block) =>
    block.image
      ? h(
          "figure",
          { class: "block block-image", dataset: { blockType: block.blockType } },
          picture(block.image, { sizes: "(min-width: 60rem) 60rem, 100vw" }),
          block.caption ? h("figcaption", {}, block.caption) : null,
        )
      : null,

  GalleryBlock: (block, t) =>
    block.images.length
      ? h(
          "ul",
          {
            class: `block block-gallery ${block.simple ? "gallery-grid" : "gallery-strip"}`,
            dataset: { blockType: block.blockType },
          },
          block.images.map((item) =>
            h(
              "li",
              {},
              h(
                "figure",
                {},
                picture(item.image, { sizes: "(min-width: 48rem) 20rem, 100vw" }),
                item.caption || item.credits
                  ? h(
                      "figcaption",
                      {},
                      item.caption,
                      item.caption && item.credits ? " " : null,
                      item.credits ? h("small", {}, `${t.credits} ${item.credits}`) : null,
                    )
                  : null,
              ),
            ),
          ),
        )
      : null,

  VideoBlock: (block, t) => {
    const title = block.title || t.video;
    return h(
      "figure",
      { class: "block block-video", dataset: { blockType: block.blockType, provider: block.provider } },
      h("figcaption", {}, title),
      block.embedUrl
        ? h(
            "div",
            { class: "video-frame" },
            h("iframe", {
              src: block.embedUrl,
              title,
              loading: "lazy",
              allow: "fullscreen; picture-in-picture",
              allowfullscreen: true,
              referrerpolicy: "strict-origin-when-cross-origin",
            }),
          )
        : null,
      !block.embedUrl && block.url ? h("p", {}, link(block.url, {}, t.watchVideo)) : null,
    );
  },

  QuestionsBlock: (block, t) =>
    h(
      "section",
      { class: "block block-questions", "aria-label": t.questions, dataset: { blockType: block.blockType } },
      h("ul", { class: "questions" }, block.questions.map((item) => h("li", {}, item.question))),
    ),

  LinksBlock: (block) =>
    block.links.length
      ? section(
          block,
          "block-links",
          block.title,
          h("ul", { class: "links" }, block.links.map((item) => h("li", {}, link(item.url, {}, item.title || item.url)))),
        )
      : null,

  DocumentsBlock: (block) =>
    block.documents.length
      ? section(
          block,
          "block-documents",
          block.title,
          h(
            "ul",
            { class: "documents" },
            block.documents.map((document) =>
              h(
                "li",
                {},
                link(cmsAsset(document.url), {}, document.title, " ", h("span", { class: "file-type" }, `(${document.fileExtension.toUpperCase()})`)),
              ),
            ),
          ),
        )
      : null,

  FileBlock: (block) =>
    section(
      block,
      "block-file",
      block.title,
      picture(block.image, { sizes: "(min-width: 48rem) 20rem, 100vw", className: "file-image" }),
      block.info ? h("p", {}, block.info) : null,
      block.document
        ? link(
            cmsAsset(block.document.url),
            { class: "button", download: true },
            block.buttonText,
            " ",
            h("span", { class: "file-type" }, `(${block.document.fileExtension.toUpperCase()})`),
          )
        : null,
    ),

  AuthorBlock: (block) =>
    h(
      "section",
      { class: "block block-author", "aria-label": block.name, dataset: { blockType: block.blockType } },
      picture(block.image, { sizes: "160px", className: "portrait" }),
      h(
        "div",
        {},
        h("p", { class: "author-name" }, block.name),
        block.position ? h("p", { class: "author-position" }, block.position) : null,
        prose(block.description.html),
      ),
    ),

  StickersBlock: (block) => {
    const stickers = [block.stickerOne, block.stickerTwo].filter(Boolean);
    if (!stickers.length) return null;
    // Decoration only: hidden from assistive technology.
    return h(
      "div",
      { class: `block block-stickers layout-${block.layout || "default"}`, "aria-hidden": "true", dataset: { blockType: block.blockType } },
      stickers.map((sticker) => picture(sticker, { sizes: "160px", decorative: true, className: "sticker" })),
    );
  },

  SeparatorBlock: (block) => h("hr", { class: "block block-separator", dataset: { blockType: block.blockType } }),

  // Imported content waiting for an editor: readers never see it.
  VerbatimBlock: () => null,
};

export function renderBlock(block, t) {
  const render = RENDERERS[block.__typename];
  if (!render) {
    console.warn(`No renderer for block type ${block.__typename}`);
    return null;
  }
  return render(block, t);
}

export function renderStream(blocks, t) {
  return blocks.map((block) => renderBlock(block, t)).filter(Boolean);
}

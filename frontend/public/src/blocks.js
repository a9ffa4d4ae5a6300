// One renderer per block type of the API's StreamBlock interface. Each returns a
// DOM node (or null to render nothing) and is written for screen readers first:
// real lists, figures with captions, titled iframes, links that say where they go.
//
// `createBlocks(ctx)` binds the renderers to one render: ctx.h/ctx.trustedHtml build in
// its document, ctx.api makes media URLs absolute. The same renderers run in the browser
// and in the Node renderer (static build, server-side rendering).

// Where an image sits decides which width it is shown at (see styles.css): `desktop` is
// its width on a wide screen (at least 62rem), `narrow` the CSS length below that.
const SLOTS = {
  full: { desktop: 960, narrow: "calc(100vw - 2rem)" },
  card: { desktop: 270, medium: "calc(50vw - 3.5rem)", narrow: "calc(100vw - 4rem)" },
  gallery: { desktop: 300, medium: "calc(50vw - 2rem)", narrow: "calc(100vw - 2rem)" },
  cta: { desktop: 192, narrow: "192px" },
  logo: { desktop: 160, narrow: "160px" },
  symbol: { desktop: 192, narrow: "192px" },
  portrait: { desktop: 96, narrow: "96px" },
  sticker: { desktop: 80, narrow: "80px" },
};

/** The widest candidate of a srcset ("url 320w, url 640w"), or 0. */
function widest(srcset) {
  let max = 0;
  for (const match of (srcset ?? "").matchAll(/\s(\d+)w(?:,|$)/g)) max = Math.max(max, Number(match[1]));
  return max;
}

/**
 * The `sizes` of an image in a slot: the slot's width, but never more than the image's own
 * widest rendition (an image is shown at most at its real size, never stretched).
 */
export function sizesFor(slot, largest) {
  const { desktop, medium, narrow } = SLOTS[slot] ?? SLOTS.full;
  const cap = largest || desktop;
  if (narrow.endsWith("px")) return `${Math.min(desktop, cap)}px`;
  const fit = (length) => (cap < 992 ? `min(${length}, ${cap}px)` : length);
  return [`(min-width: 62rem) ${Math.min(desktop, cap)}px`, medium ? `(min-width: 38rem) ${fit(medium)}` : null, fit(narrow)]
    .filter(Boolean)
    .join(", ");
}

const PLACEHOLDER = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+$/i;
const PHOTO_SLOTS = new Set(["full", "card", "gallery", "cta"]);

export function createBlocks(ctx) {
  const { h, trustedHtml, dropEmptyHeadings, api } = ctx;
  const { cmsAsset, cmsSrcset } = api;

  /**
   * An <img> from an Image fragment: the preset's rendition as fallback, the WebP srcset
   * of every size the preset offers, `sizes` from where it sits (never wider than its
   * real size), width and height (nothing jumps while loading), lazy loading (the first
   * image of the page is made eager with high priority once the page is built) and the
   * API's tiny placeholder as a background while it loads.
   */
  function picture(image, { slot = "full", decorative = false, className } = {}) {
    if (!image) return null;
    const rendition = image.rendition;
    const srcset = cmsSrcset(image.srcset) || null;
    const element = h("img", {
      class: [className, image.placeholder && PHOTO_SLOTS.has(slot) ? "has-placeholder" : null].filter(Boolean).join(" ") || null,
      src: cmsAsset(rendition.url),
      srcset,
      sizes: srcset ? sizesFor(slot, widest(srcset) || rendition.width) : null,
      width: rendition.width,
      height: rendition.height,
      alt: decorative ? "" : image.alt,
      loading: "lazy",
      decoding: "async",
    });
    if (image.placeholder && PHOTO_SLOTS.has(slot) && PLACEHOLDER.test(image.placeholder)) {
      element.style.setProperty("background-image", `url("${image.placeholder}")`);
    }
    return element;
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
              picture(collaborator.logo, { slot: "logo", decorative: true, className: "logo" }),
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
      // A form opens in a dialog; without JavaScript the link leads to the form's own page
      // on this site, which says where the visitor came from (its thanks link back there).
      const here = ctx.url?.pathname;
      const back = here && here !== "/preview" ? `?${new URLSearchParams({ from: here })}` : "";
      const target = block.form ? (block.form.url ? `${block.form.url}${back}` : null) : block.url;
      const button = target ? link(target, { class: "button" }, block.buttonLabel) : null;
      if (block.form && button) {
        // The browser's enhancement (enhance.js) opens the form described here in a dialog.
        button.setAttribute("aria-haspopup", "dialog");
        // No "&" in the attribute: every serializer keeps the JSON exactly as it is.
        button.dataset.form = JSON.stringify(block.form).replace(/&/g, "\\u0026");
        // The dialog's close button in the site's own words (a CMS interface text).
        button.dataset.formClose = t.close;
      }
      return h(
        "aside",
        { class: "block block-cta", "aria-label": block.buttonLabel || block.text.markdown, dataset: { blockType: block.blockType } },
        picture(block.image, { slot: "cta", className: "cta-image" }),
        h("div", { class: "cta-body" }, h("div", { class: "cta-text" }, prose(block.text.html)), button),
      );
    },

    ImageBlock: (block) =>
      block.image
        ? h(
            "figure",
            { class: "block block-image", dataset: { blockType: block.blockType } },
            picture(block.image, { slot: "full" }),
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
                  picture(item.image, { slot: "gallery" }),
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
        picture(block.image, { slot: "cta", className: "file-image" }),
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
        picture(block.image, { slot: "portrait", className: "portrait" }),
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
        stickers.map((sticker) => picture(sticker, { slot: "sticker", decorative: true, className: "sticker" })),
      );
    },

    SeparatorBlock: (block) => h("hr", { class: "block block-separator", dataset: { blockType: block.blockType } }),

    // Imported content waiting for an editor: readers never see it.
    VerbatimBlock: () => null,
  };

  function renderBlock(block, t) {
    const render = RENDERERS[block.__typename];
    if (!render) {
      console.warn(`No renderer for block type ${block.__typename}`);
      return null;
    }
    return render(block, t);
  }

  function renderStream(blocks, t) {
    return (blocks ?? []).map((block) => renderBlock(block, t)).filter(Boolean);
  }

  /** A page's body: every block in a `.stream`, without headings left with nothing under them. */
  function renderBody(blocks, t) {
    return dropEmptyHeadings(h("div", { class: "stream" }, renderStream(blocks, t)));
  }

  return { picture, renderBlock, renderStream, renderBody };
}

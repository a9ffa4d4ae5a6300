// The GraphQL documents the frontend sends: one per route, sharing fragments.
// Each place an image appears asks for the preset that fits it (HERO for wide
// pictures, CARD for cards, LOGO for logos, THUMBNAIL for portraits and
// stickers): `rendition` is the plain fallback and `srcset` the WebP variant.

const CARD_IMAGE = /* GraphQL */ `
fragment CardImage on Image { alt width height rendition(preset: CARD) { url width height } srcset(preset: CARD_WEBP) }
`;

const IMAGE_FRAGMENTS = /* GraphQL */ `
fragment HeroImage on Image { alt width height rendition(preset: HERO) { url width height } srcset(preset: HERO_WEBP) }
fragment LogoImage on Image { alt width height rendition(preset: LOGO) { url width height } srcset(preset: LOGO_WEBP) }
fragment ThumbImage on Image { alt width height rendition(preset: THUMBNAIL) { url width height } srcset(preset: THUMBNAIL_WEBP) }
`;

const BLOCK_FRAGMENT = /* GraphQL */ `
fragment Block on StreamBlock {
  __typename id blockType
  ... on MarkdownBlock { html }
  ... on MetricsBlock { metrics { number text } }
  ... on NumbersBlock { numbers { number label } }
  ... on QuoteBlock { text { html } author }
  ... on CollaboratorsBlock { title collaborators { slug name url logo { ...LogoImage } } }
  ... on CallToActionBlock { text { markdown html } buttonLabel url image { ...CardImage } }
  ... on ImageBlock { image { ...HeroImage } caption }
  ... on GalleryBlock { simple images { image { ...CardImage } caption credits } }
  ... on VideoBlock { title url embedUrl provider }
  ... on QuestionsBlock { questions { question } }
  ... on LinksBlock { title links { url title } }
  ... on DocumentsBlock { title documents { title url fileExtension } }
  ... on FileBlock { title info document { title url fileExtension } image { ...CardImage } buttonText buttonIcon }
  ... on AuthorBlock { name position image { ...ThumbImage } description { html } }
  ... on StickersBlock { layout stickerOne { ...ThumbImage } stickerTwo { ...ThumbImage } stickerOneAnimation stickerTwoAnimation }
}
`;

const PAGE_FRAGMENT = /* GraphQL */ `
fragment PageFields on Page {
  __typename id title slug url seoTitle searchDescription
  locale { code name }
  translations { locale { code name } title url }
  breadcrumbs { title url }
  ... on HomePage { intro { html } }
  ... on ServiceIndexPage { intro { html } }
  ... on ServicePage { description { html } image { ...HeroImage } body { ...Block } }
}
`;

const FRAGMENTS = PAGE_FRAGMENT + BLOCK_FRAGMENT + IMAGE_FRAGMENTS + CARD_IMAGE;

export const PAGE_QUERY = `query FrontendPage($path: String!) { page(path: $path) { ...PageFields } }${FRAGMENTS}`;

// The draft a preview token stands for: same types, same rendering as live pages.
export const PREVIEW_QUERY = `query FrontendPreview($token: String!) { page(previewToken: $token) { ...PageFields } }${FRAGMENTS}`;

export const SERVICES_QUERY = `query FrontendServices($locale: String!) {
  services(locale: $locale, first: 50) {
    totalCount
    edges { node { id title url description { html } image { ...CardImage } } }
  }
}${CARD_IMAGE}`;

export const LOCALES_QUERY = `query FrontendLocales { locales { code name isDefault } }`;

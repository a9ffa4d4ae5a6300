// The GraphQL documents the frontend sends: one per route, sharing fragments.
// Each place an image appears asks for the preset that fits it (HERO for wide
// pictures, CARD for cards, LOGO for logos, THUMBNAIL for portraits and
// stickers): `rendition` is the plain fallback and `srcset` the WebP variant. Photos
// (cards, heroes) also ask for their tiny `placeholder`, shown while they load.

const CARD_IMAGE = /* GraphQL */ `
fragment CardImage on Image { alt width height placeholder rendition(preset: CARD) { url width height } srcset(preset: CARD_WEBP) }
`;

const HERO_IMAGE = /* GraphQL */ `
fragment HeroImage on Image { alt width height placeholder rendition(preset: HERO) { url width height } srcset(preset: HERO_WEBP) }
`;
const LOGO_IMAGE = /* GraphQL */ `
fragment LogoImage on Image { alt width height rendition(preset: LOGO) { url width height } srcset(preset: LOGO_WEBP) }
`;
const THUMB_IMAGE = /* GraphQL */ `
fragment ThumbImage on Image { alt width height rendition(preset: THUMBNAIL) { url width height } srcset(preset: THUMBNAIL_WEBP) }
`;
const IMAGE_FRAGMENTS = HERO_IMAGE + LOGO_IMAGE + THUMB_IMAGE;

const BLOCK_FRAGMENT = /* GraphQL */ `
fragment Block on StreamBlock {
  __typename id blockType
  ... on MarkdownBlock { html }
  ... on MetricsBlock { metrics { number text } }
  ... on NumbersBlock { numbers { number label } }
  ... on QuoteBlock { text { html } author }
  ... on CollaboratorsBlock { title collaborators { slug name url logo { ...LogoImage } } }
  ... on CallToActionBlock { text { markdown html } buttonLabel url image { ...CardImage } form { ...FormFields } }
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

const FORM_FRAGMENT = /* GraphQL */ `
fragment FormFields on Form {
  id handle title url locale { code } buttonLabel intro { html } thankYou { html }
  fields { name label type required helpText helpHtml choices }
}
`;

const PAGE_FRAGMENT = /* GraphQL */ `
fragment PageFields on Page {
  __typename id title slug url seoTitle searchDescription
  seo { title description canonicalUrl robots image { url width height alt } alternates { hreflang url } jsonLd }
  locale { code name }
  translations { locale { code name } title url }
  breadcrumbs { title url }
  ... on HomePage {
    intro { html } subtitle { html } highlightColor image { ...HeroImage }
    heroTitle { plain lines { text highlighted } }
    values { title text { html } image { ...LogoImage } items { html } }
    projectsTitle collaboratorsTitle
  }
  ... on StandardPage { subtitle { html } description { html } layout image { ...CardImage } body { ...Block } }
  ... on ServiceIndexPage { intro { html } image { ...HeroImage } }
  ... on ServicePage {
    description { html } image { ...HeroImage } body { ...Block } callToAction { ...Block }
    projects { id title url state { slug title color } description { html } bannerImage { ...CardImage } }
    categories { id title url }
  }
  ... on ProjectIndexPage { intro { html } image { ...HeroImage } categoryFilterLabel }
  ... on ProjectPage {
    subtitle { html } description { html } bannerImage { ...HeroImage }
    startDate endDate budget
    funding { privatePercentage publicPercentage lookingForFinancePercentage }
    state { slug title color }
    services { id title url }
    categories { id title url }
    members { slug name role locale { code name } photo { ...ThumbImage } }
    collaborators { slug name url logo { ...LogoImage } }
    callToAction { ...Block }
    body { ...Block }
  }
  ... on CategoryIndexPage { intro { html } image { ...HeroImage } }
  ... on CategoryPage {
    subtitle { html } symbol { ...LogoImage }
    services { id title url description { html } image { ...CardImage } }
    projects { id title url state { slug title color } description { html } bannerImage { ...CardImage } }
    callToAction { ...Block }
  }
}
`;

const FRAGMENTS = PAGE_FRAGMENT + BLOCK_FRAGMENT + FORM_FRAGMENT + IMAGE_FRAGMENTS + CARD_IMAGE;

// With fallback, a page not yet translated is served in the next language of the chain
// (its `locale` says which); the frontend tells the reader.
export const PAGE_QUERY = `query FrontendPage($path: String!) { page(path: $path, fallback: true) { ...PageFields } }${FRAGMENTS}`;

// The draft a preview token stands for: same types, same rendering as live pages.
export const PREVIEW_QUERY = `query FrontendPreview($token: String!) { page(previewToken: $token) { ...PageFields } }${FRAGMENTS}`;

export const SERVICES_QUERY = `query FrontendServices($locale: String!) {
  services(locale: $locale, first: 50) {
    totalCount
    edges { node { id title url description { html } image { ...CardImage } } }
  }
}${CARD_IMAGE}`;

const PROJECT_CARD = /* GraphQL */ `
fragment ProjectCard on ProjectPage { id title url state { slug title color } description { html } bannerImage { ...CardImage } }
`;

// The projects index: the list (narrowed by the filters in the address) and the choices
// the filters offer.
export const PROJECTS_QUERY = `query FrontendProjects($locale: String!, $filters: ProjectFilter) {
  projects(locale: $locale, first: 50, filters: $filters) { totalCount edges { node { ...ProjectCard } } }
  projectStates(locale: $locale) { slug title color }
  categories(locale: $locale) { id slug title }
}${PROJECT_CARD}${CARD_IMAGE}`;

export const CATEGORIES_QUERY = `query FrontendCategories($locale: String!) {
  categories(locale: $locale) { id title url subtitle { html } symbol { ...LogoImage } }
}${LOGO_IMAGE}`;

// The team page lists the members of a language (and links the team page of every other
// language). Its title, introduction and picture are the team listing page's, where the CMS
// has one at that path (the interface's texts otherwise). A member not yet translated comes
// in the default language: its `locale` says so, and the page tells the reader.
export const TEAM_QUERY = `query FrontendTeam($locale: String!, $path: String!) {
  locales { code name }
  page(path: $path) {
    ... on TeamIndexPage { title seoTitle searchDescription intro { html } image { ...HeroImage } }
  }
  members(locale: $locale) {
    slug name role email bio { html } locale { code name } photo { ...ThumbImage } links { kind url }
    projects { id title url }
  }
}${THUMB_IMAGE}${HERO_IMAGE}`;

// The site's chrome in a language: menus, footer texts, social links and interface texts
// (each text's `locale` tells one written in the language from one taken from the chain).
export const SITE_QUERY = `query FrontendSite($locale: String!) {
  site(locale: $locale, fallback: true) {
    name
    menus { handle title items { label url children { label url } } }
    socialLinks { kind url }
    strings { key value locale { code } }
    contact { email phone address { html } }
  }
}`;

// The home page's lists: the latest projects and the organisations the site works with.
export const HOME_QUERY = `query FrontendHome($locale: String!) {
  services(locale: $locale, first: 6) { totalCount edges { node { id title url description { html } image { ...CardImage } } } }
  projects(locale: $locale, first: 3) { edges { node { ...ProjectCard } } }
  collaborators(locale: $locale) { slug name url logo { ...LogoImage } }
}${PROJECT_CARD}${CARD_IMAGE}${LOGO_IMAGE}`;

// Sends a contact form. A file goes as a GraphQL multipart request (see api.js).
export const SUBMIT_FORM_MUTATION = `mutation FrontendSubmitForm($handle: String!, $locale: String!, $values: [FieldValueInput!]!, $file: Upload) {
  submitForm(handle: $handle, locale: $locale, values: $values, file: $file) { ok errors { field code message } }
}`;

// A contact form's own page: the form of a handle in a language (its `url` says the path).
export const FORM_QUERY = `query FrontendForm($handle: String!, $locale: String!) {
  form(handle: $handle, locale: $locale) { ...FormFields }
}${FORM_FRAGMENT}`;

export const LOCALES_QUERY = `query FrontendLocales { locales { code name isDefault } }`;

"""Query documents shared by the GraphQL tests, written with fragments as a frontend would."""

FRAGMENTS = """
fragment ImageFields on Image {
  url width height alt
  rendition(preset: CARD) { url width height }
  srcset(preset: CARD_WEBP)
}

fragment BlockFields on StreamBlock {
  __typename id blockType
  ... on MarkdownBlock { markdown html }
  ... on MetricsBlock { metrics { number text } }
  ... on NumbersBlock { numbers { number label } }
  ... on QuoteBlock { text { markdown html } author }
  ... on CollaboratorsBlock {
    title collaborators { slug name url locale { code } logo { ...ImageFields } }
  }
  ... on CallToActionBlock { text { markdown html } buttonLabel url image { ...ImageFields } }
  ... on ImageBlock { image { ...ImageFields } caption }
  ... on GalleryBlock { simple images { image { ...ImageFields } caption credits } }
  ... on VideoBlock { title url embedUrl provider }
  ... on QuestionsBlock { questions { question } }
  ... on LinksBlock { title links { url title } }
  ... on DocumentsBlock { title documents { title url fileExtension } }
  ... on FileBlock {
    title info document { title url fileExtension } image { ...ImageFields }
    buttonText buttonIcon
  }
  ... on AuthorBlock {
    name position image { ...ImageFields } description { markdown html }
  }
  ... on StickersBlock {
    layout stickerOne { ...ImageFields } stickerTwo { ...ImageFields }
    stickerOneAnimation stickerTwoAnimation
  }
}

fragment ServiceFields on ServicePage {
  __typename id title slug url locale { code name isDefault } seoTitle searchDescription
  lastPublishedAt
  translations { locale { code } title url }
  breadcrumbs { id title url }
  description { markdown html }
  image { ...ImageFields }
  collaborators { slug name url locale { code } logo { ...ImageFields } }
  callToAction { id text { markdown html } buttonLabel url }
  body { ...BlockFields }
}
"""

SERVICE = (
    """
query ($slug: String!, $locale: String, $fallback: Boolean = false) {
  service(slug: $slug, locale: $locale, fallback: $fallback) { ...ServiceFields }
}
"""
    + FRAGMENTS
)

SERVICES = (
    """
query ($first: Int, $locale: String) {
  services(first: $first, locale: $locale) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...ServiceFields } }
  }
}
"""
    + FRAGMENTS
)

# GraphQL refuses a document with an unused fragment: each query takes only its own.
IMAGE_FRAGMENT = FRAGMENTS.split("fragment BlockFields")[0]
BLOCK_FRAGMENTS = FRAGMENTS.split("fragment ServiceFields")[0]
PAGE_LINK = """
fragment PageLink on Page { __typename id title slug url locale { code } }
"""

PROJECT_FRAGMENTS = (
    PAGE_LINK
    + BLOCK_FRAGMENTS
    + """
fragment ProjectFields on ProjectPage {
  __typename id title slug url locale { code } seoTitle searchDescription
  translations { locale { code } title url }
  breadcrumbs { title url }
  subtitle { markdown html }
  description { markdown html }
  bannerImage { ...ImageFields }
  startDate endDate date budget
  funding { privatePercentage publicPercentage lookingForFinancePercentage }
  state { slug title color locale { code } }
  services { ...PageLink image { ...ImageFields } }
  categories { ...PageLink symbol { ...ImageFields } }
  members {
    slug name kind role bio { markdown html } email links { kind url } locale { code }
    photo { ...ImageFields }
  }
  collaborators { slug name url locale { code } logo { ...ImageFields } }
  callToAction { id text { markdown html } buttonLabel url image { ...ImageFields } }
  body { ...BlockFields }
}
"""
)

PROJECT = (
    """
query ($slug: String!, $locale: String, $fallback: Boolean = false) {
  project(slug: $slug, locale: $locale, fallback: $fallback) { ...ProjectFields }
}
"""
    + PROJECT_FRAGMENTS
)

PROJECTS = (
    """
query ($first: Int, $locale: String, $fallback: Boolean = false) {
  projects(first: $first, locale: $locale, fallback: $fallback) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...ProjectFields } }
  }
}
"""
    + PROJECT_FRAGMENTS
)

CATEGORY = (
    """
query ($slug: String!, $locale: String, $fallback: Boolean = false) {
  category(slug: $slug, locale: $locale, fallback: $fallback) {
    ...PageLink
    breadcrumbs { title url }
    subtitle { markdown html }
    symbol { ...ImageFields }
    services { ...PageLink }
    projects { ...PageLink state { slug title } bannerImage { ...ImageFields } }
    callToAction { id text { markdown html } buttonLabel url image { ...ImageFields } }
  }
}
"""
    + PAGE_LINK
    + IMAGE_FRAGMENT
)

MEMBERS = (
    """
query ($locale: String) {
  members(locale: $locale) {
    slug name kind role bio { markdown html } email links { kind url } locale { code }
    photo { ...ImageFields }
    projects { ...PageLink }
  }
}
"""
    + PAGE_LINK
    + IMAGE_FRAGMENT
)

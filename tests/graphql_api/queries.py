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

"""Demo content: the "Crowdfunding cívico" service page in Spanish and its English translation.

Written by the team from the seed page; images are drawn here so no media file is shipped.
Every step looks for what already exists first, so loading twice changes nothing.
"""

import io

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale

from services.models import ServicePage

from .models import Collaborator
from .site_structure import ensure_site_structure
from .translation import translate_with_strings

SERVICE_SLUG = "democratic-funding"

IMAGES = {
    "symbol_cooperativa": ("Financiación democrática", (26, 115, 90), "png"),
    "cta_ask_us": ("¿Quieres saber más?", (230, 126, 34), "gif"),
    "logo_decidim": ("Logotipo de Decidim", (46, 76, 160), "png"),
    "logo_goteo": ("Logotipo de Goteo", (32, 178, 170), "png"),
}

COLLABORATORS = [
    {"slug": "decidim", "name": "Decidim", "url": "https://decidim.org/", "logo": "logo_decidim"},
    {"slug": "goteo", "name": "Goteo", "url": "https://www.goteo.org/", "logo": "logo_goteo"},
]

DESCRIPTION_ES = (
    "Goteo.org es nuestra plataforma de crowdfunding cívico, a través de la cual se financian "
    "iniciativas con impacto social -a nivel regional, nacional e internacional-, y con la que "
    "fomentamos el cooperativismo y reforzamos la colaboración ciudadana."
)
WHAT_ES = (
    "# ¿Qué es Goteo?\n\n"
    "* Goteo es una incubadora de proyectos que produce y conecta las buenas ideas con los "
    "contextos que las necesitan;\n"
    "* una red social en Internet que posibilita las micro-donaciones del público cultural, "
    "instituciones y empresas a los proyectos innovadores de su elección: una vía alternativa "
    "de financiación acorde con los nuevos modelos digitales;\n"
    "* una plataforma eficiente, abierta y productiva capaz de conectar a los creadores "
    "culturales con la gente de su comunidad: un punto de encuentro para la participación "
    "ciudadana en las futuras agendas culturales;\n"
    "* un referente nacional de innovación cultural distribuida."
)
NETWORK_ES = (
    "# Goteo como red social\n\n"
    "Hasta el momento, las dinámicas del llamado Giving 2.0 (Donaciones 2.0) se han inscrito "
    "mayoritariamente en el entorno social. Platoniq busca trasladar este modelo al ámbito de la "
    "innovación cultural. Podemos decir que hoy la innovación consiste en el desarrollo y "
    "explotación de nuevas ideas que satisfacen objetivos valiosos. Y estos objetivos no son "
    "sólo económicos o tecnológicos, sino que incluyen, cada vez más, objetivos sociales y "
    "culturales.\n\n"
    "Introducir las nuevas formas de economía colaborativa en el sector creativo emergente es "
    "una manera de crear innovación cultural. Es necesario generar un cambio en el sistema "
    "establecido y dar la posibilidad a los creadores y productores culturales de obtener "
    "recursos, no sólo a través de las vías tradicionales de financiación (generalmente, "
    "entidades públicas), sino también a través de su propia comunidad y organizaciones "
    "privadas, las cuales, por medio de pequeñas donaciones a los creadores de su elección, "
    "posibilitarían el aumento de tejido creativo en su entorno y, a la larga, un mayor número "
    "de colaboraciones entre los ámbitos cultural, social, tecnológico y económico."
)
QUOTE_ES = (
    '"Tu capital depende de la confianza: las contribuciones no ocurren de manera automática. '
    "Incluso si contactas con un gran número de gente, todavía tienes que ganar su confianza, "
    "especialmente si no los conoces personalmente."
)
RELATED_ES = "# Proyectos relacionados"

# The team's English version, keyed by the Spanish text it translates.
ENGLISH = {
    "Crowdfunding cívico": "Civic crowdfunding",
    DESCRIPTION_ES: (
        "Goteo.org is our civic crowdfunding platform, through which initiatives with social "
        "impact are funded -at regional, national and international level-, and with which we "
        "promote cooperativism and strengthen citizen collaboration."
    ),
    "Financiación democrática": "Democratic funding",
    WHAT_ES: (
        "# What is Goteo?\n\n"
        "* Goteo is a project incubator that produces good ideas and connects them with the "
        "contexts that need them;\n"
        "* an online social network that enables micro-donations from the cultural public, "
        "institutions and companies to the innovative projects of their choice: an alternative "
        "way of funding in line with the new digital models;\n"
        "* an efficient, open and productive platform able to connect cultural creators with the "
        "people of their community: a meeting point for citizen participation in future cultural "
        "agendas;\n"
        "* a national benchmark for distributed cultural innovation."
    ),
    "Dinero recaudado": "Money raised",
    "Proyectos exitosos": "Successful projects",
    "Comunidad": "Community",
    NETWORK_ES: (
        "# Goteo as a social network\n\n"
        "So far, the dynamics of so-called Giving 2.0 have mostly belonged to the social sphere. "
        "Platoniq seeks to bring this model to cultural innovation. Innovation today is the "
        "development and use of new ideas that meet valuable goals, and those goals are not only "
        "economic or technological: more and more, they are social and cultural too.\n\n"
        "Bringing new forms of collaborative economy to the emerging creative sector is a way to "
        "create cultural innovation. The established system needs to change so that cultural "
        "creators and producers can obtain resources not only through traditional funding "
        "(usually public bodies) but also through their own community and private organisations, "
        "whose small donations to the creators of their choice would grow the creative fabric "
        "around them and, in the long run, the collaborations between the cultural, social, "
        "technological and economic spheres."
    ),
    QUOTE_ES: (
        '"Your capital depends on trust: contributions do not happen automatically. Even if you '
        "reach a great number of people, you still have to earn their trust, especially if you "
        "do not know them personally."
    ),
    RELATED_ES: "# Related projects",
    "Colaboradores": "Collaborators",
    "¿Quieres saber más?": "Want to know more?",
    "Pregúntanos": "Ask us",
}


def _draw_image(label: str, colour: tuple[int, int, int], fmt: str) -> bytes:
    canvas = PILImage.new("RGB", (640, 360), colour)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((24, 24, 615, 335), outline=(255, 255, 255), width=6)
    draw.text((48, 160), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, format="GIF" if fmt == "gif" else "PNG")
    return buffer.getvalue()


def _demo_images() -> dict:
    image_model = get_image_model()
    images = {}
    for key, (description, colour, fmt) in IMAGES.items():
        title = f"Demo: {description}"
        image = image_model.objects.filter(title=title).first()
        if image is None:
            data = _draw_image(description, colour, fmt)
            image = image_model(title=title, description=description)
            image.file = ImageFile(io.BytesIO(data), name=f"{key}.{fmt}")
            image.save()
        images[key] = image
    return images


def _collaborators(es: Locale, images: dict) -> dict[str, Collaborator]:
    found = {}
    for data in COLLABORATORS:
        collaborator, _ = Collaborator.objects.get_or_create(
            slug=data["slug"],
            locale=es,
            defaults={
                "name": data["name"],
                "url": data["url"],
                "logo": images[data["logo"]],
                "logo_alt": data["name"],
            },
        )
        found[data["slug"]] = collaborator
    return found


def _body(images: dict, collaborators: dict[str, Collaborator]) -> list[tuple[str, dict | str]]:
    return [
        ("markdown", WHAT_ES),
        (
            "metrics",
            {
                "items": [
                    {"text": "Dinero recaudado", "number": "20.948.115"},
                    {"text": "Proyectos exitosos", "number": "83,8%"},
                    {"text": "Comunidad", "number": "354.912"},
                ]
            },
        ),
        ("markdown", NETWORK_ES),
        ("quote", {"text": QUOTE_ES, "author": "Kapipal"}),
        ("markdown", RELATED_ES),
        (
            "collaborators",
            {"title": "Colaboradores", "collaborators": list(collaborators.values())},
        ),
        (
            "call_to_action",
            {
                "text": "¿Quieres saber más?",
                "button_label": "Pregúntanos",
                "page": None,
                "url": "#contact",
                "image": images["cta_ask_us"],
                "image_alt": "¿Quieres saber más?",
            },
        ),
    ]


@transaction.atomic
def load_demo() -> ServicePage:
    """Create the demo service page in Spanish and English; return the Spanish page."""
    structure = ensure_site_structure()
    es = structure.homes["es"].locale
    en = structure.homes["en"].locale
    images = _demo_images()
    collaborators = _collaborators(es, images)

    index = structure.service_indexes["es"]
    page = ServicePage.objects.child_of(index).filter(slug=SERVICE_SLUG).first()
    if page is None:
        page = ServicePage(
            title="Crowdfunding cívico",
            slug=SERVICE_SLUG,
            description=DESCRIPTION_ES,
            image=images["symbol_cooperativa"],
            image_alt="Financiación democrática",
            body=_body(images, collaborators),
        )
        index.add_child(instance=page)
        page.save_revision().publish()

    for collaborator in collaborators.values():
        if collaborator.get_translation_or_none(en) is None:
            translate_with_strings(collaborator, en, ENGLISH)
    if page.get_translation_or_none(en) is None:
        translate_with_strings(page, en, ENGLISH)
    return page

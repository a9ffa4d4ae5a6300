from wagtail.models import Page, Site
from services.models import ServicePage


def test_scratch(demo_page, locales):
    for p in Page.objects.all().order_by("path"):
        print(p.id, p.path, p.url_path, p.locale_id, p.live, p.specific_class.__name__, p.url, p.translation_key)
    print(Site.get_site_root_paths())
    from wagtail.search.backends import get_search_backend
    b = get_search_backend()
    ids = list(Page.objects.live().values_list("pk", flat=True))
    print(list(b.search("crowdfunding", Page.objects.filter(id__in=ids))))
    print(list(b.search("crowdfunding", ServicePage.objects.filter(id__in=ids).order_by("title"), order_by_relevance=False)))
    en = demo_page.get_translation(locales["en"])
    print(en.body.raw_data[5], en.body.raw_data[6])
    print(demo_page.image.file.url, demo_page.image.width)

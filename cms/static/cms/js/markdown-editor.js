// The Markdown editor (EasyMDE, through wagtail-markdown) with nothing fetched from another
// site: its spell checker downloads dictionaries from a CDN, so it is off (and the
// browser's own, which would follow the admin's language rather than the page's, too).
// wagtail-markdown reads these options when it attaches each editor; this file is loaded
// before it (Wagtail's insert_global_admin_js comes before a form's own scripts).
window.wagtailMarkdown = window.wagtailMarkdown || {};
window.wagtailMarkdown.options = Object.assign(window.wagtailMarkdown.options || {}, {
  spellChecker: false,
  nativeSpellcheck: false,
});

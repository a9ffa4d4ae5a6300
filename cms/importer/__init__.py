"""Import a Jekyll/Decap site (front matter, Markdown, Liquid tags, media) into the CMS.

``source`` parses files without touching Django; ``media`` brings images and documents in;
``mapping`` turns parsed files into page and snippet content; ``run`` drives an import and
builds its report.
"""

"""Import a Jekyll/Decap site (front matter, Markdown, Liquid tags, media) into the CMS.

``registry`` states the source's collections once; ``source`` parses files without touching
Django's models; ``tags`` gathers the Liquid tags the blocks declare; ``media`` brings images
and documents in; ``mapping`` and ``pages`` turn parsed files into page and snippet content;
``run`` drives an import and builds its report.
"""

"""A static file server for the API benchmark (scripts/bench_api.py): no framework at all.

It answers every GET with one file, opened on each request and sent through the server's
file wrapper (``sendfile`` under gunicorn), with the headers a static file server sends:
``Content-Type``, ``Content-Length`` and ``Last-Modified``. The benchmark runs it under
gunicorn with the same settings as the CMS's servers; it is the floor of what any Python
answer on that server can cost.

    CIVIC_BENCH_STATIC_FILE=/path/answer.json gunicorn --chdir scripts bench_static:application
"""

import os
from email.utils import formatdate
from wsgiref.util import FileWrapper

PATH = os.environ.get("CIVIC_BENCH_STATIC_FILE", "")


def application(environ, start_response):
    """The file at ``CIVIC_BENCH_STATIC_FILE``, whatever the path asked."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
        return [b""]
    try:
        # Closed by the file wrapper once sent, as a static file server does.
        handle = open(PATH, "rb")  # noqa: SIM115
    except OSError:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    stat = os.fstat(handle.fileno())
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(stat.st_size)),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
        ],
    )
    return environ.get("wsgi.file_wrapper", FileWrapper)(handle, 8192)

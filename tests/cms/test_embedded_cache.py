"""The embedded cache (cms.cache.EmbeddedCache) keeps its connections open between
requests: a value another process writes must still be read at once, never an older one."""

import subprocess
import sys
import threading
from pathlib import Path

from cms.cache import EmbeddedCache

ROOT = Path(__file__).resolve().parents[2]


def other_process_sets(folder: Path, key: str, value: str) -> None:
    code = (
        "import sys; from cms.cache import EmbeddedCache; "
        "EmbeddedCache(sys.argv[1], {}).set(sys.argv[2], sys.argv[3], timeout=None)"
    )
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-c", code, str(folder), key, value],
        cwd=ROOT, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def test_a_kept_connection_reads_what_another_process_wrote(tmp_path):
    cache = EmbeddedCache(str(tmp_path), {})
    cache.set("generation", "first", timeout=None)
    assert cache.get("generation") == "first"
    cache.close()  # The end of a request: the connections stay open.
    other_process_sets(tmp_path, "generation", "second")
    assert cache.get("generation") == "second"
    # Without a request boundary between them either.
    other_process_sets(tmp_path, "generation", "third")
    assert cache.get("generation") == "third"
    assert cache.get_or_set("generation", "new", timeout=None) == "third"


def test_each_thread_reads_the_latest_value(tmp_path):
    cache = EmbeddedCache(str(tmp_path), {})
    cache.set("generation", "first", timeout=None)
    seen: list[str] = []

    def read() -> None:
        seen.append(cache.get("generation"))
        cache.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    other_process_sets(tmp_path, "generation", "second")
    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert seen == ["first", "second"]
    assert cache.get("generation") == "second"

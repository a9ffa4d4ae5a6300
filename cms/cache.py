"""The embedded shared cache: diskcache's Django backend, with its connections kept open.

diskcache keeps entries in SQLite files under one folder, shared by every process of the
machine (the app server's workers, the task worker, management commands), with a size
limit and least-recently-stored eviction. Django's own file cache lists its whole folder
on every write to decide whether to cull, and culls at random: a write took 2 ms with
1,000 entries and 10 ms with 4,000 (docs/benchmarks/api.md), on the path of every answer
the response cache keeps.
"""

from diskcache import DjangoCache


class EmbeddedCache(DjangoCache):
    """``diskcache.DjangoCache`` whose SQLite connections live as long as their thread.

    Django closes every cache at the end of each request. diskcache would then open and
    configure again one SQLite connection per shard the next request touches, about 1 ms
    each, more than the reads and writes themselves. The connections belong to one
    thread of one process (diskcache opens new ones after a fork), as a Redis client's
    pool does; nothing is kept in them between statements but the open file.
    """

    def close(self, **kwargs) -> None:
        """Keep the connections open for the thread's next request."""

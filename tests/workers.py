"""The task worker, run once in the test's process: what a deployment's worker does."""

from django.core.management import call_command


def run_worker(backend: str, queue: str) -> None:
    """Run every task of ``queue`` on the database ``backend`` that is due, then return."""
    call_command(
        "db_worker",
        "--backend",
        backend,
        "--queue-name",
        queue,
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        verbosity=0,
    )

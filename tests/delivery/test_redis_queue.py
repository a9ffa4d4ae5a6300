"""With CIVIC_TASK_QUEUE=redis, webhook deliveries go to an RQ queue on Redis."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django; django.setup()
import django_rq
from delivery.tasks import deliver_webhook
queue = django_rq.get_queue("webhooks")
queue.empty()
result = deliver_webhook.enqueue(12345)
print(type(deliver_webhook.get_backend()).__name__, queue.count, queue.jobs[0].args)
queue.empty()
"""


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis to test")
def test_deliveries_are_queued_in_redis():
    env = {**os.environ, "CIVIC_TASK_QUEUE": "redis", "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RQBackend 1 (12345,)"

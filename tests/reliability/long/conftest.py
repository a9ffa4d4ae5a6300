"""Fixtures of the long runs: the PostgreSQL database and Redis that scripts/reliability gives,
and the demo site migrated into that database once per session.

``scripts/reliability`` sets DATABASE_URL to a fresh scratch PostgreSQL database and
REDIS_URL; without them (or on SQLite) the long runs are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.long.servers import ROOT, app_env, manage, run


@dataclass
class DemoSite:
    """The migrated demo site: its database, media folder and the Redis cache to use."""

    database: str
    redis: str
    media_root: Path
    env: dict


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL in DATABASE_URL: run scripts/reliability")
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith("redis"):
        pytest.skip("needs Redis in REDIS_URL: run scripts/reliability")
    return url


@pytest.fixture(scope="session")
def demo_site(postgres_url, redis_url, tmp_path_factory) -> DemoSite:
    """The DATABASE_URL database migrated, with the demo content (see content.py)."""
    media_root = tmp_path_factory.mktemp("media")
    env = app_env(
        postgres_url,
        redis_url,
        cache_prefix=f"civic-long-{uuid.uuid4().hex[:8]}",
        media_root=media_root,
    )
    manage(env, "migrate", "--noinput", "-v0")
    output = run([sys.executable, "-m", "tests.reliability.long.content", "prepare"], env)
    prepared = json.loads(output.strip().splitlines()[-1])
    assert prepared["version"] >= 0, prepared
    # What the rendition worker does in a deployment, done once before the servers start.
    manage(env, "make_renditions", "--now", "-v0")
    return DemoSite(postgres_url, redis_url, media_root, env)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ROOT / "artifacts" / "reliability"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

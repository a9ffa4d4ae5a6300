"""The writer of the two-server test, in its own process with an app server's environment.

Started with the world's ids as JSON; reads the name of one change per line from stdin,
applies it in its own transaction (commit callbacks included) and answers ``done``.
"""

import json
import sys

import django


def main() -> None:
    django.setup()
    from django.db import transaction

    from tests.cache import visibility_changes as vc

    world = vc.World(**json.loads(sys.argv[1]))
    changes = {change.name: change for change in vc.database_changes(world)}
    print("ready", flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            break
        with transaction.atomic():
            changes[name].apply()
        print("done", flush=True)


if __name__ == "__main__":
    main()

"""Counting what a request sends to Redis: each write of commands over a connection (one command, or a
whole pipeline) is one round trip."""
from contextlib import contextmanager
from unittest import mock

from redis.connection import AbstractConnection


@contextmanager
def commands_sent_to_redis():
    """The names of the first command of each round trip sent inside the block (EVAL, MGET, ...), in order."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(connection, command, check_health=True):
        head = (command if isinstance(command, bytes) else b"".join(command))[:200]
        sent.append(head.split(b"\r\n")[2].decode(errors="replace"))
        return original(connection, command, check_health)

    with mock.patch.object(AbstractConnection, "send_packed_command", counting):
        yield sent


def store_client():
    """The shared store's own Redis client (as the requests use it)."""
    from access.store import connection

    return connection.client()


def store_key(name):
    """The key a name of the shared store goes by in Redis (this run's prefix, then the name)."""
    from access.store import connection

    connection.client()  # the prefix of the settings in force
    return connection.key(name)


def stored_keys(pattern):
    """This run's keys in Redis whose names match `pattern` (a glob over the name, after the prefix)."""
    return [key.decode() for key in store_client().scan_iter(match=store_key(pattern), count=1000)]

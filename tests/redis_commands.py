"""Counting what a request sends to Redis: each packed command that goes over a connection is one round
trip, whichever path (the client's or `access.shared_state`'s own connection) sent it."""
from contextlib import contextmanager
from unittest import mock

from redis.connection import AbstractConnection


@contextmanager
def commands_sent_to_redis():
    """The names of the commands sent inside the block (EVALSHA, MGET, ...), in order."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(connection, command, check_health=True):
        head = (command if isinstance(command, bytes) else b"".join(command))[:200]
        sent.append(head.split(b"\r\n")[2].decode(errors="replace"))
        return original(connection, command, check_health)

    with mock.patch.object(AbstractConnection, "send_packed_command", counting):
        yield sent

"""Counting what a request sends to Redis: each write of commands that goes over a connection is one round
trip, whichever path (the client's, or `access.redis_wire`'s own connection) sent it."""
from contextlib import contextmanager
from unittest import mock

from redis.connection import AbstractConnection

from access.redis_wire import Wire


@contextmanager
def commands_sent_to_redis():
    """The names of the first command of each round trip sent inside the block (EVALSHA, MGET, ...), in order."""
    sent = []
    original = AbstractConnection.send_packed_command
    original_wire = Wire.send

    def counting(connection, command, check_health=True):
        head = (command if isinstance(command, bytes) else b"".join(command))[:200]
        sent.append(head.split(b"\r\n")[2].decode(errors="replace"))
        return original(connection, command, check_health)

    def counting_wire(wire, commands):
        first = commands[0][0]
        sent.append(first.decode(errors="replace") if isinstance(first, bytes) else str(first))
        return original_wire(wire, commands)

    with mock.patch.object(AbstractConnection, "send_packed_command", counting), \
            mock.patch.object(Wire, "send", counting_wire):
        yield sent

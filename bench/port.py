"""A spare loopback port, for the bench's server and the tests' servers alike."""
import socket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

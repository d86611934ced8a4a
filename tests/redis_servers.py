"""Real Redis deployments for tests, started on spare loopback ports from Debian's binaries and stopped after:
a server that can be restarted empty, a mutual-TLS server with its own certificate authority, a Sentinel group
(master, replica, three sentinels) whose master can be killed, and a three-master Cluster.

Each is a context manager that yields itself; `env` is what the service's environment needs to use it
(REDIS_URL, REDIS_TOPOLOGY, ...). Nothing is kept on disk but in the test's own directory.
"""
import datetime
import ipaddress
import shutil
import signal
import subprocess
import time
from pathlib import Path

import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from redis.sentinel import Sentinel

from tests.servers import free_port, past_the_second_it_started

HOST = "127.0.0.1"
SERVICE = "mymaster"  # the Sentinel group's master name
STARTS_WITHIN = 10  # seconds for a server to answer PING
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


def missing_binaries(*names):
    """The reason to skip when a Debian binary (`redis-server`, `redis-sentinel`, `redis-cli`) is missing,
    else None."""
    missing = [name for name in names if not shutil.which(name)]
    return f"{', '.join(missing)} not installed: `make redis` installs Debian's" if missing else None


class RedisProcess:
    """One redis-server (or sentinel) process on `port`, logging to its own file in `directory`."""

    def __init__(self, directory, port, arguments, *, client_options=None, binary="redis-server"):
        self.directory, self.port, self.arguments, self.binary = Path(directory), port, list(arguments), binary
        self.client_options = client_options or {}
        self.log = self.directory / f"redis-{port}.log"
        self.process = None

    def client(self, **options):
        return redis.Redis(host=HOST, port=self.port, socket_timeout=2, socket_connect_timeout=2,
                           **{**self.client_options, **options})

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, *self.arguments, "--logfile", str(self.log), "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = self.client()
        deadline = time.monotonic() + STARTS_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.binary} on port {self.port} exited: {self.log_tail()}")
            try:
                client.ping()
                past_the_second_it_started()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
            finally:
                client.close()
        self.kill()
        raise RuntimeError(f"{self.binary} on port {self.port} did not answer: {self.log_tail()}")

    def stop(self):
        """Stop it (SIGTERM, then SIGKILL), if it runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self):
        """Kill it at once, as a crash or a pulled plug would: nothing is saved or said to anyone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_tail(self, lines=20):
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


# --- One server that forgets everything when restarted ---------------------------------------------------


class PlainRedis:
    """A redis-server without persistence (`--save "" --appendonly no`): restarted on the same port, it is
    empty, as a Redis without persistence is after a crash or a restart."""

    def __init__(self, directory, password=None):
        self.password = password
        options = ("--requirepass", password) if password else ()
        port = free_port()
        self.server = RedisProcess(directory, port, ["--port", str(port), "--bind", HOST, *NO_PERSISTENCE, *options],
                                   client_options={"password": password})

    @property
    def url(self):
        credentials = f":{self.password}@" if self.password else ""
        return f"redis://{credentials}{HOST}:{self.server.port}/0"

    @property
    def env(self):
        return {"REDIS_URL": self.url, "REDIS_TOPOLOGY": "server"}

    def client(self):
        return self.server.client()

    def restart(self):
        """Stop it and start it again on the same port, empty."""
        self.server.stop()
        self.server.start()

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.stop()


# --- Mutual TLS: our own certificate authority, and a client certificate from someone else's -------------


class CertificateAuthority:
    """A CA made for one test: its certificate and the certificates it signs, as PEM files in a directory."""

    def __init__(self, directory, name):
        self.directory, self.name = Path(directory), name
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
        self.certificate = (
            self._builder(subject, subject, self.key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.certificate_file = self._write(f"{name}-ca.crt", self.certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, filename, common_name, *, server):
        """A key and a certificate signed by this CA for a server (127.0.0.1, localhost) or a client: the
        paths of the certificate file and the key file."""
        key = ec.generate_private_key(ec.SECP256R1())
        # A server's certificate is also its client certificate when it connects to another (replication).
        usage = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH] if server \
            else [ExtendedKeyUsageOID.CLIENT_AUTH]
        builder = (
            self._builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]),
                          self.certificate.subject, key.public_key())
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usage), critical=False)
        )
        if server:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        certificate = builder.sign(self.key, hashes.SHA256())
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        return (self._write(f"{filename}.crt", certificate.public_bytes(serialization.Encoding.PEM)),
                self._write(f"{filename}.key", key_pem))

    @staticmethod
    def _builder(subject, issuer, public_key):
        now = datetime.datetime.now(datetime.timezone.utc)
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=1)))

    def _write(self, filename, data):
        path = self.directory / filename
        path.write_bytes(data)
        path.chmod(0o600)
        return path


class MutualTlsRedis:
    """A redis-server that speaks only TLS (`--port 0`) and requires a client certificate from our own CA
    (`--tls-auth-clients yes`), with an ACL user `app` (the default user is off).

    `client_certificate` is signed by our CA; `wrong_client_certificate` by another CA the server does not
    trust, so its handshake fails."""

    USERNAME, PASSWORD = "app", "app-password-for-tls"

    def __init__(self, directory):
        self.directory = Path(directory)
        self.ca = CertificateAuthority(directory, "ours")
        self.server_certificate = self.ca.issue("server", "redis server", server=True)
        self.client_certificate = self.ca.issue("client", "api service", server=False)
        self.wrong_client_certificate = CertificateAuthority(directory, "theirs").issue(
            "wrong-client", "api service", server=False)
        certificate, key = self.server_certificate
        port = free_port()
        self.server = RedisProcess(directory, port, [
            "--port", "0", "--tls-port", str(port), "--bind", HOST, *NO_PERSISTENCE,
            "--tls-cert-file", str(certificate), "--tls-key-file", str(key),
            "--tls-ca-cert-file", str(self.ca.certificate_file), "--tls-auth-clients", "yes",
            "--user", "default", "off", "--user", self.USERNAME, "on", f">{self.PASSWORD}", "~*", "&*", "+@all",
        ], client_options=self.client_options(self.client_certificate))

    def client_options(self, client_certificate):
        certificate, key = client_certificate
        return {"ssl": True, "ssl_certfile": str(certificate), "ssl_keyfile": str(key),
                "ssl_ca_certs": str(self.ca.certificate_file), "username": self.USERNAME, "password": self.PASSWORD}

    def url(self, client_certificate=None):
        """A `rediss://` URL as an operator writes it: the ACL user, the client certificate and key, our CA,
        the host name checked, TLS 1.2 or later (`ssl_min_version` is Python's ssl.TLSVersion number)."""
        certificate, key = client_certificate or self.client_certificate
        return (f"rediss://{self.USERNAME}:{self.PASSWORD}@{HOST}:{self.server.port}/0"
                f"?ssl_certfile={certificate}&ssl_keyfile={key}&ssl_ca_certs={self.ca.certificate_file}"
                f"&ssl_check_hostname=true&ssl_min_version=771")

    def env(self, client_certificate=None):
        return {"REDIS_URL": self.url(client_certificate), "REDIS_TOPOLOGY": "server"}

    def client(self):
        return self.server.client()

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.stop()


# --- Sentinel: one master, one replica, three sentinels ----------------------------------------------------


class SentinelGroup:
    """A master and its replica, watched by three sentinels (quorum 2) that fail over about a second after
    the master stops answering (`down-after-milliseconds` 1000). The data nodes require `PASSWORD`; the
    sentinels require their own, `SENTINEL_PASSWORD`. With `tls`, every node and sentinel speaks only TLS
    and requires a client certificate from the group's own CA, replication and the sentinels' own links
    included."""

    PASSWORD, SENTINEL_PASSWORD = "data-password", "sentinel-password"
    DOWN_AFTER_MS, FAILOVER_TIMEOUT_MS = 1000, 5000

    def __init__(self, directory, tls=False):
        self.directory, self.tls = Path(directory), tls
        tls_options, self.client_tls = {}, {}
        if tls:
            ca = CertificateAuthority(directory, "sentinel-group")
            certificate, key = ca.issue("sentinel-group-node", "redis node", server=True)
            tls_options = {"tls-cert-file": certificate, "tls-key-file": key, "tls-ca-cert-file": ca.certificate_file,
                           "tls-auth-clients": "yes", "tls-replication": "yes"}
            client_certificate, client_key = ca.issue("sentinel-group-client", "api service", server=False)
            self.client_tls = {"ssl_certfile": str(client_certificate), "ssl_keyfile": str(client_key),
                               "ssl_ca_certs": str(ca.certificate_file)}

        def listening(port):  # the port options, and the TLS ones, as command-line words
            if not tls:
                return ["--port", str(port)]
            return ["--port", "0", "--tls-port", str(port),
                    *(word for name, value in tls_options.items() for word in (f"--{name}", str(value)))]

        node_client = {"password": self.PASSWORD, **self._ssl()}
        data = ("--bind", HOST, *NO_PERSISTENCE, "--requirepass", self.PASSWORD, "--masterauth", self.PASSWORD)
        master_port, replica_port = free_port(), free_port()
        self.nodes = [
            RedisProcess(directory, master_port, [*listening(master_port), *data], client_options=node_client),
            RedisProcess(directory, replica_port, [*listening(replica_port), *data,
                                                   "--replicaof", HOST, str(master_port)], client_options=node_client),
        ]
        self.sentinels = []
        for _ in range(3):
            port = free_port()
            conf = self.directory / f"sentinel-{port}.conf"  # the sentinel rewrites it as it learns
            words = listening(port)
            conf.write_text("\n".join([
                *(f"{name.removeprefix('--')} {value}" for name, value in zip(words[::2], words[1::2], strict=True)),
                f"bind {HOST}",
                f"sentinel monitor {SERVICE} {HOST} {master_port} 2",
                f"sentinel auth-pass {SERVICE} {self.PASSWORD}",
                f"sentinel down-after-milliseconds {SERVICE} {self.DOWN_AFTER_MS}",
                f"sentinel failover-timeout {SERVICE} {self.FAILOVER_TIMEOUT_MS}",
                f"sentinel parallel-syncs {SERVICE} 1",
                f"requirepass {self.SENTINEL_PASSWORD}",  # also what the sentinels say to one another
                "",
            ]))
            self.sentinels.append(RedisProcess(directory, port, [str(conf)], binary="redis-sentinel",
                                               client_options={"password": self.SENTINEL_PASSWORD, **self._ssl()}))

    def _ssl(self):
        return {"ssl": True, **self.client_tls} if self.tls else {}

    @property
    def sentinel_addresses(self):
        return ",".join(f"{HOST}:{sentinel.port}" for sentinel in self.sentinels)

    @property
    def env(self):
        scheme, query = ("rediss", "?" + "&".join(f"{k}={v}" for k, v in self.client_tls.items())) if self.tls \
            else ("redis", "")
        return {"REDIS_URL": f"{scheme}://:{self.PASSWORD}@{SERVICE}/0{query}", "REDIS_TOPOLOGY": "sentinel",
                "REDIS_SENTINELS": self.sentinel_addresses, "REDIS_SENTINEL_PASSWORD": self.SENTINEL_PASSWORD}

    def master_address(self):
        """(host, port) of the master, as the sentinels say now."""
        sentinel = Sentinel([(HOST, s.port) for s in self.sentinels],
                            sentinel_kwargs={"password": self.SENTINEL_PASSWORD, "socket_timeout": 1, **self._ssl()})
        try:
            return sentinel.discover_master(SERVICE)
        finally:
            sentinel.close()

    def master(self):
        """The node that is master now."""
        return next(node for node in self.nodes if node.port == self.master_address()[1])

    def kill_master(self):
        """Kill the master (SIGKILL); the sentinels then promote the replica. The node killed."""
        master = self.master()
        master.kill()
        return master

    def wait_for_master_other_than(self, port, within=20):
        """Wait until the sentinels name another master and it accepts writes; its (host, port)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                address = self.master_address()
                if address[1] != port:
                    node = next(node for node in self.nodes if node.port == address[1])
                    client = node.client()
                    try:
                        if client.info("replication")["role"] == "master":
                            return address
                    finally:
                        client.close()
            except redis.RedisError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"no failover within {within} s: {self.sentinels[0].log_tail()}")

    def wait_until_replicated(self, within=5):
        """Wait until the replica has every write the master took (WAIT for one replica)."""
        client = self.master().client()
        try:
            assert client.wait(1, within * 1000) >= 1, "the replica did not catch up"
        finally:
            client.close()

    def _wait_until_watched(self, within=15):
        """Each sentinel knows the replica and both other sentinels, and the replica is in sync: only then
        can the group fail over."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            states = []
            for sentinel in self.sentinels:
                client = sentinel.client()
                try:
                    states.append(client.sentinel_master(SERVICE))
                except redis.RedisError:
                    states.append(None)
                finally:
                    client.close()
            if all(state and state["num-slaves"] == 1 and state["num-other-sentinels"] == 2 for state in states):
                replica = self.nodes[1].client()
                try:
                    if replica.info("replication").get("master_link_status") == "up":
                        return
                finally:
                    replica.close()
            time.sleep(0.2)
        raise RuntimeError(f"the sentinels did not settle within {within} s: {self.sentinels[0].log_tail()}")

    def __enter__(self):
        try:
            for process in (*self.nodes, *self.sentinels):
                process.start()
            self._wait_until_watched()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        for process in (*self.sentinels, *self.nodes):
            process.stop()


# --- Cluster: three masters, no replicas ---------------------------------------------------------------------


class ClusterGroup:
    """Three masters sharing the 16384 slots (`redis-cli --cluster create`), each with an ACL user `USERNAME`
    (the default user off). Each node's cluster bus gets its own spare port (`--cluster-port`), not port +
    10000. With `tls`, clients and the cluster bus speak only TLS and need a client certificate from the
    cluster's own CA."""

    USERNAME, PASSWORD = "app", "cluster-password"
    FORMS_WITHIN = 20  # seconds for `cluster info` to say ok on every node

    def __init__(self, directory, masters=3, tls=False):
        self.directory, self.tls = Path(directory), tls
        self.client_tls, tls_arguments = {}, []
        if tls:
            ca = CertificateAuthority(directory, "cluster")
            certificate, key = ca.issue("cluster-node", "redis node", server=True)
            tls_arguments = ["--tls-cluster", "yes", "--tls-cert-file", str(certificate), "--tls-key-file", str(key),
                             "--tls-ca-cert-file", str(ca.certificate_file), "--tls-auth-clients", "yes"]
            client_certificate, client_key = ca.issue("cluster-client", "api service", server=False)
            self.client_tls = {"ssl_certfile": str(client_certificate), "ssl_keyfile": str(client_key),
                               "ssl_ca_certs": str(ca.certificate_file)}
        client_options = {"username": self.USERNAME, "password": self.PASSWORD,
                          **({"ssl": True, **self.client_tls} if tls else {})}
        self.nodes = []
        for _ in range(masters):
            port, bus = free_port(), free_port()
            listening = ["--port", "0", "--tls-port", str(port), *tls_arguments] if tls else ["--port", str(port)]
            self.nodes.append(RedisProcess(directory, port, [
                *listening, "--cluster-port", str(bus), "--bind", HOST, *NO_PERSISTENCE,
                "--cluster-enabled", "yes", "--cluster-config-file", str(self.directory / f"nodes-{port}.conf"),
                "--cluster-node-timeout", "2000",
                "--user", "default", "off", "--user", self.USERNAME, "on", f">{self.PASSWORD}", "~*", "&*", "+@all",
            ], client_options=client_options))

    @property
    def url(self):
        """One seed node; the client learns the others from it."""
        if not self.tls:
            return f"redis://{self.USERNAME}:{self.PASSWORD}@{HOST}:{self.nodes[0].port}/0"
        query = "&".join(f"{name}={value}" for name, value in self.client_tls.items())
        return f"rediss://{self.USERNAME}:{self.PASSWORD}@{HOST}:{self.nodes[0].port}/0?{query}"

    @property
    def env(self):
        return {"REDIS_URL": self.url, "REDIS_TOPOLOGY": "cluster"}

    def _create(self):
        created = subprocess.run(
            ["redis-cli", "--user", self.USERNAME, "-a", self.PASSWORD, "--no-auth-warning", *self._cli_tls(),
             "--cluster", "create",
             *(f"{HOST}:{node.port}" for node in self.nodes), "--cluster-replicas", "0", "--cluster-yes"],
            capture_output=True, text=True, timeout=60, check=False)
        if created.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed: {created.stdout[-2000:]} {created.stderr[-2000:]}")
        deadline = time.monotonic() + self.FORMS_WITHIN
        while time.monotonic() < deadline:
            if all(self._state(node) == "ok" for node in self.nodes):
                return
            time.sleep(0.2)
        raise RuntimeError(f"the cluster did not form within {self.FORMS_WITHIN} s")

    def _cli_tls(self):
        if not self.tls:
            return []
        return ["--tls", "--cert", self.client_tls["ssl_certfile"], "--key", self.client_tls["ssl_keyfile"],
                "--cacert", self.client_tls["ssl_ca_certs"]]

    @staticmethod
    def _state(node):
        client = node.client()
        try:
            return client.cluster("info")["cluster_state"]
        except redis.RedisError:
            return None
        finally:
            client.close()

    def __enter__(self):
        try:
            for node in self.nodes:
                node.start()
            self._create()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        for node in self.nodes:
            node.stop()

#!/usr/bin/env python3
"""Real servers on loopback that misbehave in the ways probes must survive.

Started by the Swift tests (Tests/ProbesTests, Tests/EndToEndTests). Prints one JSON line with
the ports and the CA file, then serves until its standard input closes, so it never outlives
the test that started it.

  http      200 "ok"; /json; /status/NNN; /slow?ms=N; /redirect-gopher; /redirect-file;
            /maintenance (a body with "maintenance"); POST /mode/ok|fail|fail-once switches "/"
            (fail answers 503; fail-once answers 503 once, then ok again)
  hang      accepts and never answers
  trickle   accepts and sends one byte a second
  reset     accepts, then resets the connection
  refused   a port where nothing listens
  expired, selfsigned, soon, valid   TLS servers: an expired certificate, a self-signed one, one
            expiring in 5 days and one valid 100 days, the last two signed by a test CA (ca_file)
"""
import datetime
import json
import os
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

MODE = {"root": "ok"}
# http.server listens with a backlog of 5, which drops connections under load.
ThreadingHTTPServer.request_queue_size = 1024
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path
        if path == "/":
            with LOCK:
                mode = MODE["root"]
                if mode == "fail-once":
                    MODE["root"] = "ok"
            if mode in ("fail", "fail-once"):
                return self.answer(503, "unavailable")
            return self.answer(200, "ok")
        if path == "/json":
            return self.answer(200, json.dumps({"status": "green", "data": {"items": [{"state": "up"}], "count": 3}}),
                               content_type="application/json")
        if path.startswith("/status/"):
            return self.answer(int(path.rsplit("/", 1)[1]), "status")
        if path.startswith("/slow"):
            time.sleep(int(path.split("ms=")[1]) / 1000)
            return self.answer(200, "slow ok")
        if path == "/redirect-gopher":
            return self.answer(302, "", {"Location": "gopher://127.0.0.1:70/"})
        if path == "/redirect-file":
            return self.answer(302, "", {"Location": "file:///etc/passwd"})
        if path == "/maintenance":
            return self.answer(200, "site en maintenance")
        return self.answer(404, "no")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path.startswith("/mode/"):
            with LOCK:
                MODE["root"] = self.path.rsplit("/", 1)[1]
            return self.answer(200, MODE["root"])
        return self.answer(404, "no")


def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def serve_forever(sock, on_connection):
    def loop():
        while True:
            connection, _ = sock.accept()
            threading.Thread(target=on_connection, args=(connection,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


def hang(connection):
    connection.recv(4096)
    time.sleep(3600)


def trickle(connection):
    connection.recv(4096)
    try:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while True:
            connection.sendall(b"x")
            time.sleep(1)
    except OSError:
        pass


def reset(connection):
    connection.recv(4096)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def make_key():
    return ec.generate_private_key(ec.SECP256R1())


def certificate(subject_key, issuer_key, issuer_name, not_before, not_after, is_ca=False):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "statusd test CA" if is_ca else "localhost")])
    builder = (x509.CertificateBuilder()
               .subject_name(name)
               .issuer_name(issuer_name or name)
               .public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True))
    if not is_ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
            critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


def tls_server(folder, label, cert, key):
    cert_path = write(folder, f"{label}.crt", cert.public_bytes(serialization.Encoding.PEM))
    key_path = write(folder, f"{label}.key", key.private_bytes(serialization.Encoding.PEM,
                                                                serialization.PrivateFormat.PKCS8,
                                                                serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    folder = tempfile.mkdtemp(prefix="statusd-faults-")
    ports = {}
    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http.daemon_threads = True
    threading.Thread(target=http.serve_forever, daemon=True).start()
    ports["http"] = http.server_address[1]
    for label, behaviour in (("hang", hang), ("trickle", trickle), ("reset", reset)):
        sock = listener()
        ports[label] = sock.getsockname()[1]
        serve_forever(sock, behaviour)
    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))
    ports["refused"] = refused.getsockname()[1]
    refused.close()

    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    ca_key = make_key()
    ca = certificate(ca_key, ca_key, None, now - day, now + 365 * day, is_ca=True)
    ca_file = write(folder, "ca.crt", ca.public_bytes(serialization.Encoding.PEM))
    for label, not_before, not_after, signed in (
            ("expired", now - 30 * day, now - day, True),
            ("selfsigned", now - day, now + 100 * day, False),
            ("soon", now - day, now + 5 * day + datetime.timedelta(hours=12), True),
            ("valid", now - day, now + 100 * day, True)):
        key = make_key()
        if signed:
            cert = certificate(key, ca_key, ca.subject, not_before, not_after)
        else:
            cert = certificate(key, key, None, not_before, not_after)
        ports[label] = tls_server(folder, label, cert, key)

    print(json.dumps({"ports": ports, "ca_file": ca_file}), flush=True)
    sys.stdin.read()  # until the test closes our standard input


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A real SMTP server on loopback for the Notify tests (aiosmtpd, Debian's python3-aiosmtpd).

Started by Tests/TestSupport/SMTPServer.swift with /usr/bin/python3. Prints one JSON line,
{"port": N, "ca_file": PATH or null}, once it is ready, then serves until its standard input
closes, so it never outlives the test that started it.

  --folder DIR     each accepted message is written there as msg-NNNNNN.json (written whole,
                   then renamed): {"mail_from", "rcpt_tos", "data" (the raw message), "tls",
                   "login", "subject", "text", "html", "headers" [[name, decoded value]],
                   "defects"} (the last five from Python's own MIME parser)
  --stopped        choose the port but do not listen yet (a mail server that is down)
  --login U:P      require AUTH with this user and password
  --starttls       offer STARTTLS with a certificate for 127.0.0.1 signed by a test CA (ca_file)
  --discard        keep no message, only count them (benchmarks: the server's own cost stays low)

Commands, one JSON object a line on standard input, each answered by one JSON line:
  {"do": "start"} / {"do": "stop"}     listen / stop listening and drop every session
  {"do": "reject", "pattern": REGEX, "code": 550, "times": N or null, "stage": "rcpt" or "data"}
                   recipients matching REGEX get CODE (at RCPT TO, or after the data),
                   N times or always
  {"do": "clear"}  forget every rejection rule
  {"do": "count"}  answered by {"done": "count", "messages": N, "recipients": distinct recipients,
                   "sessions": EHLO greetings, one per SMTP session}
"""
import argparse
import datetime
import email
import email.policy
import ipaddress
import json
import os
import re
import socket
import ssl
import sys
import tempfile
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOCK = threading.Lock()
RULES = []
COUNTER = [0]
RECIPIENTS = set()
SESSIONS = [0]


def answer(rule):
    code = rule["code"]
    status = "5.7.1 refused by test rule" if code >= 500 else "4.7.1 try again later (test rule)"
    return f"{code} {status}"


def matching_rule(address, stage):
    with LOCK:
        for rule in RULES:
            if (rule.get("stage") or "rcpt") != stage or not re.search(rule["pattern"], address):
                continue
            if rule.get("times") is not None:
                if rule["times"] <= 0:
                    continue
                rule["times"] -= 1
            return rule
    return None


def parsed_view(data):
    view = {"subject": None, "text": None, "html": None, "headers": [], "defects": []}
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        view["headers"] = [[name, str(value)] for name, value in message.items()]
        view["subject"] = str(message["subject"]) if message["subject"] is not None else None
        for part in message.walk():
            view["defects"] += [repr(defect) for defect in part.defects]
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        view["text"] = text.get_content() if text is not None else None
        view["html"] = html.get_content() if html is not None else None
    except Exception as error:  # a message Python cannot read is a failure the test should see
        view["defects"].append(f"parse error: {error!r}")
    return view


class Handler:
    def __init__(self, folder, discard=False):
        self.folder = folder
        self.discard = discard

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with LOCK:
            SESSIONS[0] += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = matching_rule(address, "rcpt")
        if rule is not None:
            return answer(rule)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            rule = matching_rule(address, "data")
            if rule is not None:
                return answer(rule)
        if self.discard:
            with LOCK:
                COUNTER[0] += 1
                RECIPIENTS.update(envelope.rcpt_tos)
            return "250 Message accepted for delivery"
        data = envelope.original_content or envelope.content
        auth = session.auth_data
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": data.decode("utf-8", errors="replace"),
            "tls": session.ssl is not None,
            "login": auth.login.decode() if isinstance(auth, LoginPassword) else None,
        }
        record.update(parsed_view(data))
        with LOCK:
            COUNTER[0] += 1
            name = f"msg-{COUNTER[0]:06d}.json"
        temporary = os.path.join(self.folder, "." + name)
        with open(temporary, "w") as handle:
            json.dump(record, handle)
        os.replace(temporary, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def tls_context(folder):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "statusd SMTP test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - day).not_valid_after(now + day)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - day).not_valid_after(now + day)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    tls_folder = tempfile.mkdtemp(prefix="statusd-smtp-tls-")
    paths = {}
    for name, data in (("ca.crt", ca.public_bytes(serialization.Encoding.PEM)),
                       ("server.crt", cert.public_bytes(serialization.Encoding.PEM)),
                       ("server.key", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))):
        paths[name] = os.path.join(tls_folder, name)
        with open(paths[name], "wb") as handle:
            handle.write(data)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(paths["server.crt"], paths["server.key"])
    return context, paths["ca.crt"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--stopped", action="store_true")
    parser.add_argument("--login")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--discard", action="store_true")
    options = parser.parse_args()

    port = free_port()
    parameters = {"auth_require_tls": False}
    ca_file = None
    if options.starttls:
        parameters["tls_context"], ca_file = tls_context(options.folder)
    if options.login:
        user, password = options.login.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == user and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        parameters["authenticator"] = authenticator
        parameters["auth_required"] = True

    handler = Handler(options.folder, discard=options.discard)
    state = {"controller": None}

    def start():
        if state["controller"] is None:
            controller = Controller(handler, hostname="127.0.0.1", port=port, **parameters)
            controller.start()
            state["controller"] = controller

    def stop():
        if state["controller"] is not None:
            state["controller"].stop()
            state["controller"] = None

    if not options.stopped:
        # The port was free when picked; a test running beside this one may take it before
        # the controller binds it (TLS set-up takes a while): then pick another.
        for attempt in range(10):
            try:
                start()
                break
            except (OSError, RuntimeError):
                if attempt == 9:
                    raise
                port = free_port()
    print(json.dumps({"port": port, "ca_file": ca_file}), flush=True)

    for line in sys.stdin:  # until the test closes our standard input
        command = json.loads(line)
        action = command["do"]
        if action == "start":
            start()
        elif action == "stop":
            stop()
        elif action == "reject":
            with LOCK:
                RULES.append({key: command.get(key) for key in ("pattern", "code", "times", "stage")})
        elif action == "clear":
            with LOCK:
                RULES.clear()
        reply = {"done": action}
        if action == "count":
            with LOCK:
                reply.update(messages=COUNTER[0], recipients=len(RECIPIENTS), sessions=SESSIONS[0])
        print(json.dumps(reply), flush=True)
    stop()


if __name__ == "__main__":
    main()

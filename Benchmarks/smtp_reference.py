#!/usr/bin/env python3
"""The reference for Benchmarks/mail.sh: a plain smtplib client sending N distinct mails of the
same size as statusd's to the same server, one after the other over one connection (as a simple
mailing script would). Prints `reference_mails_per_s=R total_s=T`.
"""
import argparse
import smtplib
import time

TEMPLATE = (
    "From: Statusd <status@example.com>\r\n"
    "To: {to}\r\n"
    "Subject: Cegid Loop: incident resolved\r\n"
    "Date: Fri, 20 Nov 2026 11:00:00 +0000\r\n"
    "Message-ID: <{index}.reference@status.example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Language: en\r\n"
    "List-Unsubscribe: <https://status.example.com/u/{index}>\r\n"
    "Content-Type: multipart/alternative;\r\n boundary=\"=_reference\"\r\n"
    "\r\n"
    "This is a multi-part message in MIME format.\r\n"
    "--=_reference\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    "Cegid Loop: incident resolved\r\n\r\n"
    "The incident that slowed down Cegid Loop since 09:12 is resolved. Every product is operation=\r\nal.\r\n"
    "See https://status.example.com/incidents/42\r\n\r\n"
    "You get this mail because you follow Cegid Loop. Unsubscribe: https://status.example.com/u/{index}\r\n"
    "--=_reference\r\n"
    "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    "<h1>Cegid Loop: incident resolved</h1><p>The incident that slowed down Cegid Loop since 09:12 is <b>re=\r\n"
    "solved</b>. Every product is operational.</p><p><a href=3D\"https://status.example.com/incidents/42\">Details</a></p>\r\n"
    "--=_reference--\r\n"
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mails", type=int, required=True)
    options = parser.parse_args()
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", options.port, timeout=30) as client:
        for index in range(options.mails):
            to = f"reference{index}@example.net"
            client.sendmail("status@example.com", [to], TEMPLATE.format(to=to, index=index).encode())
    total = time.monotonic() - started
    print(f"reference_mails_per_s={options.mails / total:.0f} total_s={total:.2f}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the text of the last mail the test SMTP server received for an address, waiting up to
30 s for one to arrive (delivery goes through the outbox, asynchronously).
Usage: smtp_mail.py MAIL_FOLDER ADDRESS [COUNT_AT_LEAST]"""
import glob
import json
import os
import sys
import time

folder, address = sys.argv[1], sys.argv[2].lower()
at_least = int(sys.argv[3]) if len(sys.argv) > 3 else 1
deadline = time.monotonic() + 30
while True:
    mails = []
    for path in sorted(glob.glob(os.path.join(folder, "msg-*.json"))):
        with open(path, encoding="utf-8") as handle:
            mail = json.load(handle)
        if address in [r.lower() for r in mail.get("rcpt_tos", [])]:
            mails.append(mail)
    if len(mails) >= at_least or time.monotonic() > deadline:
        break
    time.sleep(0.2)
print(mails[-1].get("text") or "" if mails else "")

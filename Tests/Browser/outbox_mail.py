#!/usr/bin/env python3
"""Prints the text of the last mail queued for an address, from the outbox of a statusd database.
Usage: outbox_mail.py DATABASE ADDRESS"""
import json
import sqlite3
import sys

connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
row = connection.execute("SELECT payload FROM outboxMessage WHERE recipient = ? ORDER BY id DESC LIMIT 1",
                         (sys.argv[2].lower(),)).fetchone()
print(json.loads(row[0])["text"] if row else "")

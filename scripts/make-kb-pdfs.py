#!/usr/bin/python3
"""Writes the demo articles' PDF attachments (config/kb/*.pdf): minimal hand-made PDFs, one
page of Helvetica text in WinAnsi encoding, that pdftotext (poppler-utils) reads back.
Run again after changing a text: python3 scripts/make-kb-pdfs.py"""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "kb")

PDFS = {
    "guide-bulletins.pdf": ["Guide : éditer les bulletins de paie", "", "1. Contrôler les anomalies du calcul.",
                            "2. Éditer les bulletins au format PDF.", "3. Déposer les bulletins dans le coffre-fort numérique.",
                            "Le dépôt dans le coffre-fort est définitif : vérifiez la période avant."],
    "echeancier.pdf": ["Échéancier des factures clients", "", "Facture F2026-0142 : échéance le 15 décembre, montant 1 250,00 EUR.",
                       "Relance automatique envoyée 7 jours après l'échéance.", "Pénalités de retard selon les conditions générales."],
    "diagnostic-stream.pdf": ["Fiche de diagnostic réseau Cegid Stream", "", "Mesurez la latence vers le serveur avec la commande ping.",
                              "Une latence supérieure à 150 ms ralentit l'ouverture des dossiers.", "Notez le traceroute et joignez-le au ticket."],
    "programme-webinar.pdf": ["Programme du webinar partenaire", "", "10 h 00 : tableaux de bord personnalisables.",
                              "10 h 30 : export des échéances au format CSV.", "11 h 00 : questions des partenaires."],
}


def pdf(lines):
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 12 Tf 72 760 Td 16 TL\n" + "".join(f"({escape(line)}) '\n" for line in lines) + "ET\n"
    stream = content.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


if __name__ == "__main__":
    for name, lines in PDFS.items():
        with open(os.path.join(HERE, name), "wb") as file:
            file.write(pdf(lines))

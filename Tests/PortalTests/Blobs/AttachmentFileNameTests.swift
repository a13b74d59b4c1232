import Portal
import Testing

@Suite("Attachment names: what is left of the uploader's name is safe to show and to save")
struct AttachmentFileNameTests {
    @Test("Names are cut to their last part, cleaned, or replaced", arguments: [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/var/tmp/rapport final.pdf", "rapport final.pdf"),
        ("facture\u{202E}fdp.exe", "facturefdp.exe"),
        ("bad\u{0}name\u{7}\r\n.pdf", "badname.pdf"),
        ("zero\u{200B}width\u{2066}.txt", "zerowidth.txt"),
        (".htaccess", "htaccess"),
        ("...", "attachment"),
        ("../", "attachment"),
        ("", "attachment"),
        ("  notes.txt. ", "notes.txt"),
        ("C:y.pdf", "C_y.pdf"),
        ("what?<>|*\".pdf", "what______.pdf"),
        ("Échéancier 2026.xlsx", "Échéancier 2026.xlsx"),
        ("e\u{301}te\u{301}.pdf", "été.pdf"),
        ("tab\there.pdf", "tabhere.pdf"),
    ])
    func sanitises(input: String, expected: String) {
        #expect(AttachmentFileName.sanitised(input) == expected)
    }

    @Test("Nothing left gives a name with the extension of the content found")
    func fallbackExtension() {
        #expect(AttachmentFileName.sanitised("\u{202E}\u{200F}", fallbackExtension: "pdf") == "attachment.pdf")
    }

    @Test("A 300-character name is capped with its extension kept")
    func capsLength() {
        let name = AttachmentFileName.sanitised(String(repeating: "r", count: 300) + ".pdf")
        #expect(name.count == AttachmentFileName.maxCharacters)
        #expect(name.hasSuffix("r.pdf"))
        let wide = AttachmentFileName.sanitised(String(repeating: "é", count: 300) + ".docx")
        #expect(wide.utf8.count <= 240)
        #expect(wide.hasSuffix("é.docx"))
    }
}

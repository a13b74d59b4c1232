import Foundation
import Portal
import StatusModel
import Testing
import TestSupport

@Suite("Content sniffing: a file's type comes from its bytes, never from its name")
struct ContentSnifferTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: Data
        let expected: String
        var testDescription: String { "\(name) → \(expected)" }
    }

    static let samples: [Sample] = [
        Sample(name: "guide.pdf", bytes: TestDocuments.pdf(text: "Bonjour"), expected: AttachmentTypes.pdf),
        Sample(name: "guide.pdf", bytes: Data("<!DOCTYPE html><html><script>alert(1)</script>".utf8), expected: AttachmentTypes.html),
        Sample(name: "logo.png", bytes: Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8), expected: AttachmentTypes.svg),
        Sample(name: "notes.txt", bytes: TestDocuments.pdf(text: "cache"), expected: AttachmentTypes.pdf),
        Sample(name: "logo.png", bytes: TestDocuments.png, expected: AttachmentTypes.png),
        Sample(name: "photo.jpg", bytes: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array("JFIF".utf8)), expected: AttachmentTypes.jpeg),
        Sample(name: "anim.gif", bytes: Data("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8), expected: AttachmentTypes.gif),
        Sample(name: "pic.webp", bytes: Data("RIFF\u{10}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), expected: AttachmentTypes.webp),
        Sample(name: "rapport.docx", bytes: TestDocuments.zip(entries: ["[Content_Types].xml", "word/document.xml"]), expected: AttachmentTypes.docx),
        Sample(name: "budget.xlsx", bytes: TestDocuments.zip(entries: ["[Content_Types].xml", "xl/workbook.xml"]), expected: AttachmentTypes.xlsx),
        Sample(name: "deck.pptx", bytes: TestDocuments.zip(entries: ["[Content_Types].xml", "ppt/presentation.xml"]), expected: AttachmentTypes.pptx),
        Sample(name: "rapport.docx", bytes: TestDocuments.zip(entries: ["readme.txt"]), expected: AttachmentTypes.zip),
        Sample(name: "notes.txt", bytes: Data("Échéance du 15 : déclarer la TVA.\n".utf8), expected: AttachmentTypes.plainText),
        Sample(name: "README.md", bytes: Data("# Titre\n\n*Gras* et `code`.".utf8), expected: AttachmentTypes.markdown),
        Sample(name: "export.csv", bytes: Data("a;b\n1;2\n".utf8), expected: AttachmentTypes.csv),
        Sample(name: "page.txt", bytes: Data("\u{FEFF}\n\n   <html><body>hi</body></html>".utf8), expected: AttachmentTypes.html),
        Sample(name: "x.md", bytes: Data("<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg/>".utf8), expected: AttachmentTypes.svg),
        Sample(name: "x.txt", bytes: Data("  <SCRIPT>alert(1)</SCRIPT>".utf8), expected: AttachmentTypes.html),
        Sample(name: "latin1.txt", bytes: Data([0x3C, 0x68, 0x74, 0x6D, 0x6C, 0x3E, 0xE9]), expected: AttachmentTypes.html),
        Sample(name: "notes.txt", bytes: Data([0x61, 0x00, 0x62]), expected: AttachmentTypes.unknown),
        Sample(name: "notes.txt", bytes: Data([0x61, 0xC3]), expected: AttachmentTypes.unknown),
        Sample(name: "notes.txt", bytes: Data([0xED, 0xA0, 0x80]), expected: AttachmentTypes.unknown),
        Sample(name: "maths.txt", bytes: Data("a <b and c> d".utf8), expected: AttachmentTypes.plainText),
        Sample(name: "program.exe", bytes: Data([0x4D, 0x5A, 0x90, 0x00, 0x03]), expected: AttachmentTypes.unknown),
    ]

    @Test("Each sample is recognised by its content", arguments: samples)
    func sniffs(sample: Sample) throws {
        let folder = try TemporaryFolder("statusd-sniff")
        let file = try folder.file("upload", sample.bytes)
        #expect(try ContentSniffer.contentType(of: file, fileName: sample.name) == sample.expected)
    }

    @Test("Every type the sniffer answers is one the config knows")
    func answersKnownTypes() throws {
        let folder = try TemporaryFolder("statusd-sniff")
        for (index, sample) in Self.samples.enumerated() {
            let type = try ContentSniffer.contentType(of: try folder.file("f\(index)", sample.bytes), fileName: sample.name)
            #expect(AttachmentTypes.known.contains(type))
        }
    }

    @Test("A text file is checked to its end: a NUL after the first megabyte makes it binary")
    func readsToTheEnd() throws {
        let folder = try TemporaryFolder("statusd-sniff")
        var bytes = Data(String(repeating: "ligne de journal\n", count: 100_000).utf8)
        bytes.append(0)
        #expect(try ContentSniffer.contentType(of: try folder.file("log.txt", bytes), fileName: "log.txt") == AttachmentTypes.unknown)
    }
}

import Foundation
import Portal
import StatusModel
import Testing
import TestSupport

@Suite("Attachment intake: the config's limits, the content's type, the text for search")
struct AttachmentIntakeTests {
    /// A data folder with a blob store and an intake limited to `maxBytes`, PDF and text only.
    struct Fixture {
        let data: TemporaryFolder
        let store: FileBlobStore
        let intake: FileAttachmentIntake<FileBlobStore>

        init(maxBytes: Int64 = 1024 * 1024, pdfText: PDFTextExtractor? = .installed()) throws {
            data = try TemporaryFolder("statusd-intake")
            store = try FileBlobStore(dataFolder: data.url)
            intake = FileAttachmentIntake(store: store, maxBytes: maxBytes,
                                          allowedTypes: [AttachmentTypes.pdf, AttachmentTypes.plainText, AttachmentTypes.markdown], pdfText: pdfText)
        }

        /// Writes an upload the way the web layer does: into the store's uploads folder.
        func upload(_ bytes: Data) throws -> URL {
            let url = store.uploadsFolder.appendingPathComponent("upload-\(UUID().uuidString)")
            try bytes.write(to: url)
            return url
        }

        /// Every file under the data folder: blobs and leftovers alike.
        var filesOnDisk: [String] { TemporaryFolder.files(under: data.url) }
    }

    @Test("A PDF is kept under its hash, typed from its content, its name sanitised, its text extracted by pdftotext")
    func keepsPDF() async throws {
        let fixture = try Fixture()
        let taken = try await fixture.intake.take(file: try fixture.upload(TestDocuments.pdf(text: "Guide de cloture annuelle")),
                                                  fileName: "../../Guide\u{202E}.pdf")
        #expect(taken.fileName == "Guide.pdf")
        #expect(taken.blob.contentType == AttachmentTypes.pdf)
        #expect(taken.text.contains("Guide de cloture annuelle"))
        let stored = try #require(try await fixture.store.file(for: taken.blob))
        #expect(try Data(contentsOf: stored) == TestDocuments.pdf(text: "Guide de cloture annuelle"))
        #expect(TemporaryFolder.files(under: fixture.store.uploadsFolder).isEmpty)
    }

    @Test("A file over the limit is refused: nothing stored, no temporary file left")
    func refusesTooLarge() async throws {
        let fixture = try Fixture(maxBytes: 1000)
        let upload = try fixture.upload(Data(String(repeating: "a", count: 1001).utf8))
        await #expect(throws: AttachmentRefusal.tooLarge(limit: 1000)) {
            try await fixture.intake.take(file: upload, fileName: "big.txt")
        }
        #expect(fixture.filesOnDisk.isEmpty)
    }

    @Test("An HTML page named guide.pdf is refused as text/html: nothing stored, no temporary file left")
    func refusesHTMLNamedPDF() async throws {
        let fixture = try Fixture()
        let upload = try fixture.upload(Data("<!doctype html><script>fetch('/account')</script>".utf8))
        await #expect(throws: AttachmentRefusal.typeNotAllowed(found: AttachmentTypes.html)) {
            try await fixture.intake.take(file: upload, fileName: "guide.pdf")
        }
        #expect(fixture.filesOnDisk.isEmpty)
    }

    @Test("HTML and SVG stay refused even when the allowed list names them")
    func activeTypesNeverAllowed() async throws {
        let data = try TemporaryFolder("statusd-intake")
        let store = try FileBlobStore(dataFolder: data.url)
        let intake = FileAttachmentIntake(store: store, maxBytes: 1000, allowedTypes: [AttachmentTypes.svg, AttachmentTypes.html])
        let upload = store.uploadsFolder.appendingPathComponent("svg")
        try Data("<svg onload=alert(1)/>".utf8).write(to: upload)
        await #expect(throws: AttachmentRefusal.typeNotAllowed(found: AttachmentTypes.svg)) {
            try await intake.take(file: upload, fileName: "logo.svg")
        }
        #expect(TemporaryFolder.files(under: data.url).isEmpty)
    }

    @Test("An empty file is refused")
    func refusesEmpty() async throws {
        let fixture = try Fixture()
        await #expect(throws: AttachmentRefusal.empty) { try await fixture.intake.take(file: try fixture.upload(Data()), fileName: "vide.txt") }
        #expect(fixture.filesOnDisk.isEmpty)
    }

    @Test("An imported file is copied into the store and left where it was; its Markdown text is indexed")
    func importCopies() async throws {
        let fixture = try Fixture()
        let source = try TemporaryFolder("statusd-import")
        let file = try source.file("notes.md", "# Échéances\n\nDéclarer la TVA avant le 15.")
        let taken = try await fixture.intake.take(file: file, fileName: "notes.md")
        #expect(taken.blob.contentType == AttachmentTypes.markdown)
        #expect(taken.text.contains("Déclarer la TVA"))
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(try await fixture.store.file(for: taken.blob) != nil)
        #expect(TemporaryFolder.files(under: fixture.store.uploadsFolder).isEmpty)
    }

    @Test("An imported file over the limit is refused without copying it")
    func importTooLarge() async throws {
        let fixture = try Fixture(maxBytes: 10)
        let source = try TemporaryFolder("statusd-import")
        let file = try source.file("long.txt", "more than ten bytes")
        await #expect(throws: AttachmentRefusal.tooLarge(limit: 10)) { try await fixture.intake.take(file: file, fileName: "long.txt") }
        #expect(fixture.filesOnDisk.isEmpty)
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    @Test("A broken PDF is kept without text")
    func brokenPDF() async throws {
        let fixture = try Fixture()
        let taken = try await fixture.intake.take(file: try fixture.upload(Self.brokenPDF), fileName: "cassé.pdf")
        #expect(taken.text.isEmpty)
        #expect(taken.blob.contentType == AttachmentTypes.pdf)
        #expect(try await fixture.store.file(for: taken.blob) != nil)
    }

    /// A PDF whose only page tree is its own child: readers that follow it blindly never stop.
    static let brokenPDF = Data("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".utf8)
}

@Suite("pdftotext never hangs the server: killed after its timeout or once it wrote enough")
struct PDFTextExtractorTests {
    @Test("A real PDF's text is read")
    func readsText() async throws {
        let folder = try TemporaryFolder("statusd-pdf")
        let extractor = try #require(PDFTextExtractor.installed(), "pdftotext (poppler-utils) is installed by scripts/install-deps")
        let (text, outcome) = await extractor.text(of: try folder.file("a.pdf", TestDocuments.pdf(text: "Facturation electronique 2026")))
        #expect(outcome == .complete)
        #expect(text == "Facturation electronique 2026")
    }

    @Test("pdftotext finishes by itself on a broken, self-referencing PDF, without text")
    func brokenPDF() async throws {
        let folder = try TemporaryFolder("statusd-pdf")
        let extractor = try #require(PDFTextExtractor.installed(timeout: .seconds(60)))
        let (text, outcome) = await extractor.text(of: try folder.file("broken.pdf", AttachmentIntakeTests.brokenPDF))
        #expect(outcome == .complete || outcome == .failed)
        #expect(text.isEmpty)
    }

    @Test("A program that never finishes is killed at the timeout")
    func timesOut() async throws {
        let folder = try TemporaryFolder("statusd-pdf")
        let hanging = try TestDocuments.script(in: folder, named: "hang", "printf 'partial text'\nexec sleep 600")
        let extractor = PDFTextExtractor(executable: hanging, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let (text, outcome) = await extractor.text(of: try folder.file("a.pdf", TestDocuments.pdf(text: "x")))
        #expect(outcome == .timedOut)
        #expect(text == "partial text")
        // Far below the 600 s the program would take; generous for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test("A program that writes without end is cut at the output cap")
    func capsOutput() async throws {
        let folder = try TemporaryFolder("statusd-pdf")
        let flooding = try TestDocuments.script(in: folder, named: "flood", "exec yes 'encore du texte'")
        let extractor = PDFTextExtractor(executable: flooding, timeout: .seconds(60), maxOutputBytes: 100_000)
        let started = ContinuousClock.now
        let (text, outcome) = await extractor.text(of: try folder.file("a.pdf", TestDocuments.pdf(text: "x")))
        #expect(outcome == .truncated)
        #expect(text.utf8.count <= 100_000)
        #expect(text.hasPrefix("encore du texte\n"))
        // Far below the 600 s the program would take; generous for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test("A missing program is a failure, not a crash")
    func missingProgram() async throws {
        let folder = try TemporaryFolder("statusd-pdf")
        let extractor = PDFTextExtractor(executable: folder.url.appendingPathComponent("no-such-program"))
        let (text, outcome) = await extractor.text(of: try folder.file("a.pdf", TestDocuments.pdf(text: "x")))
        #expect(outcome == .failed)
        #expect(text.isEmpty)
    }
}

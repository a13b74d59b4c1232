import Crypto
import Foundation
import Portal
import StatusModel
import Testing
import Synchronization

/// An intake for the tests until the blob store's is on main: keeps nothing, hashes the bytes
/// and reads them as text (a ".pdf" here is plain text standing for what pdftotext reads).
final class TestAttachmentIntake: AttachmentIntake {
    let taken = Mutex(0)

    func take(file: URL, fileName: String) async throws -> TakenAttachment {
        let data = try Data(contentsOf: file)
        guard !data.isEmpty else { throw AttachmentRefusal.empty }
        if data.starts(with: Data("<html".utf8)) { throw AttachmentRefusal.typeNotAllowed(found: "text/html") }
        taken.withLock { $0 += 1 }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return TakenAttachment(fileName: fileName, blob: BlobReference(sha256: digest, size: Int64(data.count), contentType: "application/pdf"),
                               text: String(decoding: data, as: UTF8.self))
    }
}

@Suite struct ArticleImporterTests {
    static let categories = ["Aide à l'utilisation", "Portail", "Notes de version"]

    func makeFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-import-\(UUID().uuidString)")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    func importer(_ kb: KnowledgeBaseFixture, _ intake: TestAttachmentIntake) -> ArticleImporter {
        let services = SQLiteServiceStore(database: kb.database)
        return ArticleImporter(store: kb.store, intake: intake, categories: Self.categories) { name in
            try await services.service(named: name)?.id
        }
    }

    static let good: [String: String] = [
        "paie/bulletins.md": """
            ---
            number: KB0000120
            title: Éditer les bulletins de paie
            category: Aide à l'utilisation
            products: [yourcegid-paie]
            language: fr
            visibility: service:Cegid Stream
            attachments: [guide-bulletins.pdf]
            ---
            Ouvrez le menu **Paie**, puis voyez KB0000121.
            """,
        "paie/guide-bulletins.pdf": "Le guide explique le rapprochement des cotisations.",
        "payslips.md": """
            ---
            number: KB0000121
            title: Printing payslips
            category: Aide à l'utilisation
            products: [yourcegid-paie]
            language: en
            translation: KB0000120
            ---
            Open the **Payroll** menu.
            """,
        "portail.md": """
            ---
            title: Se connecter au portail
            category: portail
            language: fr
            visibility: customers
            related: [KB0000120]
            ---
            Saisissez votre adresse et votre mot de passe.
            """,
    ]

    @Test func aFolderIsImportedAndASecondRunChangesNothing() async throws {
        let kb = try await KnowledgeBaseFixture(.file)
        let intake = TestAttachmentIntake()
        let folder = try makeFolder(Self.good)
        let first = try await importer(kb, intake).importFolder(folder, at: kb.now)
        #expect(first.rejected == [])
        #expect((first.changed, first.unchanged) == (3, 0))
        let paie = try #require(try await kb.store.article(ArticleNumber(120), for: kb.readerA))
        #expect(paie.content.visibility == .service(id: kb.stream.id))
        #expect(try await kb.store.article(ArticleNumber(120), for: kb.readerB) == nil)
        #expect(try await kb.store.citing(ArticleNumber(121), for: .staff).map(\.number) == [ArticleNumber(120)])
        #expect(try await kb.search("rapprochement cotisations", .staff).hits.first?.attachment?.fileName == "guide-bulletins.pdf")
        // The file without a number took the next one.
        #expect(try await kb.store.article(ArticleNumber(122), for: .staff)?.content.category == "Portail")

        let second = try await importer(kb, intake).importFolder(folder, at: kb.now.addingTimeInterval(60))
        #expect((second.changed, second.unchanged, second.rejected) == (0, 3, []))
        #expect(intake.taken.withLock { $0 } == 1, "an unchanged attachment is not taken again")
        #expect(try await kb.store.allArticles().count == 3)
        #expect(try await kb.store.versions(ArticleNumber(120)).count == 1)

        // A changed text makes a new version; a changed attachment replaces the old.
        var changed = Self.good
        changed["payslips.md"] = changed["payslips.md"]?.replacingOccurrences(of: "Open the", with: "Go to the")
        changed["paie/guide-bulletins.pdf"] = "Nouvelle version du guide."
        let third = try await importer(kb, intake).importFolder(try makeFolder(changed), at: kb.now.addingTimeInterval(120))
        #expect((third.changed, third.unchanged) == (2, 1))
        #expect(try await kb.store.versions(ArticleNumber(121)).count == 2)
        #expect(try await kb.store.attachments(of: ArticleNumber(120)).count == 1)
        #expect(try await kb.search("rapprochement", .staff).total == 0)
    }

    @Test func rejectedFilesAreReportedWithTheirReasonAndTheOthersImported() async throws {
        let kb = try await KnowledgeBaseFixture()
        var files = Self.good
        func article(_ front: String, body: String = "Du texte.") -> String { "---\n\(front)\n---\n\(body)\n" }
        files["bad/no-front.md"] = "Juste du texte."
        files["bad/category.md"] = article("title: T\ncategory: Inconnue\nlanguage: fr")
        files["bad/language.md"] = article("title: T\ncategory: Portail\nlanguage: de")
        files["bad/service.md"] = article("title: T\ncategory: Portail\nlanguage: fr\nvisibility: service:Nulle part")
        files["bad/key.md"] = article("title: T\ncategory: Portail\nlanguage: fr\nauthor: moi")
        files["bad/yaml.md"] = article("title: [T\ncategory: Portail")
        files["bad/escape.md"] = article("title: T\ncategory: Portail\nlanguage: fr\nattachments: [../../etc/passwd]")
        files["bad/missing.md"] = article("title: T\ncategory: Portail\nlanguage: fr\nattachments: [absent.pdf]")
        files["bad/html.md"] = article("title: T\ncategory: Portail\nlanguage: fr\nattachments: [page.pdf]")
        files["bad/page.pdf"] = "<html><script>alert(1)</script></html>"
        files["zz-twice.md"] = article("number: KB0000120\ntitle: T\ncategory: Portail\nlanguage: fr")
        files["bad/empty.md"] = article("title: T\ncategory: Portail\nlanguage: fr", body: "")
        let report = try await importer(kb, TestAttachmentIntake()).importFolder(try makeFolder(files), at: kb.now)
        let reasons = Dictionary(uniqueKeysWithValues: report.rejected.map { ($0.file, $0.reason) })
        #expect(reasons["bad/no-front.md"]?.contains("front matter") == true)
        #expect(reasons["bad/category.md"]?.contains("\"Inconnue\" is not one of the config's") == true)
        #expect(reasons["bad/language.md"]?.contains("expected fr or en") == true)
        #expect(reasons["bad/service.md"]?.contains("no service is named \"Nulle part\"") == true)
        #expect(reasons["bad/key.md"]?.contains("unknown key \"author\"") == true)
        #expect(reasons["bad/yaml.md"]?.contains("YAML") == true)
        #expect(reasons["bad/escape.md"]?.contains("inside the folder") == true)
        #expect(reasons["bad/missing.md"]?.contains("cannot be read") == true)
        #expect(reasons["bad/html.md"]?.contains("text/html") == true)
        #expect(reasons["zz-twice.md"]?.contains("also the number of") == true)
        #expect(reasons["bad/empty.md"]?.contains("no text") == true)
        #expect(report.rejected.count == 11)
        #expect(report.changed == 3)
        // The articles whose attachment was refused or missing are kept, without it, and reported.
        #expect(try await kb.store.allArticles().count == 5)
    }
}

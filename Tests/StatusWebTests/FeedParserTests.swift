import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusModel
import StatusWeb
import TestSupport
import Testing

/// The feeds as a real reader sees them: Python's feedparser (Debian's python3-feedparser,
/// installed by `scripts/install-deps test`) parses what the site served.
@Suite struct FeedParserTests {
    struct Parsed: Decodable {
        struct Entry: Decodable {
            let id: String
            let title: String
            let link: String
            let updated: String
            let content: String
            /// The content as a reader displays it: tags dropped, entities decoded.
            let contentText: String
        }

        let bozo: Int
        let bozoException: String
        let version: String
        let title: String
        let links: [String: String]
        let entries: [Entry]
    }

    /// Prints what feedparser understood of the feed in `argv[1]`, as JSON.
    static let script = #"""
        import feedparser, html.parser, json, sys

        class Text(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.parts = []
            def handle_data(self, data):
                self.parts.append(data)

        def text(markup):
            reader = Text()
            reader.feed(markup)
            reader.close()
            return "".join(reader.parts)

        d = feedparser.parse(sys.argv[1])
        entries = []
        for e in d.entries:
            content = "".join(c.get("value", "") for c in e.get("content", []))
            entries.append({"id": e.get("id", ""), "title": e.get("title", ""), "link": e.get("link", ""),
                            "updated": e.get("updated", ""), "content": content, "contentText": text(content)})
        print(json.dumps({"bozo": int(bool(d.bozo)), "bozoException": str(d.get("bozo_exception", "")),
                          "version": d.version, "title": d.feed.get("title", ""),
                          "links": {l.get("rel", ""): l.get("href", "") for l in d.feed.get("links", [])},
                          "entries": entries}))
        """#

    static func parse(_ feed: String) async throws -> Parsed {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-feed-\(UUID().uuidString).atom")
        try Data(feed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output, errors) = try await offloaded { () throws -> (Int32, Data, Data) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, file.path]
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            // Read before waiting: a full pipe would otherwise block the parser forever.
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            let errors = stderr.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, output, errors)
        }
        let message = String(decoding: errors, as: UTF8.self)
        try #require(status == 0, "feedparser failed (install python3-feedparser: scripts/install-deps test): \(message)")
        return try JSONDecoder().decode(Parsed.self, from: output)
    }

    @Test func siteFeedParsesWithItsEntriesAndTheirUpdates() async throws {
        let fixture = try await SiteFixture(baseURL: SiteFixture.feedBaseURL)
        try await fixture.seedFeedStory()
        try await fixture.test { client in
            let body = try await client.fetch("/feed.atom?lang=en").body
            let parsed = try await Self.parse(body)
            #expect(parsed.bozo == 0, "\(parsed.bozoException)")
            #expect(parsed.version == "atom10")
            #expect(parsed.title == "Incidents and maintenance · statusd")
            #expect(parsed.links["self"] == "https://status.example.com/feed.atom?lang=en")
            #expect(parsed.links["alternate"] == "https://status.example.com/?lang=en")
            #expect(parsed.entries.map(\.title) == [
                "Maintenance: Mise à jour de la base", "Erreurs d'authentification", "Lenteurs de connexion",
            ], "newest first: the upcoming window, then the incidents by last update")
            let incident = try #require(parsed.entries.first { $0.title == "Lenteurs de connexion" })
            #expect(incident.id == "tag:status.example.com,2026:incident/i1")
            #expect(incident.link == "https://status.example.com/products/loop?lang=en")
            #expect(incident.updated == "2026-11-18T12:00:00Z")
            #expect(incident.contentText.contains("Resolved"))
            #expect(incident.contentText.contains("Corrigé.") && incident.contentText.contains("Nous analysons."))
            #expect(incident.contentText.contains("Affected solutions: Cegid Loop"))
            let window = try #require(parsed.entries.first)
            #expect(window.contentText.contains("Scheduled") && window.contentText.contains("Coupure de 10 minutes."))
        }
    }

    @Test func productFeedParsesAndHostileTextStaysText() async throws {
        let fixture = try await SiteFixture()
        let start = fixture.noon(-1)
        try await fixture.store.save(Incident(
            id: "hostile", title: HostileTextTests.title, impact: .major, productSlugs: ["loop"], startedAt: start,
            updates: [.init(status: .investigating, message: HostileTextTests.message + "\u{07}", at: start)]))
        try await fixture.test { client in
            let body = try await client.fetch("/products/loop/feed.atom?lang=en").body
            let parsed = try await Self.parse(body)
            #expect(parsed.bozo == 0, "\(parsed.bozoException)")
            #expect(parsed.links["self"] == "http://127.0.0.1:8080/products/loop/feed.atom?lang=en")
            let entry = try #require(parsed.entries.first)
            #expect(parsed.entries.count == 1)
            // The reader shows the title and message exactly as typed, and runs nothing.
            #expect(entry.title == HostileTextTests.title)
            #expect(entry.contentText.contains(HostileTextTests.message))
            #expect(!entry.content.contains("<script") && !entry.content.contains("<b>"))
        }
    }
}

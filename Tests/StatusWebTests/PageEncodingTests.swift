import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import StatusModel
import StatusWeb
import Testing

/// The cached answers: gzip when the client accepts it, plain otherwise, an ETag for each, and
/// changes made by another process on the same database file seen within a second.
@Suite struct PageEncodingTests {
    static let cachedPaths = ["/", "/products/loop", "/api/v2/summary.json", "/feed.atom", "/products/loop/feed.atom"]

    static func headers(_ pairs: [(HTTPField.Name, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[name] = value }
        return fields
    }

    @Test(arguments: cachedPaths)
    func gzipAnswerDecompressesToTheSamePage(path: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let plain = try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == nil, "no Accept-Encoding: the page as is")
                #expect(response.headers[.vary] == "Accept-Encoding, Accept-Language, Cookie")
                return response.body
            }
            try await client.execute(uri: path, method: .get, headers: Self.headers([(.acceptEncoding, "gzip, deflate, br")])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.vary] == "Accept-Encoding, Accept-Language, Cookie")
                var body = response.body
                #expect(body.readableBytes < plain.readableBytes, "compressed")
                let inflated = try body.decompress(with: .gzip())
                #expect(inflated == plain, "the gzip answer is the same page")
            }
        }
    }

    @Test func identityAnswerWhenGzipIsNotAccepted() async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            for value in ["identity", "gzip;q=0", "br", "*;q=0", "deflate, gzip;q=0"] {
                try await client.execute(uri: "/", method: .get, headers: Self.headers([(.acceptEncoding, value)])) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentEncoding] == nil, "Accept-Encoding: \(value)")
                    #expect(String(buffer: response.body).contains("<html"))
                }
            }
            for value in ["GZIP", "x-gzip", "*", "br;q=1, gzip;q=0.5"] {
                try await client.execute(uri: "/", method: .get, headers: Self.headers([(.acceptEncoding, value)])) { response in
                    #expect(response.headers[.contentEncoding] == "gzip", "Accept-Encoding: \(value)")
                }
            }
        }
    }

    @Test(arguments: cachedPaths)
    func etagsDifferPerEncodingAndEachAnswers304(path: String) async throws {
        let fixture = try await SiteFixture()
        try await fixture.test { client in
            let gzip: (HTTPField.Name, String) = (.acceptEncoding, "gzip")
            let plainTag = try await client.execute(uri: path, method: .get) { try #require($0.headers[.eTag]) }
            let gzipTag = try await client.execute(uri: path, method: .get, headers: Self.headers([gzip])) { try #require($0.headers[.eTag]) }
            #expect(plainTag != gzipTag)
            try await client.execute(uri: path, method: .get, headers: Self.headers([(.ifNoneMatch, plainTag)])) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.eTag] == plainTag)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: path, method: .get, headers: Self.headers([gzip, (.ifNoneMatch, gzipTag)])) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.eTag] == gzipTag)
                #expect(response.headers[.vary] == "Accept-Encoding, Accept-Language, Cookie")
            }
            // A tag of the other representation is not a match: the client gets the bytes it asked for.
            try await client.execute(uri: path, method: .get, headers: Self.headers([gzip, (.ifNoneMatch, plainTag)])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
            }
            #expect(await fixture.site.renderCount() == 1, "both representations come from one render")
        }
    }

    @Test func aChangeByAnotherProcessShowsOnTheGridWithinASecond() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("statusd.sqlite").path
        // Two pools on one file, as `statusd serve` and a `statusd probe` worker have.
        let served = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]),
                                       calendar: SiteFixture.calendar)
        let worker = SQLiteStatusStore(database: try SQLiteDatabase.open(path: path, migrations: [StatusModelMigrations()]),
                                       calendar: SiteFixture.calendar)
        try await served.syncProducts([Product(slug: "loop", name: "Cegid Loop", family: "Finance", position: 1, monitoredSince: SiteFixture.longAgo)])
        let site = try await SiteDependencies(store: served, calendar: SiteFixture.calendar, historyDays: 25, baseURL: "http://127.0.0.1:8080",
                                              logger: Logger(label: "test"), clock: { SiteFixture.now })
        let today = "data-state=\"incident\" data-date=\"2026-11-20\""
        try await Application(router: buildRouter(site: site)).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(!String(buffer: response.body).contains(today))
            }
            try await client.execute(uri: "/", method: .get) { _ in }
            #expect(await site.renderCount() == 1, "nothing changed: served from the cache")

            try await worker.openEpisode(Episode(productSlug: "loop", condition: .outage, cause: .probe,
                                                 source: "loop/http", start: SiteFixture.now.addingTimeInterval(-600)))
            let written = ContinuousClock.now
            var shown = false
            while !shown, ContinuousClock.now - written < .seconds(1) {
                shown = try await client.execute(uri: "/", method: .get) { String(buffer: $0.body).contains(today) }
                if !shown { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(shown, "the other process's outage is on the grid within a second")
        }
    }
}

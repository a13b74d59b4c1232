import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Portal
import StatusModel
import StatusWeb
import Testing

/// A private product never reaches anyone outside the entitled tenant, on any surface that
/// shows products: the entitled tenant's users and key see it, another tenant's and anonymous
/// visitors do not, and a product for customers shows to any signed-in customer but not to
/// anonymous visitors. A page of a product the reader may not see is a 404 like an unknown slug's.
@Suite struct AudienceVisibilityTests {
    typealias Reader = AudienceWorld.Reader

    /// The answer to `path` and to the same path for an unknown product, as `reader` gets them.
    func sameAsUnknown(_ client: any TestClientProtocol, _ world: AudienceWorld, _ path: String, _ reader: Reader,
                       bearer: Bool = false) async throws -> Bool {
        let unknown = path.replacingOccurrences(of: "/\(AudienceWorld.privateSlug)", with: "/nope")
        let asked = try await kbGet(client, path, session: bearer ? nil : world.session(reader), bearer: bearer ? world.key(reader) : nil)
        let other = try await kbGet(client, unknown, session: bearer ? nil : world.session(reader), bearer: bearer ? world.key(reader) : nil)
        // The 404 page's sign-in link returns to the path asked: the only difference allowed.
        return asked.status == .notFound && other.status == .notFound
            && asked.body == other.body.replacingOccurrences(of: "/nope", with: "/\(AudienceWorld.privateSlug)")
    }

    @Test func theGridShowsThePrivateProductToTheEntitledTenantOnlyAndCustomersProductsToCustomers() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            for reader in Reader.allCases {
                let grid = try await kbGet(client, "/", session: world.session(reader)).body
                #expect(grid.contains("Cegid Loop"), "\(reader)")
                #expect(grid.contains(AudienceWorld.mixedIncidentTitle), "an incident on a product they see shows (\(reader))")
                #expect(grid.mentionsPrivateProduct == (reader == .tenantA), "\(reader)")
                #expect(grid.contains(AudienceWorld.customersName) == (reader != .anonymous), "\(reader)")
                #expect(!grid.contains("id=\"my-services\""), "only the administrator has the service as theirs (\(reader))")
            }
            let staff = try await kbGet(client, "/", session: world.fixture.operatorLogin.session).body
            #expect(staff.contains(AudienceWorld.privateName) && staff.contains(AudienceWorld.customersName))
        }
    }

    @Test func aUserWithTheServiceSeesMyServicesFirstThenTheOtherProductsUnderTheirFamilies() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            let grid = try await kbGet(client, "/", session: world.adminA.session).body
            let mine = try #require(grid.range(of: "id=\"my-services\""))
            let row = try #require(grid.range(of: "data-product=\"\(AudienceWorld.privateSlug)\""))
            let finance = try #require(grid.range(of: "<span class=\"family-label\">Finance</span>"))
            #expect(mine.lowerBound < row.lowerBound && row.lowerBound < finance.lowerBound, "Mes services comes first, with its row")
            #expect(grid.contains("<span class=\"family-label\">My services</span>"))
            #expect(grid.occurrences(of: "data-product=\"\(AudienceWorld.privateSlug)\"") == 1, "its product is not repeated in its family")
            #expect(grid.contains("data-product=\"loop\"") && grid.contains("data-product=\"\(AudienceWorld.customersSlug)\""))
            let french = try await client.execute(uri: "/?lang=fr", method: .get, headers: pageHeaders(session: world.adminA.session)) {
                String(buffer: $0.body)
            }
            #expect(french.contains("<span class=\"family-label\">Mes services</span>"))
        }
    }

    @Test func productPagesChartsBadgesAndFeedsOfThePrivateProductAre404OutsideTheTenant() async throws {
        let world = try await AudienceWorld()
        let slug = AudienceWorld.privateSlug
        let paths = ["/products/\(slug)", "/products/\(slug)/response-times.svg", "/products/\(slug)/badge.svg",
                     "/products/\(slug)/uptime.svg", "/products/\(slug)/feed.atom"]
        try await world.test { client in
            for path in paths {
                for reader in [Reader.anonymous, .tenantB] {
                    #expect(try await sameAsUnknown(client, world, path, reader), "\(path) for \(reader)")
                }
                let entitled = try await kbGet(client, path, session: world.memberA.session)
                #expect(entitled.status == .ok, "\(path)")
                if path.hasSuffix("badge.svg") { #expect(entitled.body.contains(AudienceWorld.privateName)) }
                if !path.hasSuffix(".atom"), !path.hasSuffix("/\(slug)") {
                    #expect(entitled.headers[.cacheControl]?.hasPrefix("private") == true, "no shared cache keeps \(path)")
                }
            }
            let page = try await kbGet(client, "/products/\(slug)", session: world.memberA.session).body
            #expect(page.contains(AudienceWorld.privateIncidentTitle))
            // A customers' product: any signed-in customer, not anonymous visitors.
            let desk = "/products/\(AudienceWorld.customersSlug)"
            #expect(try await kbGet(client, desk).status == .notFound)
            #expect(try await kbGet(client, desk, session: world.memberB.session).status == .ok)
            #expect(try await kbGet(client, desk + "/badge.svg").status == .notFound)
            #expect(try await kbGet(client, desk + "/badge.svg", session: world.memberB.session).status == .ok)
            // A public product's page names the incident it shares with the private one, without it.
            for reader in [Reader.anonymous, .tenantB] {
                let loop = try await kbGet(client, "/products/loop", session: world.session(reader)).body
                #expect(loop.contains(AudienceWorld.mixedIncidentTitle) && !loop.mentionsPrivateProduct, "\(reader)")
            }
        }
    }

    @Test func theFeedsCarryNewsOfThePrivateProductToTheEntitledTenantOnly() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            for reader in Reader.allCases {
                for path in ["/feed.atom", "/products/loop/feed.atom"] {
                    let feed = try await kbGet(client, path, session: world.session(reader))
                    #expect(feed.status == .ok)
                    #expect(feed.body.contains(AudienceWorld.mixedIncidentTitle), "\(path) \(reader)")
                    #expect(feed.body.mentionsPrivateProduct == (reader == .tenantA), "\(path) \(reader)")
                }
            }
            let own = try await kbGet(client, "/products/\(AudienceWorld.privateSlug)/feed.atom", session: world.adminA.session).body
            #expect(own.contains(AudienceWorld.privateIncidentTitle) && own.contains(AudienceWorld.privateWindowTitle))
        }
    }

    @Test func everyStatuspageEndpointKeepsToTheReadersProducts() async throws {
        let world = try await AudienceWorld()
        let paths = ["summary", "status", "components", "incidents", "incidents/unresolved", "scheduled-maintenances",
                     "scheduled-maintenances/upcoming", "scheduled-maintenances/active"].map { "/api/v2/\($0).json" }
        try await world.test { client in
            for path in paths {
                for reader in Reader.allCases {
                    let answer = try await kbGet(client, path, session: world.session(reader))
                    #expect(answer.status == .ok)
                    #expect(!answer.body.mentionsPrivateProduct || reader == .tenantA, "\(path) \(reader)")
                    let listsComponents = path.contains("summary") || path.contains("components")
                    #expect(answer.body.contains(AudienceWorld.customersName) == (listsComponents && reader != .anonymous), "\(path) \(reader)")
                }
            }
            let summary = try await kbGet(client, "/api/v2/summary.json", session: world.memberA.session).body
            #expect(summary.contains(AudienceWorld.privateName) && summary.contains(AudienceWorld.privateIncidentTitle)
                    && summary.contains(AudienceWorld.privateWindowTitle))
            let incidents = try await kbGet(client, "/api/v2/incidents.json").body
            #expect(incidents.contains(AudienceWorld.mixedIncidentTitle), "shown with its public product")
            // The public answer is still open to any site; a signed-in reader's is theirs.
            #expect(try await kbGet(client, "/api/v2/components.json").headers[.accessControlAllowOrigin] == "*")
            let own = try await kbGet(client, "/api/v2/components.json", session: world.memberA.session).headers
            #expect(own[.accessControlAllowOrigin] == nil && own[.cacheControl]?.hasPrefix("private") == true)
        }
    }

    @Test func apiV1ReadsKeepToTheKeysTenant() async throws {
        let world = try await AudienceWorld()
        let slug = AudienceWorld.privateSlug
        let lists = ["/api/v1/products", "/api/v1/days", "/api/v1/incidents", "/api/v1/maintenance"]
        let items = ["/api/v1/products/\(slug)", "/api/v1/products/\(slug)/days",
                     "/api/v1/incidents/\(world.privateOnlyIncident.id)", "/api/v1/maintenance/\(world.privateWindow.id)"]
        try await world.test { client in
            for reader in Reader.allCases {
                let bearer = world.key(reader)
                for path in lists {
                    let answer = try await kbGet(client, path, bearer: bearer)
                    #expect(answer.status == .ok)
                    #expect(answer.body.mentionsPrivateProduct == (reader == .tenantA), "\(path) \(reader)")
                }
                for path in items {
                    let answer = try await kbGet(client, path, bearer: bearer)
                    if reader == .tenantA {
                        #expect(answer.status == .ok, "\(path)")
                    } else {
                        // As unknown as a wrong slug or id.
                        let unknown = try await kbGet(client, path.replacingOccurrences(of: "/\(slug)", with: "/nope")
                            .replacingOccurrences(of: world.privateOnlyIncident.id, with: "nope").replacingOccurrences(of: world.privateWindow.id, with: "nope"),
                                                      bearer: bearer)
                        #expect(answer.status == .notFound && answer.body == unknown.body, "\(path) \(reader)")
                    }
                }
                // An incident on a public and the private product shows with the public one only.
                let mixed = try await kbGet(client, "/api/v1/incidents/\(world.mixedIncident.id)", bearer: bearer)
                #expect(mixed.status == .ok && mixed.body.contains("\"loop\""))
                #expect(mixed.body.contains("\"\(slug)\"") == (reader == .tenantA), "\(reader)")
                let desk = try await kbGet(client, "/api/v1/products/\(AudienceWorld.customersSlug)", bearer: bearer)
                #expect(desk.status == (reader == .anonymous ? .notFound : .ok), "\(reader)")
            }
        }
    }

    @Test func theKnowledgeBasesProductFilterAndNamesKeepToTheReader() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            for reader in Reader.allCases {
                let search = try await kbGet(client, "/kb?q=exports", session: world.session(reader)).body
                #expect(search.contains("data-number=\"\(world.article)\""), "the article is everyone's (\(reader))")
                #expect(search.contains(AudienceWorld.privateName) == (reader == .tenantA), "\(reader)")
                let article = try await kbGet(client, "/kb/\(world.article)", session: world.session(reader)).body
                #expect(article.contains("Cegid Loop"))
                #expect(article.contains(AudienceWorld.privateName) == (reader == .tenantA), "\(reader)")
            }
        }
    }

    @Test func theArticlesAPIAndTheHomeBlocksNameOnlyTheReadersProducts() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            for reader in Reader.allCases {
                let entitled = reader == .tenantA
                for path in ["/api/v1/kb/articles?q=exports", "/api/v1/kb/articles/\(world.article)"] {
                    let answer = try await kbGet(client, path, bearer: world.key(reader))
                    #expect(answer.status == .ok, "\(path) \(reader)")
                    #expect(answer.body.contains("\"loop\""), "\(path) \(reader)")
                    #expect(answer.body.mentionsPrivateProduct == entitled, "\(path) \(reader)")
                }
                if let session = world.session(reader), !entitled {
                    let home = try await kbGet(client, "/home", session: session)
                    #expect(home.status == .ok && !home.body.mentionsPrivateProduct, "/home \(reader)")
                }
            }
        }
    }

    @Test func theTicketFormsOfferTheProductsTheCustomerSees() async throws {
        let world = try await AudienceWorld()
        try await world.test { client in
            for (session, entitled) in [(world.memberB.session, false), (world.memberA.session, true)] {
                let form = try await kbGet(client, "/help/new/incident", session: session)
                #expect(form.status == .ok)
                let select = form.body.components(separatedBy: "id=\"product\"").dropFirst().first?
                    .components(separatedBy: "</select>").first ?? ""
                #expect(select.contains("Cegid Loop") && select.contains(AudienceWorld.customersName))
                #expect(select.contains(AudienceWorld.privateName) == entitled)
                let list = try await kbGet(client, "/requests?product=\(AudienceWorld.privateSlug)", session: session).body
                #expect(list.contains(AudienceWorld.privateName) == entitled)
            }
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StatusWeb
import Testing
import TestSupport
import Yams

/// The OpenAPI document served at `/api/v1/openapi.yaml` is valid OpenAPI 3.1 and describes
/// exactly the `/api/v1` routes the router has.
@Suite struct OpenAPIDocumentTests {
    /// Documented for the subscription store being built in Notify; wired when it lands.
    static let documentedButNotWired: Set<String> = []

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func servedDocument(_ world: APIWorld) async throws -> String {
        let text = SendableBox()
        try await world.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            text.set(String(buffer: response.body))
        }
        return text.value
    }

    @Test func everyAPIv1RouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let world = try await APIWorld()
        let routes = Set(buildRouter(site: world.site).routes
            .filter { $0.path.description.hasPrefix("/api/v1/") }
            .map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        #expect(routes.count >= 19, "\(routes.sorted())")

        let document = try #require(try Yams.load(yaml: try await Self.servedDocument(world)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: Any])
        let methods: Set<String> = ["get", "post", "put", "patch", "delete", "head", "options"]
        var documented = Set<String>()
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where methods.contains(method) { documented.insert("\(method) \(path)") }
        }
        #expect(routes.subtracting(documented).sorted() == [], "routes missing from openapi.yaml")
        #expect(documented.subtracting(routes).subtracting(Self.documentedButNotWired).sorted() == [], "documented routes the router lacks")
        #expect(Self.documentedButNotWired.isSubset(of: documented))
        #expect(routes.isDisjoint(with: Self.documentedButNotWired), "wired now: take them off documentedButNotWired")
    }

    @Test func everyWriteRouteDeclaresTheStaffBearerAndItsErrors() async throws {
        let world = try await APIWorld()
        let document = try #require(try Yams.load(yaml: try await Self.servedDocument(world)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, item) in paths where path != "/api/v1/push/{token}" {
            for method in ["post", "patch", "delete"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                let security = operation["security"] as? [[String: Any]] ?? []
                // Writes need a key: a staff key, or a tenant's for what its customers may write (tickets).
                let key = path.hasPrefix("/api/v1/tickets") ? "tenantKey" : "staffKey"
                #expect(security.contains { $0[key] != nil }, "\(method) \(path) declares the \(key)")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(responses["401"] != nil && responses["403"] != nil, "\(method) \(path) documents 401 and 403")
            }
        }
    }

    @Test func theServedDocumentPassesOpenAPISpecValidator() async throws {
        let validator = Self.packageRoot.appendingPathComponent(".build/pyvenv/bin/openapi-spec-validator")
        guard FileManager.default.isExecutableFile(atPath: validator.path) else {
            Issue.record("openapi-spec-validator is missing at \(validator.path): run scripts/install-deps test")
            return
        }
        let world = try await APIWorld()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-openapi-\(UUID().uuidString).yaml")
        try await Self.servedDocument(world).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try await offloaded { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = validator
            process.arguments = ["--schema", "3.1", file.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("OK"), "\(output)")
    }
}

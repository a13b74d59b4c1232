import Foundation
import StatusModel
import Testing

/// The `sign_in_providers:` list: OpenID Connect providers, read and checked at start.
@Suite("Config: sign-in providers")
struct SignInProvidersConfigTests {
    static let good = """
        base_url: https://status.example.com
        sign_in_providers:
          - id: google
            name: Google
            issuer: https://accounts.google.com
            client_id: 1234.apps.googleusercontent.com
            client_secret: s3cret
          - id: keycloak
            name: Keycloak
            issuer: http://127.0.0.1:8089/realms/test
            client_id: statusd
            client_secret_env: STATUSD_KEYCLOAK_SECRET
        """

    private func parseError(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try StatusConfig.parse(yaml: yaml, file: "statusd.yaml") }
    }

    private func provider(_ lines: String) -> String {
        "sign_in_providers:\n" + lines.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n")
    }

    private func withConfigFile<T>(_ yaml: String, _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("statusd.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try body(path)
    }

    @Test("Providers give their id, label, issuer and client; secrets come from the file or the environment")
    func goodProviders() throws {
        let config = try withConfigFile(Self.good) { path in
            try StatusConfig.load(file: path, environment: ["STATUSD_KEYCLOAK_SECRET": "from-env"])
        }
        #expect(config.signInProviders.map(\.id) == ["google", "keycloak"])
        let google = try #require(config.signInProviders.first)
        #expect(google.name == "Google")
        #expect(google.issuer == "https://accounts.google.com")
        #expect(google.clientID == "1234.apps.googleusercontent.com")
        #expect(google.clientSecret == "s3cret")
        #expect(google.clientSecretVariable == nil)
        #expect(config.signInProviders[1].clientSecret == "from-env")
        #expect(config.signInProviders[1].clientSecretVariable == "STATUSD_KEYCLOAK_SECRET")
    }

    @Test("No providers unless configured")
    func noneByDefault() throws {
        #expect(try StatusConfig.parse(yaml: "", file: "statusd.yaml").signInProviders.isEmpty)
    }

    @Test("The shipped config has none, and its commented example reads once uncommented")
    func shippedExample() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../config/statusd.yaml").standardized.path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try StatusConfig.parse(yaml: text, file: path).signInProviders.isEmpty)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "# sign_in_providers:") else {
            Issue.record("config/statusd.yaml has no commented sign_in_providers example")
            return
        }
        let example = lines[start...].prefix { $0.hasPrefix("#") }.map { String($0.dropFirst(2)) }.joined(separator: "\n")
        let config = try withConfigFile(example) { file in
            try StatusConfig.load(file: file, environment: ["STATUSD_GOOGLE_SECRET": "a", "STATUSD_MICROSOFT_SECRET": "b"])
        }
        #expect(config.signInProviders.map(\.id) == ["google", "microsoft"])
    }

    @Test("A missing environment variable names the file, line and key")
    func missingSecretVariable() throws {
        let error = try withConfigFile(Self.good) { path in
            #expect(throws: ConfigError.self) { try StatusConfig.load(file: path, environment: [:]) }
        }
        #expect(error?.key == "sign_in_providers[1].client_secret_env")
        #expect(error?.line == 12)
        #expect(error?.message == "the environment variable STATUSD_KEYCLOAK_SECRET is not set")
    }

    @Test("A missing key is named with its path", arguments: ["id", "name", "issuer", "client_id"])
    func missingKey(key: String) {
        let fields = ["id: google", "name: Google", "issuer: https://accounts.google.com", "client_id: abc", "client_secret: x"]
            .filter { !$0.hasPrefix("\(key):") }
        let yaml = provider("- " + fields.joined(separator: "\n  "))
        let error = parseError(yaml)
        #expect(error?.key == "sign_in_providers[0].\(key)")
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("missing key") == true)
    }

    @Test("A secret is required, from the file or the environment, not both")
    func secretRules() {
        let none = parseError(provider("""
            - id: google
              name: Google
              issuer: https://accounts.google.com
              client_id: abc
            """))
        #expect(none?.key == "sign_in_providers[0].client_secret")
        let both = parseError(provider("""
            - id: google
              name: Google
              issuer: https://accounts.google.com
              client_id: abc
              client_secret: x
              client_secret_env: GOOGLE_SECRET
            """))
        #expect(both?.key == "sign_in_providers[0].client_secret_env")
        #expect(both?.line == 7)
        let badName = parseError(provider("""
            - id: google
              name: Google
              issuer: https://accounts.google.com
              client_id: abc
              client_secret_env: google secret
            """))
        #expect(badName?.message.hasPrefix("expected an environment variable name") == true)
    }

    @Test("An issuer must be https, or http on loopback only", arguments: [
        "accounts.google.com", "ftp://accounts.google.com", "http://accounts.google.com",
        "http://10.0.0.5:8080/realms/x", "https://accounts.google.com?x=1", "https://",
    ])
    func badIssuer(issuer: String) {
        let error = parseError(provider("""
            - id: google
              name: Google
              issuer: "\(issuer)"
              client_id: abc
              client_secret: x
            """))
        #expect(error?.key == "sign_in_providers[0].issuer")
        #expect(error?.line == 4)
        #expect(error?.file == "statusd.yaml")
    }

    @Test("Loopback issuers over http are accepted, for tests", arguments: ["http://127.0.0.1:9400", "http://localhost:9400/realms/t"])
    func loopbackIssuer(issuer: String) throws {
        let config = try StatusConfig.parse(yaml: provider("""
            - id: mock
              name: Mock
              issuer: \(issuer)
              client_id: abc
              client_secret: x
            """), file: "statusd.yaml")
        #expect(config.signInProviders.first?.issuer == issuer)
    }

    @Test("An id is a slug, used once")
    func idRules() {
        let capital = parseError(provider("""
            - id: Google
              name: Google
              issuer: https://accounts.google.com
              client_id: abc
              client_secret: x
            """))
        #expect(capital?.key == "sign_in_providers[0].id")
        #expect(capital?.message.contains("lower-case") == true)
        let twice = parseError(provider("""
            - id: google
              name: Google
              issuer: https://accounts.google.com
              client_id: abc
              client_secret: x
            - id: google
              name: Google bis
              issuer: https://accounts.google.com
              client_id: def
              client_secret: y
            """))
        #expect(twice?.key == "sign_in_providers[1].id")
        #expect(twice?.line == 7)
        #expect(twice?.message == "\"google\" is already used by another provider")
    }

    @Test("An unknown key is refused with the known ones, and the list must be a list")
    func unknownKeyAndShape() {
        let typo = parseError(provider("""
            - id: google
              name: Google
              issuer: https://accounts.google.com
              clientid: abc
            """))
        #expect(typo?.key == "sign_in_providers[0].clientid")
        #expect(typo?.message.hasPrefix("unknown key (known keys: client_id, client_secret") == true)
        let notAList = parseError("sign_in_providers:\n  id: google\n")
        #expect(notAList?.key == "sign_in_providers")
        #expect(notAList?.message == "expected a list")
    }
}

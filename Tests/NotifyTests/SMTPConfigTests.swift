import Foundation
import StatusModel
import Testing

/// The `smtp:` section of statusd.yaml and the environment variables that override it.
@Suite struct SMTPConfigTests {
    func parseError(_ yaml: String) -> ConfigError? {
        #expect(throws: ConfigError.self) { try StatusConfig.parse(yaml: yaml, file: "statusd.yaml") }
    }

    @Test func aFullSection() throws {
        let config = try StatusConfig.parse(yaml: """
            smtp:
              url: smtp://mail.example.com:587
              from: Statusd <status@example.com>
              username: statusd
              password: s3cret
              require_tls: true
              timeout: 20s
            """, file: "statusd.yaml")
        let smtp = try #require(config.smtp)
        #expect(smtp.url == "smtp://mail.example.com:587")
        #expect(smtp.from == "Statusd <status@example.com>")
        #expect(smtp.username == "statusd")
        #expect(smtp.password == "s3cret")
        #expect(smtp.requireTLS)
        #expect(smtp.timeout == .seconds(20))
    }

    @Test func withoutASectionNoMailIsSentAndRequireTLSDefaultsToFalse() throws {
        #expect(try StatusConfig.parse(yaml: "listen: 127.0.0.1:8080", file: "statusd.yaml").smtp == nil)
        let smtp = try StatusConfig.parse(yaml: "smtp:\n  url: smtps://mail.example.com\n  from: status@example.com\n", file: "statusd.yaml").smtp
        #expect(smtp?.requireTLS == false)
        #expect(smtp?.username == nil)
    }

    @Test("Errors name the file, the line and the key", arguments: [
        ("smtp:\n  url: http://mail.example.com\n  from: status@example.com\n", 2, "smtp.url", "smtp:// or smtps://"),
        ("smtp:\n  url: smtp://\n  from: status@example.com\n", 2, "smtp.url", "with a host"),
        ("smtp:\n  url: smtp://mail.example.com\n  from: not-an-address\n", 3, "smtp.from", "email address"),
        ("smtp:\n  url: smtp://mail.example.com\n  from: status@example.com\n  require_tls: maybe\n", 4, "smtp.require_tls", "true or false"),
        ("smtp:\n  url: smtp://mail.example.com\n  from: status@example.com\n  password: x\n", 4, "smtp.password", "needs a username"),
        ("smtp:\n  url: smtp://mail.example.com\n  from: status@example.com\n  tls: on\n", 4, "smtp.tls", "unknown key"),
        ("smtp:\n  from: status@example.com\n", 2, "smtp.url", "missing key"),
        ("history_days: 25\nsmtp:\n  url: smtp://mail.example.com\n", 3, "smtp.from", "missing key"),
    ] as [(String, Int, String, String)])
    func errors(yaml: String, line: Int, key: String, words: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.file == "statusd.yaml")
        #expect(error.line == line, "\(error)")
        #expect(error.key == key)
        #expect(error.message.contains(words), "\(error.message)")
    }

    @Test func aBadURLInAnErrorDoesNotShowItsPassword() throws {
        let error = try #require(parseError("smtp:\n  url: ftp://statusd:s3cret@mail.example.com\n  from: status@example.com\n"))
        #expect(!error.description.contains("s3cret"))
    }

    /// Loads `yaml` from a file, as statusd does, with `environment`.
    func load(_ yaml: String, environment: [String: String]) throws -> StatusConfig {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try StatusConfig.load(file: file.path, environment: environment)
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let config = try load("smtp:\n  url: smtp://mail.example.com\n  from: status@example.com\n  username: u\n",
                              environment: ["STATUSD_SMTP_URL": "smtps://relay.example.net", "STATUSD_SMTP_FROM": "Ops <ops@example.net>"])
        #expect(config.smtp?.url == "smtps://relay.example.net")
        #expect(config.smtp?.from == "Ops <ops@example.net>")
        #expect(config.smtp?.username == "u", "what the environment does not say stays")
    }

    @Test func theEnvironmentAloneConfiguresMail() throws {
        let config = try load("listen: 127.0.0.1:0\n", environment: ["STATUSD_SMTP_URL": "smtp://127.0.0.1:2525",
                                                                     "STATUSD_SMTP_FROM": "status@example.com"])
        #expect(config.smtp?.url == "smtp://127.0.0.1:2525")
        #expect(config.smtp?.from == "status@example.com")
        #expect(throws: ConfigError(file: "environment", line: nil, key: "STATUSD_SMTP_FROM",
                                    message: "needed with STATUSD_SMTP_URL when the file has no smtp section")) {
            try load("listen: 127.0.0.1:0\n", environment: ["STATUSD_SMTP_URL": "smtp://127.0.0.1:2525"])
        }
        let error = try #require(#expect(throws: ConfigError.self) {
            try load("listen: 127.0.0.1:0\n", environment: ["STATUSD_SMTP_URL": "gopher://x", "STATUSD_SMTP_FROM": "status@example.com"])
        })
        #expect(error.key == "STATUSD_SMTP_URL")
        #expect(error.file == "environment")
    }
}

/// The `webhooks:` section of statusd.yaml.
@Suite struct WebhooksConfigTests {
    @Test func privateTargetsAreRefusedUnlessTheConfigAllowsThem() throws {
        #expect(try StatusConfig.parse(yaml: "listen: 127.0.0.1:8080", file: "statusd.yaml").webhooks.allowPrivateTargets == false)
        let config = try StatusConfig.parse(yaml: """
            webhooks:
              allow_private_targets: true
              allowed_targets:
                - hooks.internal:8443
                - "[fd00::5]:443"
            """, file: "statusd.yaml")
        #expect(config.webhooks.allowPrivateTargets)
        #expect(config.webhooks.allowedTargets == ["hooks.internal:8443", "[fd00::5]:443"])
    }

    @Test("Errors name the file, the line and the key", arguments: [
        ("webhooks:\n  allow_private_targets: maybe\n", 2, "webhooks.allow_private_targets", "true or false"),
        ("webhooks:\n  allowed_targets: [hooks.internal]\n", 2, "webhooks.allowed_targets[0]", "host:port"),
        ("webhooks:\n  allow_private: true\n", 2, "webhooks.allow_private", "unknown key"),
    ])
    func errors(yaml: String, line: Int, key: String, words: String) throws {
        let error = try #require(#expect(throws: ConfigError.self) { try StatusConfig.parse(yaml: yaml, file: "statusd.yaml") })
        #expect(error.file == "statusd.yaml")
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message.contains(words), "\(error.message)")
    }
}

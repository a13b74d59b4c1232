// swift-tools-version:6.1
import PackageDescription

/// Settings every target of ours shares: Swift 6 mode with the upcoming features Hummingbird uses.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "statusd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "statusd", targets: ["statusd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Verifies OpenID Connect ID tokens against a provider's JWKS (sign-in with Google, Microsoft...).
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        // Markdown of knowledge-base articles, rendered to HTML that StatusWeb then makes safe.
        .package(url: "https://github.com/JohnSundell/Ink.git", exact: "0.6.0"),
        // multipart/form-data parsed as it arrives: uploads stream to disk, never whole in memory.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // gzip for the cached pages, compressed once per change.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // The PostgreSQL store, for deployments of several nodes on one database.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Curl", dependencies: ["CCurl"], swiftSettings: strictSettings),
        .target(
            name: "StatusModel",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Probes",
            dependencies: [
                "StatusModel", "Curl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Notify",
            dependencies: [
                "StatusModel", "Curl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // HMAC-SHA256 signatures of webhooks.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Portal",
            dependencies: [
                "StatusModel", "Notify", "Curl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                // bcrypt runs on NIO's thread pool, off the callers' executors (no HTTP server code).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                // The front matter of imported knowledge-base articles.
                .product(name: "Yams", package: "Yams"),
                // The follower that proposes an incident's resolution on its linked tickets.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StatusWeb",
            dependencies: [
                "StatusModel", "Portal", "Notify",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                // Uploads are written to disk on NIO's thread pool, off the executors.
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Templates"), .copy("Public"), .copy("Messages"), .copy("API/V1/openapi.yaml")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "statusd",
            dependencies: [
                "StatusModel", "StatusWeb", "Probes", "Notify", "Portal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "Curl",
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks/probes.sh drives it: probe throughput and scheduler lag, through the real worker and store.
        .executableTarget(
            name: "probe-bench",
            dependencies: [
                "Probes", "Curl", "StatusModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ProbeBench",
            swiftSettings: strictSettings
        ),
        // Benchmarks/mail.sh drives it: 10,000 mails through the real outbox, DeliveryService and SMTPSender.
        .executableTarget(
            name: "mail-bench",
            dependencies: [
                "Notify", "Curl", "StatusModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/MailBench",
            swiftSettings: strictSettings
        ),
        // Benchmarks/kb.sh drives it: 100,000 articles to import, then the store's search timed over a query mix.
        .executableTarget(
            name: "kb-bench",
            dependencies: [
                "Portal", "StatusModel", "Notify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Its `sql` mode times statements on the benchmark's database.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/KBBench",
            swiftSettings: strictSettings
        ),
        // Benchmarks/tickets.sh drives it: the tenants and a million tickets to import, then the store's ticket queries timed.
        .executableTarget(
            name: "tickets-bench",
            dependencies: [
                "Portal", "StatusModel", "Notify",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/TicketsBench",
            swiftSettings: strictSettings
        ),
        // GRDB only to damage rows by hand in the tests that prove a bad row fails a read, not the process.
        .testTarget(
            name: "StatusModelTests",
            dependencies: ["StatusModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "Portal", "StatusModel", "Notify", "Curl", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
                // The tickets' incident follower takes a logger.
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ProbesTests",
            dependencies: ["Probes", "Curl", "StatusModel", "TestSupport"],
            swiftSettings: strictSettings
        ),
        // Real servers the tests run on loopback (misbehaving HTTP, TCP and TLS servers; SMTP; an OpenID Connect provider).
        .target(
            name: "TestSupport", path: "Tests/TestSupport", exclude: ["fault_servers.py", "smtp_server.py", "webhook_server.py", "oidc_provider.py"],
            swiftSettings: strictSettings
        ),
        // Mail composition, the outbox, and delivery against a real SMTP server on loopback.
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "Curl", "StatusModel", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The contract suite writes a change and its mail in one PostgreSQL transaction.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StatusWebTests",
            dependencies: [
                "StatusModel", "StatusWeb", "Portal", "Notify", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // Inflates the gzip answers of the page cache.
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // Drives the built `statusd` binary: command line, signals, and pages in a real browser.
        .testTarget(
            name: "EndToEndTests",
            // Portal: the tickets walk and the import tests read the tickets the binary wrote.
            dependencies: ["statusd", "StatusModel", "Notify", "Portal", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)

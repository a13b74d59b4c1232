import Foundation
@testable import Notify
import Testing

/// The address checks a webhook URL passes when a subscriber registers it and at each delivery.
@Suite struct WebhookTargetTests {
    /// A policy whose DNS is the test's table, so names can point anywhere without a network.
    func policy(_ table: [String: [String]], allowPrivateTargets: Bool = false) -> WebhookTargetPolicy {
        var policy = WebhookTargetPolicy(allowPrivateTargets: allowPrivateTargets)
        policy.resolver = { host throws(WebhookTargetError) in
            guard let addresses = table[host] else { throw WebhookTargetError(.unresolvable, "no such host \(host)") }
            return addresses.compactMap { IPAddress(literal: $0) }
        }
        return policy
    }

    func refusal(_ url: String, _ policy: WebhookTargetPolicy = WebhookTargetPolicy()) async -> WebhookTargetError? {
        do throws(WebhookTargetError) {
            _ = try await WebhookTarget.check(url, policy: policy)
            return nil
        } catch {
            return error
        }
    }

    @Test("Literal addresses that are not public are refused", arguments: [
        ("http://127.0.0.1/hook", "loopback_address"),
        ("http://127.8.9.10:8080/hook", "loopback_address"),
        ("http://[::1]/hook", "loopback_address"),
        ("http://10.1.2.3/hook", "private_address"),
        ("http://192.168.0.1/hook", "private_address"),
        ("http://172.16.5.4/hook", "private_address"),
        ("http://[fd12:3456::1]/hook", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "link_local_address"),
        ("http://[fe80::1]/hook", "link_local_address"),
        ("http://0.0.0.0/hook", "unspecified_address"),
        ("http://[::]/hook", "unspecified_address"),
        ("http://100.64.0.1/hook", "shared_address"),
        ("http://224.0.0.1/hook", "multicast_address"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback_address"),
        ("http://[::ffff:10.0.0.1]/hook", "private_address"),
    ])
    func literalNonPublicAddresses(url: String, code: String) async throws {
        let error = try #require(await refusal(url))
        #expect(error.code.description == code)
        #expect(error.message.hasPrefix("the address is "), "a sentence: \(error.message)")
    }

    @Test func localhostIsRefusedThroughTheSystemsResolver() async throws {
        let error = try #require(await refusal("http://localhost:8080/hook"))
        #expect(error.code == .loopbackAddress)
        #expect(error.message.contains("resolves to a loopback address"), "\(error.message)")
    }

    @Test func aHostNameResolvingToAPrivateAddressIsRefusedWithTheAddressInTheSentence() async throws {
        let error = try #require(await refusal("https://hooks.example.com/statusd", policy(["hooks.example.com": ["10.0.0.5"]])))
        #expect(error.code == .privateAddress)
        #expect(error.message.contains("the address resolves to a private address (10.0.0.5)"), "\(error.message)")
    }

    @Test func oneLoopbackAddressAmongPublicOnesIsEnoughToRefuse() async throws {
        let table = ["rebind.example.com": ["93.184.216.34", "127.0.0.1"]]
        #expect(await refusal("https://rebind.example.com/", policy(table))?.code == .loopbackAddress)
    }

    @Test func aPublicNameIsPinnedToEveryAddressItWasCheckedOn() async throws {
        let table = ["hooks.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]]
        let target = try await WebhookTarget.check("https://Hooks.Example.com/statusd", policy: policy(table))
        #expect(target.host == "hooks.example.com")
        #expect(target.port == 443)
        #expect(target.addresses == ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
        #expect(target.resolveEntries == ["hooks.example.com:443:93.184.216.34,[2606:2800:220:1:248:1893:25c8:1946]"])
    }

    @Test("Addresses that are not http(s) URLs, or hide their host, are refused", arguments: [
        ("ftp://hooks.example.com/x", "unsupported_scheme"),
        ("file:///etc/passwd", "unsupported_scheme"),
        ("gopher://127.0.0.1:25/", "unsupported_scheme"),
        ("hooks.example.com/statusd", "invalid_url"),
        ("http:///statusd", "invalid_url"),
        ("http://2130706433/hook", "invalid_url"),
        ("http://0x7f.1/hook", "invalid_url"),
        ("http://127.1/hook", "invalid_url"),
    ])
    func notAUsableURL(url: String, code: String) async throws {
        #expect(await refusal(url, policy([:]))?.code.description == code)
    }

    @Test func allowPrivateTargetsLetsLoopbackThrough() async throws {
        let target = try await WebhookTarget.check("http://127.0.0.1:9/hook", policy: WebhookTargetPolicy(allowPrivateTargets: true))
        #expect(target.addresses == ["127.0.0.1"])
        _ = try await WebhookTarget.check("http://localhost:9/hook", policy: WebhookTargetPolicy(allowPrivateTargets: true))
    }

    @Test func anAllowedTargetIsLetThroughOnItsExactPortOnly() async throws {
        let policy = WebhookTargetPolicy(allowedTargets: ["127.0.0.1:8443", "[::1]:8443"])
        _ = try await WebhookTarget.check("https://127.0.0.1:8443/hook", policy: policy)
        _ = try await WebhookTarget.check("https://[::1]:8443/hook", policy: policy)
        #expect(await refusal("https://127.0.0.1:8444/hook", policy)?.code == .loopbackAddress)
        #expect(await refusal("https://127.0.0.2:8443/hook", policy)?.code == .loopbackAddress)
    }

    @Test func anUnknownHostIsATemporaryRefusal() async throws {
        let error = try #require(await refusal("https://nowhere.example.com/", policy([:])))
        #expect(error.code == .unresolvable)
        #expect(error.isTemporary)
    }
}

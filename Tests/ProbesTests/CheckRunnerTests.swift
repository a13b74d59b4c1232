import Curl
import Foundation
import Probes
import StatusModel
import TestSupport
import Testing

/// Each check kind against real servers on loopback, faults included: every one ends within
/// its timeout with a reason a person understands.
@Suite(.serialized) struct CheckRunnerTests {
    let curl = CurlMulti()

    func runner() throws -> (CheckRunner, SQLiteStatusStore) {
        let database = try SQLiteDatabase.inMemory(migrations: [StatusModelMigrations()])
        let store = SQLiteStatusStore(database: database, calendar: DayCalendar(timeZone: TimeZone(identifier: "Europe/Paris")!))
        return (CheckRunner(curl: curl, heartbeats: store, region: "test"), store)
    }

    func check(_ kind: CheckKind, _ target: String, timeout: Duration = .seconds(2), _ configure: (inout Check) -> Void = { _ in }) -> Check {
        var check = Check(productSlug: "p", name: "c", kind: kind, target: target, interval: .seconds(60), timeout: timeout)
        configure(&check)
        return check
    }

    func run(_ check: Check) async throws -> (result: CheckResult, reason: String, seconds: Double) {
        let (runner, _) = try runner()
        let clock = ContinuousClock()
        let start = clock.now
        let result = await runner.run(check)
        let elapsed = clock.now - start
        let reason = result.reason.map { ProbeFailure(code: $0).sentence("fr") } ?? ""
        return (result, reason, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test func healthyHTTPTargetIsUpWithTimings() async throws {
        let servers = try await FaultServers.shared()
        let (result, _, _) = try await run(check(.http, servers.url("http")))
        #expect(result.outcome == .up)
        #expect((result.durationMilliseconds ?? 0) > 0)
    }

    @Test(arguments: [
        ("/status/503", "statut 503, attendu 200-299"),
        ("/maintenance", ""),
    ])
    func statusAndBodyAssertions(path: String, reason: String) async throws {
        let servers = try await FaultServers.shared()
        let (result, said, _) = try await run(check(.http, servers.url("http", path)))
        #expect(said == reason)
        #expect(result.outcome == (reason.isEmpty ? .up : .down))
    }

    @Test func bodyContainsNotContainsAndJSONPath() async throws {
        let servers = try await FaultServers.shared()
        let missing = try await run(check(.http, servers.url("http", "/maintenance")) { $0.http.bodyContains = "bienvenue" })
        #expect(missing.reason == "la réponse ne contient pas « bienvenue »")
        let forbidden = try await run(check(.http, servers.url("http", "/maintenance")) { $0.http.bodyNotContains = "maintenance" })
        #expect(forbidden.reason == "la réponse contient « maintenance »")
        let json = try await run(check(.http, servers.url("http", "/json")) { $0.http.jsonPath = "data.items.0.state"; $0.http.jsonValue = "up" })
        #expect(json.result.outcome == .up)
        let wrong = try await run(check(.http, servers.url("http", "/json")) { $0.http.jsonPath = "status"; $0.http.jsonValue = "red" })
        #expect(wrong.reason == "status vaut « green », attendu « red »")
    }

    @Test func slowAnswerIsDegraded() async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, _) = try await run(check(.http, servers.url("http", "/slow?ms=300")) { $0.degradedAbove = .milliseconds(100) })
        #expect(result.outcome == .degraded)
        #expect(reason.hasPrefix("réponse en "))
        #expect(reason.hasSuffix("au-delà de 100 ms"))
    }

    @Test func targetThatNeverAnswersTimesOutWithinItsTimeout() async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, seconds) = try await run(check(.http, servers.url("hang"), timeout: .seconds(1)))
        #expect(result.outcome == .down)
        #expect(reason == "délai dépassé après 1 s")
        // Ends at its own timeout, not at libcurl's (300 s to connect, none in all): the margin
        // absorbs the whole suite sharing two cores, which has stretched 1 s to 6.
        #expect(seconds < 20)
    }

    @Test func targetSendingAByteASecondTimesOut() async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, seconds) = try await run(check(.http, servers.url("trickle"), timeout: .seconds(2)))
        #expect(result.outcome == .down)
        #expect(reason == "délai dépassé après 2 s")
        #expect(seconds < 20)
    }

    @Test func resetConnectionIsSaid() async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, _) = try await run(check(.http, servers.url("reset")))
        #expect(result.outcome == .down)
        #expect(reason == "connexion interrompue par le serveur")
    }

    @Test func refusedConnection() async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, _) = try await run(check(.http, servers.url("refused")))
        #expect(result.outcome == .down)
        #expect(reason == "connexion refusée")
        let tcp = try await run(check(.tcp, "127.0.0.1:\(servers.port("refused"))"))
        #expect(tcp.reason == "connexion refusée")
    }

    @Test(arguments: [("/redirect-gopher", "gopher"), ("/redirect-file", "file")])
    func redirectToARefusedSchemeIsDown(path: String, scheme: String) async throws {
        let servers = try await FaultServers.shared()
        let (result, reason, _) = try await run(check(.http, servers.url("http", path)))
        #expect(result.outcome == .down)
        #expect(reason == "redirection vers un protocole refusé (\(scheme))")
    }

    @Test func nameThatDoesNotResolve() async throws {
        // The system resolver answers for a .invalid name; on a loaded machine it once took over
        // the usual 2 s, and the check then said "timed out": give it room, the words are the point.
        let http = try await run(check(.http, "http://statusd-test.invalid/", timeout: .seconds(15)))
        #expect(http.reason == "le nom statusd-test.invalid ne se résout pas")
        let dns = try await run(check(.dns, "statusd-test.invalid", timeout: .seconds(15)))
        #expect(dns.result.outcome == .down)
        #expect(dns.reason == "le nom statusd-test.invalid ne se résout pas")
    }

    @Test func dnsResolvesAndChecksTheExpectedAddress() async throws {
        let ok = try await run(check(.dns, "localhost") { $0.expectedAddress = "127.0.0.1" })
        #expect(ok.result.outcome == .up)
        let wrong = try await run(check(.dns, "localhost") { $0.expectedAddress = "10.9.9.9" })
        #expect(wrong.result.outcome == .down)
        #expect(wrong.reason.hasPrefix("résout vers "))
    }

    @Test func tcpPortAcceptingIsUp() async throws {
        let servers = try await FaultServers.shared()
        let (result, _, _) = try await run(check(.tcp, "127.0.0.1:\(servers.port("hang"))"))
        #expect(result.outcome == .up)
    }

    @Test func tlsCertificates() async throws {
        let servers = try await FaultServers.shared()
        let expired = try await run(check(.tls, "127.0.0.1:\(servers.port("expired"))") { $0.caFile = servers.caFile })
        #expect(expired.result.outcome == .down)
        #expect(expired.reason == "certificat expiré")
        let selfSigned = try await run(check(.tls, "127.0.0.1:\(servers.port("selfsigned"))") { $0.caFile = servers.caFile })
        #expect(selfSigned.result.outcome == .down)
        #expect(selfSigned.reason.hasPrefix("certificat invalide (self"), "\(selfSigned.reason)")
        let soon = try await run(check(.tls, "127.0.0.1:\(servers.port("soon"))") { $0.caFile = servers.caFile })
        #expect(soon.result.outcome == .degraded)
        #expect(soon.reason == "le certificat expire dans 5 jours")
        let valid = try await run(check(.tls, "127.0.0.1:\(servers.port("valid"))") { $0.caFile = servers.caFile })
        #expect(valid.result.outcome == .up, "\(valid.reason)")
        let https = try await run(check(.http, servers.url("expired", scheme: "https")) { $0.caFile = servers.caFile })
        #expect(https.reason == "certificat expiré")
    }

    @Test func pushCheckIsDownAfterIntervalPlusGraceOfSilence() async throws {
        let (runner, store) = try runner()
        var push = check(.push, "")
        push.interval = .seconds(60)
        push.pushGrace = .seconds(30)
        try await store.recordHeartbeat(checkID: push.id, at: Date().addingTimeInterval(-30))
        #expect(await runner.run(push).outcome == .up)
        try await store.recordHeartbeat(checkID: push.id, at: Date().addingTimeInterval(-200))
        // An older heartbeat never replaces a newer one.
        #expect(await runner.run(push).outcome == .up)
        let (silentRunner, silentStore) = try self.runner()
        try await silentStore.recordHeartbeat(checkID: push.id, at: Date().addingTimeInterval(-200))
        let result = await silentRunner.run(push)
        #expect(result.outcome == .down)
        #expect(result.reason.map { ProbeFailure(code: $0).sentence("fr") }?.hasPrefix("aucun signal depuis 2") == true)
    }
}

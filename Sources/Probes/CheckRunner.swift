import Curl
import Foundation
import StatusModel

/// Runs one check once and says what it saw. Never throws: a target that is down is data.
public struct CheckRunner: Sendable {
    let curl: CurlMulti
    let heartbeats: any ProbeStateStore
    let region: String
    /// When the worker started: a push check that never called counts its silence from here.
    let startedAt: Date

    public init(curl: CurlMulti, heartbeats: any ProbeStateStore, region: String, startedAt: Date = Date()) {
        self.curl = curl
        self.heartbeats = heartbeats
        self.region = region
        self.startedAt = startedAt
    }

    public func run(_ check: Check) async -> CheckResult {
        let start = Date()
        let verdict: Verdict = switch check.kind {
        case .http, .tcp, .tls: interpret(await curl.perform(request(for: check)), check: check)
        case .dns: await dns(check)
        case .push: await push(check, now: start)
        }
        return result(check, verdict, start)
    }

    /// Starts a run and calls `completion` when it ends. Checks over libcurl complete on its loop
    /// thread with no task per run, which is what lets thousands of checks run on two cores;
    /// `completion` must be quick and never block.
    public func start(_ check: Check, completion: @escaping @Sendable (CheckResult) -> Void) -> CurlTransfer? {
        let start = Date()
        switch check.kind {
        case .http, .tcp, .tls:
            return curl.start(request(for: check)) { response in
                completion(result(check, interpret(response, check: check), start))
            }
        case .dns, .push:
            Task { completion(await run(check)) }
            return nil
        }
    }

    private func result(_ check: Check, _ verdict: Verdict, _ start: Date) -> CheckResult {
        CheckResult(checkID: check.id, productSlug: check.productSlug, time: start, region: region,
                    outcome: verdict.outcome, durationMilliseconds: verdict.milliseconds, reason: verdict.failure?.code)
    }

    /// One run's outcome, how long it took and, unless up, why.
    struct Verdict {
        var outcome: CheckResult.Outcome
        var milliseconds: Double?
        var failure: ProbeFailure?

        static func up(_ milliseconds: Double?) -> Verdict { Verdict(outcome: .up, milliseconds: milliseconds) }
        static func down(_ failure: ProbeFailure, _ milliseconds: Double? = nil) -> Verdict {
            Verdict(outcome: .down, milliseconds: milliseconds, failure: failure)
        }
    }

    /// The libcurl transfer of an http, tcp or tls check.
    func request(for check: Check) -> CurlRequest {
        let tls = check.kind == .tls
        var request = CurlRequest(url: check.kind == .http ? check.target : "\(tls ? "https" : "http")://\(check.target)/")
        request.timeout = check.timeout
        request.connectTimeout = min(check.connectTimeout ?? check.timeout, check.timeout)
        request.caFile = check.caFile
        if check.kind == .http {
            let options = check.http
            request.method = options.method
            request.headers = options.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            request.body = options.body.map { Array($0.utf8) }
            request.followRedirects = options.followRedirects
        } else {
            request.connectOnly = true
            request.certificateInfo = tls
        }
        return request
    }

    /// What a transfer means for its check.
    func interpret(_ response: CurlResponse, check: Check) -> Verdict {
        switch check.kind {
        case .tcp, .tls: connectVerdict(response, check: check)
        default: httpVerdict(response, check: check)
        }
    }

    private func httpVerdict(_ response: CurlResponse, check: Check) -> Verdict {
        let options = check.http
        let milliseconds = Double(response.timings.total) / 1000
        guard response.succeeded else { return .down(Self.failure(of: response, check: check), milliseconds) }
        guard options.expectedStatuses.contains(where: { $0.contains(response.status) }) else {
            return .down(.unexpectedStatus(got: response.status, expected: Self.describe(options.expectedStatuses)), milliseconds)
        }
        if let needle = options.bodyContains, !response.bodyText.contains(needle) { return .down(.bodyMissing(needle), milliseconds) }
        if let needle = options.bodyNotContains, response.bodyText.contains(needle) { return .down(.bodyForbidden(needle), milliseconds) }
        if let path = options.jsonPath, let expected = options.jsonValue {
            let found = JSONPath.value(at: path, in: response.body) ?? "∅"
            if found != expected { return .down(.jsonMismatch(path: path, expected: expected, got: found), milliseconds) }
        }
        return slowness(check, milliseconds)
    }

    private func connectVerdict(_ response: CurlResponse, check: Check) -> Verdict {
        let tls = check.kind == .tls
        let milliseconds = Double(tls ? response.timings.tlsHandshake : response.timings.connect) / 1000
        guard response.succeeded else { return .down(Self.failure(of: response, check: check), milliseconds) }
        if tls, let expiry = response.certificateExpiry {
            let days = Int(expiry.timeIntervalSinceNow / 86_400)
            if expiry < Date() { return .down(.certificateExpired, milliseconds) }
            if days < check.certificateWarningDays {
                return Verdict(outcome: .degraded, milliseconds: milliseconds, failure: .certificateExpiresSoon(days: days))
            }
        }
        return slowness(check, milliseconds)
    }

    private func dns(_ check: Check) async -> Verdict {
        let clock = ContinuousClock()
        let started = clock.now
        let answer = await DNSResolver.resolve(check.target, timeout: check.timeout)
        let milliseconds = (clock.now - started).seconds * 1000
        switch answer {
        case .timedOut: return .down(.timedOut(seconds: check.timeout.seconds), milliseconds)
        case .failed: return .down(.nameNotResolved(check.target), milliseconds)
        case .addresses(let addresses):
            if let expected = check.expectedAddress, !addresses.contains(expected) {
                return .down(.addressMismatch(expected: expected, got: addresses.joined(separator: ", ")), milliseconds)
            }
            return slowness(check, milliseconds)
        }
    }

    private func push(_ check: Check, now: Date) async -> Verdict {
        let last = (try? await heartbeats.lastHeartbeat(checkID: check.id)) ?? nil
        // Never called since the worker started: the silence counts from the start.
        let silence = now.timeIntervalSince(last ?? startedAt)
        guard silence <= (check.interval + check.pushGrace).seconds else { return .down(.noHeartbeat(seconds: Int(silence))) }
        return .up(nil)
    }

    private func slowness(_ check: Check, _ milliseconds: Double) -> Verdict {
        if let limit = check.degradedAbove, milliseconds > limit.seconds * 1000 {
            return Verdict(outcome: .degraded, milliseconds: milliseconds,
                           failure: .tooSlow(milliseconds: Int(milliseconds), limit: Int(limit.seconds * 1000)))
        }
        return .up(milliseconds)
    }

    /// libcurl's failure in words.
    static func failure(of response: CurlResponse, check: Check) -> ProbeFailure {
        let message = response.errorMessage
        switch response.code {
        case CurlCode.couldNotConnect:
            return response.osErrno == Int(ECONNREFUSED) || message.localizedCaseInsensitiveContains("refused")
                ? .connectionRefused : .other(message)
        case CurlCode.operationTimedOut: return .timedOut(seconds: check.timeout.seconds)
        case CurlCode.couldNotResolveHost: return .nameNotResolved(URL(string: check.target)?.host ?? check.target)
        case CurlCode.unsupportedProtocol:
            let scheme = message.split(separator: "\"").dropFirst().first.map(String.init)
                ?? response.redirectURL.flatMap { URL(string: $0)?.scheme } ?? "?"
            return .redirectRefused(scheme)
        case CurlCode.receiveError, CurlCode.sendError, CurlCode.gotNothing: return .connectionReset
        case CurlCode.peerFailedVerification, CurlCode.sslConnectError:
            if message.localizedCaseInsensitiveContains("expired") { return .certificateExpired }
            let detail = message.components(separatedBy: "SSL certificate problem: ").last ?? message
            return .certificateInvalid(detail)
        default: return .other(message)
        }
    }

    /// "200" or "200-299, 301" as people write them.
    static func describe(_ ranges: [ClosedRange<Int>]) -> String {
        ranges.map { $0.count == 1 ? String($0.lowerBound) : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

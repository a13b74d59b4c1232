import Curl
import Foundation

/// POSTs one webhook: checks the target (DNS may have changed since it was registered), pins
/// the connection to the checked addresses, signs the body, and follows a redirect only to a
/// target that passes the same check, at most `maxRedirects` times, all within `timeout`.
public struct WebhookSender: Sendable {
    public let policy: WebhookTargetPolicy
    /// The limit of one attempt, redirects included.
    public var timeout: Duration = .seconds(10)
    public var maxRedirects = 3
    private let curl: CurlMulti
    private let now: @Sendable () -> Date

    /// - Parameter curl: a loop of its own is best: webhooks to slow receivers then never hold
    ///   up probes.
    public init(policy: WebhookTargetPolicy, curl: CurlMulti = CurlMulti(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.curl = curl
        self.now = now
    }

    public func send(_ message: WebhookMessage) async -> WebhookOutcome {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let timestamp = Int64(now().timeIntervalSince1970)
        let headers = [
            "Content-Type: application/json",
            "X-Statusd-Event: \(message.webhook.event)",
            "X-Statusd-Delivery: \(message.id)",
            "X-Statusd-Timestamp: \(timestamp)",
            "X-Statusd-Signature: \(WebhookSignature.header(secret: message.webhook.secret, timestamp: timestamp, body: message.webhook.body))",
            // libcurl would wait for a "100 Continue" before a large body; receivers rarely send one.
            "Expect:",
        ]
        var url = message.webhook.url
        var redirects = 0
        while true {
            if Task.isCancelled { return .cancelled }
            let target: CheckedWebhookTarget
            do throws(WebhookTargetError) {
                target = try await WebhookTarget.check(url, policy: policy)
            } catch {
                let reason = redirects == 0 ? error.message : "redirected to \(url), which is refused: \(error.message)"
                return error.isTemporary ? .retry(reason: reason) : .refused(reason: reason)
            }
            let left = deadline - clock.now
            guard left > .milliseconds(1) else { return .retry(reason: "no answer within \(timeout)") }
            var request = CurlRequest(url: target.requestURL)
            request.method = "POST"
            request.headers = headers
            request.body = Array(message.webhook.body.utf8)
            request.timeout = left
            request.connectTimeout = left
            request.resolve = target.resolveEntries
            // No proxy from the environment: the checked address is where the bytes go.
            request.proxy = ""
            request.userAgent = "statusd-webhook/1"
            request.maxBodyBytes = 4096
            let response = await curl.perform(request)
            if response.code == CurlCode.cancelled { return .cancelled }
            guard response.succeeded else {
                return .retry(reason: "\(response.errorMessage) (curl \(response.code))")
            }
            switch response.status {
            case 200...299:
                return .delivered(status: response.status)
            case 300...399:
                guard let next = response.redirectURL, !next.isEmpty else {
                    return .refused(reason: "HTTP \(response.status) without a Location to follow")
                }
                redirects += 1
                guard redirects <= maxRedirects else { return .refused(reason: "more than \(maxRedirects) redirects") }
                url = next
            case 408, 429, 500...599:
                return .retry(reason: "HTTP \(response.status)")
            default:
                return .refused(reason: "HTTP \(response.status)")
            }
        }
    }
}

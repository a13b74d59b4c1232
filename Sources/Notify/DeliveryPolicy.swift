/// How delivery paces itself: how often it looks, how many at once, how it backs off.
public struct DeliveryPolicy: Sendable {
    /// How often the outbox is read when nothing wakes the service.
    public var pollInterval: Duration = .seconds(1)
    /// Messages sent at once, each on its own SMTP connection (kept open between mails). On
    /// loopback 4 or 16 send as fast as 8; against a distant server each mail waits a few
    /// round trips, and 8 connections keep an update to 10,000 subscribers within a minute.
    public var concurrency = 8
    /// The first retry waits this long; each next one twice as long...
    public var baseDelay: Duration = .seconds(30)
    /// ...up to this.
    public var maxDelay: Duration = .seconds(3600)
    /// Each delay is moved by up to this fraction either way, so retries of many messages
    /// (or many statusd processes) do not all hit the server at the same moment.
    public var jitter = 0.2
    /// Attempts the server answers with 4xx before the message is given up.
    public var maxAttempts = 12
    /// How long a claimed message is kept from other senders: longer than a send can take.
    public var lease: Duration = .seconds(300)
    /// Sent messages are deleted after this long.
    public var keepSent: Duration = .seconds(30 * 86_400)

    public init() {}

    /// The wait before attempt `attempts + 1`: `min(maxDelay, baseDelay * 2^(attempts - 1))`,
    /// moved by the jitter; `random` gives a number in -1...1.
    public func delay(afterAttempts attempts: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let base = baseDelay.seconds
        let doublings = min(max(attempts - 1, 0), 40)
        let plain = min(maxDelay.seconds, base * Double(1 << doublings))
        let moved = plain * (1 + jitter * random(-1...1))
        return .milliseconds(Int64((max(0, moved) * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

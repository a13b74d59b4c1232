/// What became of one webhook delivery attempt. A refused webhook is data, not an error.
public enum WebhookOutcome: Sendable, Hashable {
    /// The receiver answered 2xx.
    case delivered(status: Int)
    /// Worth another attempt after a backoff: no connection, a timeout, DNS down, 408, 429, 5xx.
    case retry(reason: String)
    /// Never worth another attempt: another 4xx, a target or redirect that the checks refuse,
    /// too many redirects.
    case refused(reason: String)
    /// Stopped by a shutdown before it ended: the attempt does not count.
    case cancelled
}

import Foundation

/// One webhook call to make: a JSON body POSTed to a subscriber's URL, signed with its secret.
/// Stored as JSON in the outbox until it is delivered.
public struct Webhook: Sendable, Hashable, Codable {
    /// http:// or https://; checked again at every delivery.
    public var url: String
    /// The subscriber's shared secret: the key of the X-Statusd-Signature HMAC.
    public var secret: String
    /// What happened, sent as X-Statusd-Event ("incident.updated").
    public var event: String
    /// The JSON document to POST.
    public var body: String

    public init(url: String, secret: String, event: String, body: String) {
        self.url = url
        self.secret = secret
        self.event = event
        self.body = body
    }

    /// Refuses a webhook that could never be delivered: a URL that is not http(s), an event that
    /// cannot stand in a header, an empty secret, a body that is not JSON. Needs no DNS: the
    /// target's addresses are checked at registration (`WebhookTarget.check`) and at delivery.
    public func validate() throws {
        try WebhookTarget.checkSyntax(url)
        guard !event.isEmpty, event.utf8.count <= 100,
              event.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw WebhookError(.invalidEvent, "the event name must be 1 to 100 printable ASCII characters without spaces: \(event.debugDescription)")
        }
        guard !secret.isEmpty else { throw WebhookError(.invalidSecret, "a webhook needs a secret to be signed with") }
        guard (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil else {
            throw WebhookError(.invalidBody, "the webhook body is not valid JSON")
        }
    }
}

/// A webhook that can never be sent as given.
public struct WebhookError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case invalidEvent
        case invalidSecret
        case invalidBody
    }

    let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}

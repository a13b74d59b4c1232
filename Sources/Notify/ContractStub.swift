// Temporary: the contract of the Notify module while its real implementation lands on the
// `notify` branch. Removed at the merge.
import Foundation

/// An email waiting in the outbox.
public struct Mail: Sendable, Hashable, Codable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    public var headers: [String: String]
    public var language: String

    public init(to: String, subject: String, text: String, html: String? = nil, headers: [String: String] = [:], language: String) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.language = language
    }
}

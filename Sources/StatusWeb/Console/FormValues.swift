import Foundation
import Hummingbird
import NIOCore

/// An url-encoded form whose fields may repeat (checkboxes of products).
struct FormValues: Sendable {
    var pairs: [(String, String)] = []

    static func read(_ request: Request, context: StatusRequestContext) async throws -> FormValues {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: FormSupport.maxFormBytes)
        } catch is NIOTooManyBytesError {
            // A 413 the sender can read, not a 500.
            throw HTTPError(.contentTooLarge)
        }
        let body = String(buffer: buffer)
        var form = FormValues()
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            form.pairs.append((decode(parts[0]), parts.count > 1 ? decode(parts[1]) : ""))
        }
        return form
    }

    subscript(name: String) -> String? { pairs.last { $0.0 == name }?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// The last value of each field, as the single-valued helpers take them.
    var single: [String: String] { Dictionary(pairs, uniquingKeysWith: { _, last in last }) }

    private static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

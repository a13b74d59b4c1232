import Foundation
import Hummingbird
import NIOCore

/// An url-encoded form whose fields repeat (the console's and the subscriptions' product
/// checkboxes, sent as `products=a&products=b` by every browser): Hummingbird's
/// `URLEncodedFormDecoder` refuses repeated names unless they are spelled `products[]`, and
/// these forms also keep what was typed, field by field, when they come back with errors.
struct FormValues: Sendable {
    var pairs: [(String, String)] = []

    static func read(_ request: Request, context: StatusRequestContext) async throws -> FormValues {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Forms.maxBytes)
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

    /// Reads the form and refuses it (403) without the session's or the anonymous CSRF token.
    static func readChecked(_ request: Request, context: StatusRequestContext) async throws -> FormValues {
        let form = try await read(request, context: context)
        try Forms.requireCSRF(form["csrf"], request: request, context: context)
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

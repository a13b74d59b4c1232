import Foundation
import Hummingbird

/// A query string as an HTML form sends it (`application/x-www-form-urlencoded`): `+` is a
/// space and `%2B` a plus. Hummingbird's `queryParameters` percent-decodes only, so a search
/// for "Client B" typed in a GET form arrived as "Client+B".
enum FormQuery {
    /// The first value of each name; a value that does not decode is left out.
    static func values(_ request: Request) -> [String: String] {
        guard let query = request.uri.query else { return [:] }
        var values: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : ""), values[name] == nil else { continue }
            values[name] = value
        }
        return values
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

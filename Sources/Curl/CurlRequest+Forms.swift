import Foundation

/// Plain GETs and form POSTs, for talking to APIs (OpenID Connect providers) rather than probing.
extension CurlRequest {
    /// A GET that asks for `accept`, within `timeout`.
    public static func get(_ url: String, accept: String = "application/json", timeout: Duration = .seconds(10)) -> CurlRequest {
        var request = CurlRequest(url: url)
        request.headers = ["Accept: \(accept)"]
        request.timeout = timeout
        request.connectTimeout = timeout
        request.freshConnection = false
        request.userAgent = "statusd/1"
        return request
    }

    /// A POST of `fields` as `application/x-www-form-urlencoded`, in their order.
    public static func postForm(_ url: String, fields: [(String, String)], headers: [String] = [],
                                accept: String = "application/json", timeout: Duration = .seconds(10)) -> CurlRequest {
        var request = get(url, accept: accept, timeout: timeout)
        request.method = "POST"
        // libcurl would wait for a "100 Continue" before a large body; servers rarely send one.
        request.headers += ["Content-Type: application/x-www-form-urlencoded", "Expect:"] + headers
        request.body = Array(FormEncoding.encode(fields).utf8)
        return request
    }
}

/// `application/x-www-form-urlencoded`, as HTML forms and OAuth 2 token endpoints read it.
public enum FormEncoding {
    /// Unreserved characters (RFC 3986) stay; everything else is percent-encoded, space included.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Portal

/// Reading forms, the session cookie and the CSRF checks of the portal's pages.
enum FormSupport {
    static let sessionCookie = "sid"
    static let csrfCookie = "csrf"
    /// Room for a 10,000-character message in any script once percent-encoded (up to 12 bytes a character).
    static let maxFormBytes = 160 * 1024

    /// The fields of an url-encoded form body; repeated names keep the last value. A body over
    /// `maxFormBytes` is a 413, as in every form (see FormValues).
    static func fields(_ request: Request, context: StatusRequestContext) async throws -> [String: String] {
        try await FormValues.read(request, context: context).single
    }

    /// Compares two secrets in time independent of where they differ.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}

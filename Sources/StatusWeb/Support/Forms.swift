import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Portal

/// A form that changes state: it carries the CSRF token of the page that showed it.
protocol CSRFProtectedForm: Decodable {
    var csrf: String? { get }
}

/// Reading forms: bodies decoded by Hummingbird's `URLEncodedFormDecoder` into `Decodable`
/// structs, with the size limit, the CSRF check and the cookies of the portal's pages.
enum Forms {
    static let csrfCookie = "csrf"
    /// Room for a 10,000-character message in any script once percent-encoded (up to 12 bytes a character).
    static let maxBytes = 160 * 1024

    /// The body as `Form`. Over `maxBytes` is a 413; a value that does not fit its field (text
    /// or 1e30 for a whole number) is a 400 naming the field; nothing is half-read.
    static func decode<Form: Decodable>(_ type: Form.Type, from request: Request, context: StatusRequestContext) async throws -> Form {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge)
        }
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "The field \(Self.field(of: error)) has a value that does not fit.")
        } catch {
            throw HTTPError(.badRequest, message: "The form could not be read.")
        }
    }

    /// Decodes a state-changing form and refuses it (403, nothing changes) unless it carries
    /// the session's CSRF token, or for anonymous forms the token of the `csrf` cookie.
    static func read<Form: CSRFProtectedForm>(_ type: Form.Type, from request: Request, context: StatusRequestContext) async throws -> Form {
        let form = try await decode(type, from: request, context: context)
        try requireCSRF(form.csrf, request: request, context: context)
        return form
    }

    static func requireCSRF(_ token: String?, request: Request, context: StatusRequestContext) throws {
        let expected = context.identity?.user?.csrfToken ?? request.cookies[csrfCookie]?.value ?? ""
        guard same(expected, token ?? "") else {
            throw HTTPError(.forbidden, message: "The form expired: reload the page and try again.")
        }
    }

    /// The CSRF token an anonymous form carries: a random cookie the form must echo (double submit).
    static func anonymousCSRF(_ request: Request, secure: Bool) -> (token: String, cookie: Cookie?) {
        if let existing = request.cookies[csrfCookie]?.value, existing.count >= 32 { return (existing, nil) }
        let token = Secrets.token()
        return (token, cookie(csrfCookie, token, secure: secure))
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

    private static func field(of error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: path = []
        }
        return path.map(\.stringValue).filter { Int($0) == nil }.joined(separator: ".")
    }
}

/// A form's text field as the page keeps it: trimmed, empty when absent.
extension Optional where Wrapped == String {
    var trimmed: String { (self ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    var orEmpty: String { self ?? "" }
}

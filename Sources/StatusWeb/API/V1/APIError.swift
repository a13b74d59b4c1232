import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import StatusModel

/// Every JSON error the site answers (`/api/v1`, `/api/v2`, push checks, and the guards'
/// refusals there): `{"error": {"code", "message", "field"}}`. `code` is stable for programs,
/// `message` a sentence for people.
struct APIError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    let field: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// Any other refusal (an `HTTPError` of a handler or a guard, a body over the limit) in the
    /// same envelope.
    init(_ error: any HTTPResponseError) {
        if let error = error as? APIError {
            self = error
            return
        }
        switch error.status {
        case .unauthorized: self = .unauthorized
        case .forbidden: self = .forbidden
        case .contentTooLarge: self = APIError(.contentTooLarge, "too_large", "The body is larger than this route accepts.")
        default:
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            self = APIError(error.status, code, (error as? HTTPError)?.body ?? error.status.reasonPhrase)
        }
    }

    static let `internal` = APIError(.internalServerError, "internal", "The request could not be completed.")
    static let tenantKeyRequired = APIError(.forbidden, "forbidden", "This route answers a customer account's API key only.")
    static let keyRequired = APIError(.forbidden, "forbidden", "This route answers an API key only.")
    static let unauthorized = APIError(.unauthorized, "unauthorized", "A valid API key is required as a bearer token.")
    static let forbidden = APIError(.forbidden, "forbidden", "This key may not change anything here: a staff API key is required.")
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "No \(what) has this id.") }
    static func missing(_ field: String) -> APIError { APIError(.unprocessableContent, "missing_field", "The field \(field) is required.", field: field) }
    static func invalid(_ field: String, _ message: String) -> APIError { APIError(.unprocessableContent, "invalid_value", message, field: field) }
    static func badParameter(_ field: String, _ message: String) -> APIError { APIError(.badRequest, "invalid_parameter", message, field: field) }
    static let notEditable = APIError(.conflict, "not_editable",
                                      "This product is defined in the config file: change it there, not through the API.")

    /// A broken rule, in the API's words.
    init(_ violation: AnnouncementRules.Violation) {
        let field = APIFieldName.snakeCase(violation.field)
        switch violation.reason {
        case .required: self = .missing(field)
        case .tooLong:
            let limit = field == "message" ? AnnouncementRules.maxMessageLength : AnnouncementRules.maxTitleLength
            self = APIError(.unprocessableContent, "too_long", "The field \(field) is longer than \(limit) characters.", field: field)
        case .noProduct: self = APIError(.unprocessableContent, "missing_field", "Name at least one product.", field: field)
        case .endNotAfterStart: self = APIError(.unprocessableContent, "end_before_start", "The window must end after it starts.", field: field)
        case .windowTooLong: self = APIError(.unprocessableContent, "window_too_long", "A window lasts 31 days at most.", field: field)
        case .invalidSlug: self = .invalid(field, "A slug is 1 to 64 lower-case letters, digits and dashes.")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
                let field: String?
            }
            let error: Detail
        }
        var response = APIv1JSON.response(Body(error: .init(code: code, message: message, field: field)), status: status)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

/// The JSON error of every refusal under `/api/v1`, whatever threw it. Anything unexpected
/// goes on to the site's error middleware, which logs it and answers a plain JSON 500.
struct APIv1ErrorMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let violation as AnnouncementRules.Violation {
            return APIError(violation).response
        } catch StoreError.notEditable {
            return APIError.notEditable.response
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            // APIError and HTTPError from a handler or a guard, NIOTooManyBytesError from a body over the limit (413).
            return APIError(error).response
        }
    }
}

/// Field names as the API spells them.
enum APIFieldName {
    /// `repeatsWeekly` → `repeats_weekly`: coding paths name Swift properties, clients read snake case.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

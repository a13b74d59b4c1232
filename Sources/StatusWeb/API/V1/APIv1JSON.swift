import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every JSON answer of the site, as `ResponseEncodable` values returned by handlers are
/// written: snake_case keys, sorted, never stored by caches (`APIv1JSON.response`).
public struct StatusJSONEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        APIv1JSON.response(value)
    }
}

/// How `/api/v1` reads and writes JSON: snake_case keys, ISO 8601 dates with their offset,
/// and a refused body explained field by field rather than a 500.
enum APIv1JSON {
    /// Bodies larger than this are refused: the longest valid one (a 10,000-character message) is far smaller.
    static let maxBodyBytes = 256 * 1024

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain views cannot fail; an empty object keeps the answer valid JSON if it ever did.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        return Response(status: .noContent, headers: headers)
    }

    /// The request's JSON body as `Body`; malformed JSON or a value of the wrong type is a 400
    /// naming the field.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodyBytes)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            // A body that is JSON but not an object (an array, a string) has no field to blame.
            guard !context.codingPath.isEmpty else { throw APIError(.badRequest, "malformed_json", "The body is not a JSON object.") }
            let field = fieldName(context.codingPath)
            throw APIError(.badRequest, "invalid_type", "The field \(field) has the wrong type.", field: field)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            // Valid JSON with a value that does not fit, such as 1.5 for a position.
            let field = fieldName(context.codingPath)
            throw APIError(.badRequest, "invalid_type", "The field \(field) has the wrong type.", field: field)
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.missing(fieldName(context.codingPath + [key]))
        } catch {
            // Foundation on Linux reports a value that does not fit (a fraction for a whole
            // number) as corrupt data without a path: say so when the JSON itself parses.
            if (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) is [String: Any] {
                throw APIError(.badRequest, "invalid_type", "A field has the wrong type.")
            }
            throw APIError(.badRequest, "malformed_json", "The body is not a JSON object.")
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? APIFieldName.snakeCase($0.stringValue) }.joined(separator: ".")
    }

    /// An instant as `2026-11-20T12:00:00+01:00`, in the deployment's time zone.
    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    /// An ISO 8601 instant with its offset or `Z`, with or without fractional seconds; nil
    /// otherwise (a local time without an offset is ambiguous, so it is refused).
    static func parseDate(_ text: String) -> Date? {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// A required date field of a body.
    static func date(_ text: String?, field: String) throws -> Date {
        guard let text else { throw APIError.missing(field) }
        guard let date = parseDate(text) else {
            throw APIError.invalid(field, "The field \(field) must be an ISO 8601 date and time with an offset, such as 2026-11-20T22:00:00+01:00.")
        }
        return date
    }

    /// `camelCase` enum raw values as the API spells them (`noData` → `no_data`).
    static func word(_ rawValue: String) -> String { APIFieldName.snakeCase(rawValue) }
}

import Foundation
import HTTPTypes
import Hummingbird

/// The client's address for login throttling: the socket's peer, unless the peer is one of
/// the config's `trusted_proxies`; then the last address of `X-Forwarded-For` that is not a
/// trusted proxy itself (what the nearest trusted proxy saw). An untrusted peer's header is
/// ignored, so nobody picks their own address.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = StatusRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trustedProxies.isEmpty, trustedProxies.contains(context.peerAddress) else { return try await next(request, context) }
        var context = context
        context.clientAddress = Self.client(forwardedFor: request.headers[values: .xForwardedFor], trusted: trustedProxies) ?? context.peerAddress
        return try await next(request, context)
    }

    static func client(forwardedFor headers: [String], trusted: Set<String>) -> String? {
        let hops = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !trusted.contains($0) }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

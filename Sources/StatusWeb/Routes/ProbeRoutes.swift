import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

extension StatusSite {
    /// Heartbeats of push checks, and the Prometheus metrics.
    func addProbeRoutes(to router: Router<StatusRequestContext>) {
        router.post("/api/v1/push/:token") { _, context in
            try await pushResponse(token: try context.parameters.require("token"))
        }
        router.get("/metrics") { _, _ in
            guard let metricsText else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await metricsText())))
        }
    }

    func pushResponse(token: String) async throws -> Response {
        // The token is the secret: an unknown one gets the same 404 as any wrong address.
        guard let checkID = pushChecks[token] else {
            return json(.notFound, #"{"error":{"code":"unknown_token","message":"No push check has this token."}}"#)
        }
        try await store.recordHeartbeat(checkID: checkID, at: clock())
        return json(.ok, #"{"ok":true}"#)
    }

    func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

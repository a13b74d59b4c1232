import Foundation
import HTTPTypes
import Hummingbird
import StatusModel

/// Heartbeats of push checks (`POST /api/v1/push/{token}`), and the Prometheus metrics.
struct ProbeController<Store: StatusStore>: Sendable {
    let store: Store
    /// Push checks by their secret token: token → check id.
    let pushChecks: [String: String]
    /// The Prometheus text exposition, when the executable set metrics up.
    let metricsText: (@Sendable () async -> String)?
    let clock: @Sendable () -> Date

    /// `{"ok": true}`: the heartbeat was recorded.
    struct HeartbeatAnswer: ResponseEncodable {
        let ok: Bool
    }

    func addRoutes(to routes: SiteRoutes) {
        routes.api(.anyone).post("push/:token") { _, context in
            // The token is the secret: an unknown one gets the same 404 as any wrong address.
            guard let checkID = pushChecks[try context.parameters.require("token")] else {
                throw APIError(.notFound, "unknown_token", "No push check has this token.")
            }
            try await store.recordHeartbeat(checkID: checkID, at: clock())
            return HeartbeatAnswer(ok: true)
        }
        routes.pages(.anyone).get("/metrics") { _, _ in
            guard let metricsText else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await metricsText())))
        }
    }
}

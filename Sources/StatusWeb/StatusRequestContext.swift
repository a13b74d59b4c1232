import Hummingbird
import NIOCore

/// The request context of every route: the client's address, for login throttling.
public struct StatusRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address as the socket sees it ("unknown" when there is none, as in tests).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

import Foundation

/// One transfer to run: where, how, and how long to wait at most.
public struct CurlRequest: Sendable {
    public var url: String
    public var method: String = "GET"
    public var headers: [String] = []
    public var body: [UInt8]?
    /// The whole transfer's limit; libcurl has none by default.
    public var timeout: Duration = .seconds(10)
    public var connectTimeout: Duration = .seconds(10)
    public var followRedirects = false
    public var maxRedirects = 5
    /// Only connect (and shake hands for https): a tcp or tls check.
    public var connectOnly = false
    /// A new connection every time, so timings measure DNS, connect and TLS each run.
    public var freshConnection = true
    /// Collect the peer's certificate chain (for expiry).
    public var certificateInfo = false
    public var verifyPeer = true
    /// A PEM file of certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// Protocols allowed, for the first request and redirects: never file://, gopher://...
    public var protocols = "http,https"
    /// Bytes of body kept; the rest is read and dropped.
    public var maxBodyBytes = 1 << 20
    /// `host:port:address[,address]` entries (CURLOPT_RESOLVE): the transfer connects to these
    /// addresses instead of asking DNS again, so a target checked before cannot be swapped.
    public var resolve: [String] = []
    /// The proxy to use; nil keeps libcurl's default (the http_proxy environment variables),
    /// "" uses none, so a check of the target's address is what decides where bytes go.
    public var proxy: String?
    public var userAgent = "statusd-probe/1"

    public init(url: String) {
        self.url = url
    }
}

/// Where the time of a transfer went, each from its start, in microseconds.
public struct CurlTimings: Sendable, Hashable {
    public var nameLookup: Int64 = 0
    public var connect: Int64 = 0
    public var tlsHandshake: Int64 = 0
    public var firstByte: Int64 = 0
    public var total: Int64 = 0

    public init() {}
}

/// What a transfer gave: an error code, or a response. A failed transfer is data, not an error.
public struct CurlResponse: Sendable {
    /// libcurl's result code; 0 when the transfer completed.
    public var code: Int
    /// libcurl's own words on the failure, if any.
    public var errorMessage: String
    /// The system's error number behind a connection failure (ECONNREFUSED...), 0 when none.
    public var osErrno: Int = 0
    public var status: Int
    public var body: [UInt8]
    public var timings: CurlTimings
    /// The leaf certificate's "not after", when certificate info was asked for.
    public var certificateExpiry: Date?
    /// Where a redirect that was not followed points.
    public var redirectURL: String?

    public var succeeded: Bool { code == 0 }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// libcurl result codes statusd explains in words.
public enum CurlCode {
    /// Not libcurl's: the caller's task was cancelled (shutdown) before the transfer ended.
    public static let cancelled = -2
    public static let unsupportedProtocol = 1
    public static let couldNotResolveHost = 6
    public static let couldNotConnect = 7
    public static let weirdServerReply = 8
    public static let operationTimedOut = 28
    public static let sslConnectError = 35
    public static let tooManyRedirects = 47
    public static let gotNothing = 52
    public static let sendError = 55
    public static let receiveError = 56
    public static let peerFailedVerification = 60
}

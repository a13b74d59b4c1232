import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's resolver (getaddrinfo), which blocks: each look-up runs on a thread of its own,
/// never on one of the few threads of Swift's cooperative pool.
enum HostResolver {
    static func addresses(of host: String) async throws(WebhookTargetError) -> [IPAddress] {
        let result: Result<[IPAddress], WebhookTargetError> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: lookUp(host)) }
            thread.name = "statusd-resolve"
            thread.start()
        }
        return try result.get()
    }

    private static func lookUp(_ host: String) -> Result<[IPAddress], WebhookTargetError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        defer { if let list { freeaddrinfo(list) } }
        guard status == 0 else {
            let reason = String(cString: gai_strerror(status))
            return .failure(WebhookTargetError(.unresolvable, "the address's host \(host) could not be resolved (\(reason))"))
        }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr, let address = IPAddress(socketAddress) { addresses.append(address) }
            entry = current.pointee.ai_next
        }
        var seen = Set<IPAddress>()
        addresses = addresses.filter { seen.insert($0).inserted }
        guard !addresses.isEmpty else {
            return .failure(WebhookTargetError(.unresolvable, "the address's host \(host) has no IP address"))
        }
        return .success(addresses)
    }
}

extension IPAddress {
    init?(_ socketAddress: UnsafeMutablePointer<sockaddr>) {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        case AF_INET6:
            let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        default:
            return nil
        }
    }
}

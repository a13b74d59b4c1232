#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, as DNS or a URL gave it.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Only the usual spellings: "10.1.2.3" or "fe80::1". Forms that C libraries also read
    /// ("2130706433", "127.1", "0x7f.1") are not literals here, so a URL cannot hide an address.
    init?(literal text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    var isIPv4: Bool { bytes.count == 4 }

    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var copy = bytes
        let family = isIPv4 ? AF_INET : AF_INET6
        guard inet_ntop(family, &copy, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// How libcurl's CURLOPT_RESOLVE wants it: IPv6 in brackets.
    var resolveForm: String { isIPv4 ? description : "[\(description)]" }
}

/// Why an address is not a public one a webhook may go to.
enum NonPublicAddress: Sendable, Hashable {
    case loopback, privateNetwork, linkLocal, unspecified, sharedCarrierNAT, multicast, reserved

    /// "a loopback address", as a sentence says it.
    var words: String {
        switch self {
        case .loopback: "a loopback address"
        case .privateNetwork: "a private address"
        case .linkLocal: "a link-local address"
        case .unspecified: "an unspecified address"
        case .sharedCarrierNAT: "a carrier-grade NAT address"
        case .multicast: "a multicast address"
        case .reserved: "a reserved address"
        }
    }

    /// Where `address` points when it is not the public internet; nil for a public address.
    static func classify(_ address: IPAddress) -> NonPublicAddress? {
        let b = address.bytes
        if address.isIPv4 { return classifyIPv4(b) }
        let prefix96 = b.prefix(12)
        if prefix96.allSatisfy({ $0 == 0 }) {
            // ::, ::1, and the deprecated IPv4-compatible ::a.b.c.d.
            if b[12...].allSatisfy({ $0 == 0 }) { return .unspecified }
            if b[12...14].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
            return .reserved
        }
        // IPv4-mapped ::ffff:a.b.c.d: the IPv4 address is where it goes.
        if prefix96.elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) { return classifyIPv4(Array(b[12...])) }
        // NAT64 64:ff9b::a.b.c.d reaches the IPv4 address through a translator.
        if prefix96.elementsEqual([0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]) { return classifyIPv4(Array(b[12...])) }
        if b[0] & 0xFE == 0xFC { return .privateNetwork }                  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return .linkLocal }       // fe80::/10
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return .privateNetwork }  // fec0::/10 site-local (deprecated)
        if b[0] == 0xFF { return .multicast }                              // ff00::/8
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return .reserved } // 2001:db8::/32 documentation
        if b[0] == 0x01 && b[1...7].allSatisfy({ $0 == 0 }) { return .reserved }             // 100::/64 discard
        return nil
    }

    private static func classifyIPv4(_ b: [UInt8]) -> NonPublicAddress? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified                                   // 0/8 "this network"
        case (127, _, _): return .loopback                                    // 127/8
        case (10, _, _): return .privateNetwork                               // 10/8
        case (172, 16...31, _): return .privateNetwork                        // 172.16/12
        case (192, 168, _): return .privateNetwork                            // 192.168/16
        case (169, 254, _): return .linkLocal                                 // 169.254/16 (cloud metadata lives here)
        case (100, 64...127, _): return .sharedCarrierNAT                     // 100.64/10
        case (224...239, _, _): return .multicast                             // 224/4
        case (240...255, _, _): return .reserved                              // 240/4 and the broadcast address
        case (192, 0, 0), (192, 0, 2), (198, 51, 100), (203, 0, 113): return .reserved // IETF and documentation
        case (198, 18...19, _): return .reserved                              // benchmarking
        default: return nil
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// IP addresses as text, in the one spelling a socket's peer address has (inet_ntop's), so a
/// configured `::0001` still matches the peer `::1`.
public enum IPAddressText {
    public static func canonical(_ text: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return format(AF_INET, &v4, length: Int(INET_ADDRSTRLEN)) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return format(AF_INET6, &v6, length: Int(INET6_ADDRSTRLEN)) }
        return nil
    }

    private static func format(_ family: Int32, _ address: UnsafeRawPointer, length: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: length)
        guard inet_ntop(family, address, &buffer, socklen_t(length)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

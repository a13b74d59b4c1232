import CCurl
import Foundation

/// Reads the leaf certificate's expiry from libcurl's certificate info.
enum CertificateInfo {
    static func leafExpiry(_ handle: UnsafeMutableRawPointer) -> Date? {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard ccurl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
              var entry = info.pointee.certinfo?[0] else { return nil }
        while true {
            if let text = entry.pointee.data.map({ String(cString: $0) }), text.hasPrefix("Expire date:") {
                return parseDate(String(text.dropFirst("Expire date:".count)))
            }
            guard let next = entry.pointee.next else { return nil }
            entry = next
        }
    }

    /// OpenSSL prints "Jan  1 00:00:00 2030 GMT".
    static func parseDate(_ text: String) -> Date? {
        let words = text.split(whereSeparator: { $0 == " " }).joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        return formatter.date(from: words)
    }
}

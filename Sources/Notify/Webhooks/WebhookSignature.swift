import Crypto
import Foundation

/// The X-Statusd-Signature header: `sha256=` and the hex HMAC-SHA256, keyed with the
/// subscriber's secret, of `timestamp + "." + body`. The timestamp is inside the signature so a
/// receiver can refuse an old request played again.
public enum WebhookSignature {
    public static func header(secret: String, timestamp: Int64, body: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return "sha256=" + code.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }
}

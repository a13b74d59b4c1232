import Foundation

/// Why a check failed or was slow, said in words a person understands, in French or English.
/// Stored in `CheckResult.reason` as a short code ("status|503|200") so pages can say it in
/// the reader's language.
public enum ProbeFailure: Sendable, Hashable {
    case connectionRefused
    case timedOut(seconds: Double)
    case connectionReset
    case nameNotResolved(String)
    case unexpectedStatus(got: Int, expected: String)
    case bodyMissing(String)
    case bodyForbidden(String)
    case jsonMismatch(path: String, expected: String, got: String)
    case tooSlow(milliseconds: Int, limit: Int)
    case redirectRefused(String)
    case certificateExpired
    case certificateInvalid(String)
    case certificateExpiresSoon(days: Int)
    case addressMismatch(expected: String, got: String)
    case noHeartbeat(seconds: Int)
    case other(String)

    /// The sentence shown to people; `language` is "fr" or "en".
    public func sentence(_ language: String) -> String {
        let fr = language != "en"
        switch self {
        case .connectionRefused: return fr ? "connexion refusée" : "connection refused"
        case .timedOut(let seconds):
            let amount = seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.1f", seconds)
            return fr ? "délai dépassé après \(amount) s" : "timed out after \(amount) s"
        case .connectionReset: return fr ? "connexion interrompue par le serveur" : "connection reset by the server"
        case .nameNotResolved(let name): return fr ? "le nom \(name) ne se résout pas" : "the name \(name) does not resolve"
        case .unexpectedStatus(let got, let expected): return fr ? "statut \(got), attendu \(expected)" : "status \(got), expected \(expected)"
        case .bodyMissing(let text): return fr ? "la réponse ne contient pas « \(text) »" : "the response does not contain \"\(text)\""
        case .bodyForbidden(let text): return fr ? "la réponse contient « \(text) »" : "the response contains \"\(text)\""
        case .jsonMismatch(let path, let expected, let got):
            return fr ? "\(path) vaut « \(got) », attendu « \(expected) »" : "\(path) is \"\(got)\", expected \"\(expected)\""
        case .tooSlow(let milliseconds, let limit):
            return fr ? "réponse en \(milliseconds) ms, au-delà de \(limit) ms" : "answered in \(milliseconds) ms, over \(limit) ms"
        case .redirectRefused(let scheme):
            return fr ? "redirection vers un protocole refusé (\(scheme))" : "redirect to a refused protocol (\(scheme))"
        case .certificateExpired: return fr ? "certificat expiré" : "certificate expired"
        case .certificateInvalid(let detail): return fr ? "certificat invalide (\(detail))" : "invalid certificate (\(detail))"
        case .certificateExpiresSoon(let days):
            return fr ? "le certificat expire dans \(days) jours" : "the certificate expires in \(days) days"
        case .addressMismatch(let expected, let got):
            return fr ? "résout vers \(got), attendu \(expected)" : "resolves to \(got), expected \(expected)"
        case .noHeartbeat(let seconds): return fr ? "aucun signal depuis \(seconds) s" : "no heartbeat for \(seconds) s"
        case .other(let detail): return fr ? "échec : \(detail)" : "failed: \(detail)"
        }
    }

    /// The stored form.
    public var code: String {
        let parts: [String] = switch self {
        case .connectionRefused: ["refused"]
        case .timedOut(let seconds): ["timeout", String(seconds)]
        case .connectionReset: ["reset"]
        case .nameNotResolved(let name): ["dns", name]
        case .unexpectedStatus(let got, let expected): ["status", String(got), expected]
        case .bodyMissing(let text): ["missing", text]
        case .bodyForbidden(let text): ["forbidden", text]
        case .jsonMismatch(let path, let expected, let got): ["json", path, expected, got]
        case .tooSlow(let milliseconds, let limit): ["slow", String(milliseconds), String(limit)]
        case .redirectRefused(let scheme): ["redirect", scheme]
        case .certificateExpired: ["expired"]
        case .certificateInvalid(let detail): ["certificate", detail]
        case .certificateExpiresSoon(let days): ["expires", String(days)]
        case .addressMismatch(let expected, let got): ["address", expected, got]
        case .noHeartbeat(let seconds): ["silence", String(seconds)]
        case .other(let detail): ["other", detail]
        }
        return parts.map { $0.replacingOccurrences(of: "|", with: "/") }.joined(separator: "|")
    }

    public init(code: String) {
        let parts = code.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        func part(_ index: Int) -> String { index < parts.count ? parts[index] : "" }
        switch part(0) {
        case "refused": self = .connectionRefused
        case "timeout": self = .timedOut(seconds: Double(part(1)) ?? 0)
        case "reset": self = .connectionReset
        case "dns": self = .nameNotResolved(part(1))
        case "status": self = .unexpectedStatus(got: Int(part(1)) ?? 0, expected: part(2))
        case "missing": self = .bodyMissing(part(1))
        case "forbidden": self = .bodyForbidden(part(1))
        case "json": self = .jsonMismatch(path: part(1), expected: part(2), got: part(3))
        case "slow": self = .tooSlow(milliseconds: Int(part(1)) ?? 0, limit: Int(part(2)) ?? 0)
        case "redirect": self = .redirectRefused(part(1))
        case "expired": self = .certificateExpired
        case "certificate": self = .certificateInvalid(part(1))
        case "expires": self = .certificateExpiresSoon(days: Int(part(1)) ?? 0)
        case "address": self = .addressMismatch(expected: part(1), got: part(2))
        case "silence": self = .noHeartbeat(seconds: Int(part(1)) ?? 0)
        case "other": self = .other(part(1))
        default: self = .other(code)
        }
    }
}

import Foundation

/// The deployment's settings, read and validated once at start.
public struct StatusConfig: Sendable {
    /// Where the server listens.
    public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// Reads "host:port" (or "[::1]:port"); nil when malformed.
        public init?(_ text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (0...65535).contains(port) else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") {
                host = String(host.dropFirst().dropLast())
            } else if host.contains(":") {
                // An IPv6 address without brackets ("::1") cannot be told from its port.
                return nil
            }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// How long raw results and history are kept.
    public struct Retention: Sendable, Hashable {
        public var resultDays: Int = 7
        public var historyDays: Int = 400
    }

    /// A product as configured, with its checks.
    public struct ProductEntry: Sendable, Hashable {
        public var slug: String
        public var name: String
        public var family: String
        public var position: Int
        public var visibility: Product.Visibility
        public var checks: [Check]

        /// The product as the store keeps it; `now` becomes its start of monitoring if it is new.
        public func product(now: Date) -> Product {
            Product(slug: slug, name: name, family: family, position: position, visibility: visibility,
                    monitoredSince: now, hasChecks: !checks.isEmpty)
        }
    }

    /// Where and how mail is sent, by SMTP.
    public struct SMTP: Sendable, Hashable {
        /// smtp://host[:port] (STARTTLS when offered) or smtps://host[:port]; may carry user:password.
        public var url: String
        /// The sender: "status@example.com" or "Statusd <status@example.com>".
        public var from: String
        public var username: String?
        public var password: String?
        /// Never send over an unencrypted session (STARTTLS required on smtp://).
        public var requireTLS = false
        /// One send's limit, connection included.
        public var timeout: Duration = .seconds(30)
        /// A PEM file of certificate authorities to trust instead of the system's.
        public var caFile: String?

        public init(url: String, from: String) {
            self.url = url
            self.from = from
        }
    }

    /// Where webhooks may go.
    public struct Webhooks: Sendable, Hashable {
        /// Let webhooks go to loopback, private and link-local addresses: only for deployments
        /// whose receivers are on the internal network.
        public var allowPrivateTargets = false
        /// "host:port" targets allowed whatever they resolve to, one internal receiver at a time.
        public var allowedTargets: [String] = []

        public init() {}
    }

    /// An OpenID Connect provider people may sign in with ("Continuer avec Google").
    public struct SignInProvider: Sendable, Hashable {
        /// A slug in the callback path, /login/oidc/{id}/callback: google, microsoft, keycloak...
        public var id: String
        /// The button's label: "Google".
        public var name: String
        /// The issuer URL, without a trailing slash; discovery is read from
        /// {issuer}/.well-known/openid-configuration and must name this very issuer.
        public var issuer: String
        public var clientID: String
        /// The client secret, from the file or from `clientSecretVariable` once the environment is read.
        public var clientSecret: String
        /// The environment variable the secret comes from (`client_secret_env`), if any.
        public var clientSecretVariable: String?
        /// Where `client_secret_env` was written, to name it when the variable is missing.
        var secretLine: Int?

        public init(id: String, name: String, issuer: String, clientID: String, clientSecret: String, clientSecretVariable: String? = nil) {
            self.id = id
            self.name = name
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.clientSecretVariable = clientSecretVariable
        }
    }

    public var file: String
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    public var baseURL = "http://127.0.0.1:8080"
    public var timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
    public var historyDays = 25
    public var databasePath = "data/statusd.sqlite"
    public var retention = Retention()
    public var products: [ProductEntry] = []
    /// Nil when no mail server is configured: mail then waits in the outbox, never lost.
    public var smtp: SMTP?
    public var webhooks = Webhooks()
    /// The proxies in front of statusd (canonical IP addresses): only their `X-Forwarded-For`
    /// names the client, for login throttling.
    public var trustedProxies: [String] = []
    /// The size limit and the types kept for article and ticket attachments.
    public var attachments = Attachments()
    /// The providers of "Continuer avec ..." on the login and activation pages; none by default.
    public var signInProviders: [SignInProvider] = []
    /// The vendor's name, logo, accent colour, footer links and support phone.
    public var branding = Branding()
    /// The knowledge base's categories (`knowledge_base:`).
    public var knowledgeBase = KnowledgeBase()
    /// The request forms of "Besoin d'aide ?" as written (`tickets_forms:`); nil reads
    /// `ticket-forms.yaml` beside this file when there is one (`ticketFormsFile`).
    public var ticketFormsPath: String?

    public init(file: String) {
        self.file = file
    }

    public var calendar: DayCalendar { DayCalendar(timeZone: timeZone) }
    /// The folder of the database file: attachments are kept beside it, under `blobs/`.
    public var dataFolder: String {
        let folder = (databasePath as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
    public var checks: [Check] { products.flatMap(\.checks) }

    /// The forms file, relative to this config's folder, and whether the config named it: a named
    /// file must be there (start is refused otherwise); the default one may be absent (then no
    /// ticket pages are served).
    public var ticketFormsFile: (path: String, named: Bool) {
        let written = ticketFormsPath ?? Self.defaultTicketForms
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let url = written.hasPrefix("/") ? URL(fileURLWithPath: written) : folder.appendingPathComponent(written)
        return (url.standardizedFileURL.path, ticketFormsPath != nil)
    }

    public static let defaultTicketForms = "ticket-forms.yaml"
}

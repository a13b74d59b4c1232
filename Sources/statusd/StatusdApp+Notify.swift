import Curl
import Logging
import Notify
import ServiceLifecycle
import StatusModel

extension StatusdApp {
    /// The mail delivery service when a mail server is configured; none otherwise, and mail
    /// waits in the outbox until one is (said once, at start).
    /// The mail delivery service, when SMTP is configured, and how to wake it after mail was queued.
    struct MailDelivery {
        var services: [any Service] = []
        var wake: @Sendable () -> Void = {}
    }

    static func mailDelivery(config: StatusConfig, database: SQLiteDatabase, logger: Logger) async throws -> MailDelivery {
        let outbox = SQLiteOutboxStore(database: database)
        guard let smtp = config.smtp else {
            let waiting = try await outbox.countsByState()[.pending] ?? 0
            logger.notice("no smtp in the config: mail waits in the outbox", metadata: ["waiting": "\(waiting)"])
            return MailDelivery()
        }
        if smtp.username != nil, !smtp.requireTLS, smtp.url.lowercased().hasPrefix("smtp:") {
            logger.warning("smtp logs in without require_tls: the password may cross the network unencrypted")
        }
        let sender = SMTPSender(url: smtp.url, username: smtp.username, password: smtp.password, requireTLS: smtp.requireTLS,
                                timeout: smtp.timeout, caFile: smtp.caFile)
        // The config checked the sender already; this only turns it into Notify's type.
        let composer = try MailComposer(from: fromHeader(config: config, smtp: smtp), baseURL: config.baseURL)
        var policy = DeliveryPolicy()
        // A send must end before its lease does, or another statusd process could send it too.
        policy.lease = max(policy.lease, smtp.timeout * 2)
        let delivery = DeliveryService(store: outbox, transport: sender, composer: composer, policy: policy, logger: logger)
        return MailDelivery(services: [delivery], wake: { delivery.wake() })
    }
}

extension StatusdApp {
    /// The From header: the branding's name on the configured address, so mails are signed as
    /// the pages are headed; `smtp.from` as written when the config names no brand.
    static func fromHeader(config: StatusConfig, smtp: StatusConfig.SMTP) -> String {
        guard config.branding.hasOwnName, let address = MailAddress(smtp.from)?.address else { return smtp.from }
        let named = "\(config.branding.name.fr) <\(address)>"
        return MailAddress(named) == nil ? smtp.from : named
    }
}

extension StatusdApp {
    /// Webhook delivery: always on (webhooks need no server of ours), on a curl loop of its own
    /// so slow receivers never hold up probes, and a loop apart from mail.
    static func webhookDelivery(config: StatusConfig, database: SQLiteDatabase, logger: Logger) -> WebhookDeliveryService<SQLiteOutboxStore> {
        let policy = webhookPolicy(config: config)
        if policy.allowPrivateTargets { logger.warning("webhooks may go to private and loopback addresses (webhooks.allow_private_targets)") }
        return WebhookDeliveryService(store: SQLiteOutboxStore(database: database), sender: WebhookSender(policy: policy), logger: logger)
    }

    /// Where webhooks may go, as the config says: the same rule when a subscriber registers a URL and at each delivery.
    static func webhookPolicy(config: StatusConfig) -> WebhookTargetPolicy {
        WebhookTargetPolicy(allowPrivateTargets: config.webhooks.allowPrivateTargets, allowedTargets: Set(config.webhooks.allowedTargets))
    }
}

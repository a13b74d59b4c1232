import Foundation
import Logging
import Portal
import StatusModel
import StatusWeb

extension StatusdApp {
    /// The request forms of "Besoin d'aide ?" (`tickets_forms:`, by default `ticket-forms.yaml`
    /// beside the config): a named file must be there and right; without the default one the
    /// site serves no ticket pages (nil).
    static func ticketForms(config: StatusConfig) throws(ConfigError) -> TicketForms? {
        let (path, named) = config.ticketFormsFile
        guard named || FileManager.default.fileExists(atPath: path) else { return nil }
        return try TicketFormsReader.load(file: path)
    }

    static func ticketService(config: StatusConfig, database: SQLiteDatabase, forms: TicketForms) -> TicketService {
        TicketService(store: SQLiteTicketStore(database: database), accounts: SQLiteAccountStore(database: database), forms: forms,
                      baseURL: config.baseURL, siteName: config.branding.name,
                      activity: activityLog(database: database), notifier: notifier(database: database))
    }

    /// The pages' ticket site, or nil (logged) when the config has no forms file.
    static func ticketSite(config: StatusConfig, database: SQLiteDatabase, logger: Logger) throws -> TicketSite? {
        guard let forms = try ticketForms(config: config) else {
            logger.notice("no ticket forms: /help and /requests are not served",
                          metadata: ["looked for": "\(config.ticketFormsFile.path)", "config key": "tickets_forms"])
            return nil
        }
        return TicketSite(service: ticketService(config: config, database: database, forms: forms))
    }
}

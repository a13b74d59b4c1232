import Foundation
import TestSupport
import Testing

/// Maintenance, incidents and subscriptions walked in headless Chromium, with the subscriber's
/// mail read where a person reads it: from a real SMTP server on loopback.
@Suite struct AnnouncementBrowserTests {
    @Test func visitorSubscribesAndHearsOfEachUpdateOfTheProductTheyFollow() async throws {
        let smtp = try await SMTPServer()
        let workspace = try Workspace(config: "database: $DATABASE\nbase_url: http://127.0.0.1:1\n")
        let port = try await workspace.freePort()
        let base = "http://127.0.0.1:\(port)"
        try """
            database: \(workspace.databasePath)
            listen: 127.0.0.1:\(port)
            base_url: \(base)
            time_zone: UTC
            smtp:
              url: \(smtp.url)
              from: statut@vendor.fr
            products:
              - slug: loop
                name: Cegid Loop
                family: Finance
                position: 1
              - slug: stream
                name: Cegid Stream
                family: Finance
                position: 2
            """.write(toFile: workspace.configPath, atomically: true, encoding: .utf8)

        let created = try await StatusdBinary.runAsync(["user", "create", "--config", workspace.configPath,
                                                        "--email", "operateur@vendor.fr", "--role", "operator"])
        #expect(created.status == 0, "\(created.stderr)")
        let operatorLink = try #require(created.stdout.split(separator: "\n").last.map(String.init))

        let server = try await RunningServer.start(configPath: workspace.configPath, stderrPath: workspace.folder.appendingPathComponent("stderr.log").path,
                                                   environment: ["STATUSD_LISTEN": "127.0.0.1:\(port)"])
        let mailbox = try workspace.mailbox(smtp)

        let walk = try await BrowserTests.runScript("Tests/Browser/announcements_walk.py", [server.baseURL, mailbox, operatorLink])
        #expect(walk.status == 0, "announcements walk failed:\n\(walk.output)")
        #expect(walk.output.contains("6 passed, 0 failed"), "\(walk.output)")
        _ = try await server.stopped()

        // The visitor got the confirmation, then one mail per event of the product they follow
        // (the maintenance, the incident and its two updates), none for the other product's
        // incident and none after unsubscribing; each in French, from the configured sender.
        let mails = try smtp.messages().filter { $0.recipients == ["visiteur@client.fr"] }
        let subjects = mails.map { $0.subject ?? "" }
        #expect(subjects == [
            "Confirmez votre inscription aux mises à jour de statut de statusd",
            "[Maintenance planifiée] Migration de la base · statusd",
            "[Incident] Lenteurs <b>Loop</b> {{secret}} · statusd",
            "[Mise à jour] Lenteurs <b>Loop</b> {{secret}} · statusd",
            "[Résolu] Lenteurs <b>Loop</b> {{secret}} · statusd",
        ])
        #expect(mails.allSatisfy { $0.mailFrom == "statut@vendor.fr" && $0.defects.isEmpty && $0.header("Content-Language") == ["fr"] })
        for update in mails.dropFirst() {
            let unsubscribe = try #require(update.header("List-Unsubscribe").first)
            #expect(unsubscribe.hasPrefix("<\(base)/subscriptions/") && unsubscribe.hasSuffix("/unsubscribe?lang=fr>"))
            #expect(update.header("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
            // User text is escaped in the HTML part and never read as a template.
            let html = update.html ?? ""
            #expect(!html.contains("<b>Loop</b>"))
            if update.subject?.contains("Lenteurs") == true {
                #expect(html.contains("Lenteurs &lt;b&gt;Loop&lt;/b&gt; {{secret}}"))
            }
            #expect((update.text ?? "").contains("\(base)/products/loop"))
        }
    }
}

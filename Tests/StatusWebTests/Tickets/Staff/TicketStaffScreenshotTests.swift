import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import StatusModel
import StatusWeb
import Testing
import TestSupport

/// The queue and a ticket's page in headless Chromium at 1280 and 390 px, saved to the folder
/// `STATUSD_TICKET_SCREENSHOTS` names (run it on purpose: it needs chromium and selenium).
@Suite struct TicketStaffScreenshotTests {
    static let folder = ProcessInfo.processInfo.environment["STATUSD_TICKET_SCREENSHOTS"]

    @Test(.enabled(if: folder != nil)) func theQueueAndATicketFitAt1280AndOnAPhone() async throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let world = try await TicketStaffWorld()
        let agent = world.fixture.agent
        let number = world.memberIncidentTicket.number
        _ = try await world.service.assign(number, to: agent.user.id, by: agent.user)
        _ = try await world.service.note(number, body: "Le fournisseur d'hébergement confirme une saturation du stockage ; ne pas promettre de délai.",
                                         attachments: [], by: agent.user)
        _ = try await world.service.reply(number, body: "Bonjour,\nNous reproduisons le problème et revenons vers vous dans l'heure.",
                                          attachments: [], by: agent.user, reader: .staff)
        _ = try await world.service.changePriority(number, to: .high, reason: "Contournement trouvé par le client", by: agent.user)
        _ = try await world.service.linkIncident(number, incidentID: world.incident.id, by: agent.user)
        _ = try await world.service.assign(world.tenantBIncidentTicket.number, to: world.fixture.operatorLogin.user.id, by: agent.user)
        for index in 1...8 {
            _ = try await world.service.open(
                TicketRequest(type: "administrative", theme: "billing",
                              description: "Demande \(index) : la facture FA-2026-\(1000 + index) porte une adresse de livraison erronée."),
                by: world.fixture.member.user, tenantID: world.tenantA.id, allowedProducts: ["loop"])
        }
        // A blocking incident nobody answered: late once the clock moves on.
        _ = try await world.service.open(TicketRequest(type: "incident", productSlug: "stream", impact: "blocking",
                                                       description: "Plus aucun export ne part depuis 8 h."),
                                         by: world.tenantBAdmin.user, tenantID: world.tenantB.id, allowedProducts: ["stream"])
        world.fixture.clock.advance(by: 2 * 3600)
        try await Application(router: buildRouter(site: world.site)).test(.live) { client in
            let port = try #require(client.port)
            let walk = try await offloaded { () throws -> (Int32, String) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
                let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().deletingLastPathComponent()
                process.arguments = [root.appendingPathComponent("Tests/Browser/tickets_staff_screenshots.py").path,
                                     "http://127.0.0.1:\(port)", agent.session, number.description, folder]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return (process.terminationStatus, String(decoding: output, as: UTF8.self))
            }
            #expect(walk.0 == 0 && walk.1.contains("4 passed, 0 failed"), "\(walk.1)")
        }
    }
}

import Foundation
import GRDB
import Logging
import Notify
import Portal
import StatusModel
import TestSupport
import Testing

/// The bell over a real SQLite database: a notification and its mail in one transaction, the
/// user's choice per kind, the unread count, and nobody reading or marking another's.
@Suite struct NotificationStoreTests {
    struct World {
        let fixture: PortalFixture
        let store: SQLiteNotificationStore
        let notifier: Notifier
        let ada: User, bob: User

        init() async throws {
            fixture = try PortalFixture()
            store = SQLiteNotificationStore(database: fixture.database)
            let clock = fixture.clock
            notifier = Notifier(store: store, clock: { clock.now })
            let tenant = try await fixture.tenant()
            ada = try await fixture.activeUser("ada@client.fr", tenant: tenant)
            bob = try await fixture.activeUser("bob@client.fr", tenant: tenant)
        }

        /// Mails queued after the activations.
        func mails(to email: String) async throws -> [Mail] {
            try await fixture.mails(to: email).filter { !$0.subject.lowercased().contains("activ") }
        }

        func mail(to user: User) -> Mail { Mail(to: user.email, subject: "Votre accès est accepté", text: "Bonjour", language: "fr") }
    }

    @Test func aNotificationAndItsMailAreWrittenTogetherOrNotAtAll() async throws {
        let world = try await World()
        try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: "Accès accepté", link: "/account/services",
                                        mail: world.mail(to: world.ada))
        #expect(try await world.notifier.notifications(userID: world.ada.id).map(\.title) == ["Accès accepté"])
        #expect(try await world.mails(to: world.ada.email).count == 1, "the default for decisions is both")

        // A mail no server could take fails the delivery: the notification is not written either.
        let broken = Mail(to: "not an address\n", subject: "x", text: "x", language: "fr")
        await #expect(throws: MailError.self) {
            try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: "Deuxième", mail: broken)
        }
        #expect(try await world.notifier.notifications(userID: world.ada.id).map(\.title) == ["Accès accepté"], "rolled back with its mail")
    }

    @Test func eachKindGoesTheWayTheUserChose() async throws {
        let world = try await World()
        try await world.notifier.setDelivery(.portal, for: .serviceDecision, userID: world.ada.id)
        try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: "Portail seulement", mail: world.mail(to: world.ada))
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 1)
        #expect(try await world.mails(to: world.ada.email).isEmpty, "portal only: no mail")

        try await world.notifier.setDelivery(.mail, for: .ticketUpdate, userID: world.ada.id)
        try await world.notifier.notify(userID: world.ada.id, kind: .ticketUpdate, title: "Mail seulement", mail: world.mail(to: world.ada))
        #expect(try await world.notifier.notifications(userID: world.ada.id).map(\.title) == ["Portail seulement"], "mail only: no notification")
        #expect(try await world.mails(to: world.ada.email).count == 1)

        let chosen = try await world.notifier.deliveries(userID: world.ada.id)
        #expect(chosen == [.serviceDecision: .portal, .ticketUpdate: .mail, .statusEvent: .portal], "status events keep their default")
        #expect(try await world.notifier.deliveries(userID: world.bob.id)[.serviceDecision] == .both, "Bob chose nothing")
    }

    @Test func readingLowersTheCountAndAnotherUsersNotificationIsNeverTouched() async throws {
        let world = try await World()
        for title in ["Un", "Deux", "Trois"] {
            try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: title, mail: nil)
            world.fixture.clock.advance(60)
        }
        let list = try await world.notifier.notifications(userID: world.ada.id)
        #expect(list.map(\.title) == ["Trois", "Deux", "Un"], "newest first")
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 3)

        #expect(try await world.notifier.markRead(id: list[0].id, userID: world.bob.id) == false, "not Bob's")
        #expect(try await world.notifier.notification(id: list[0].id, userID: world.bob.id) == nil)
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 3, "nothing changed")

        #expect(try await world.notifier.markRead(id: list[0].id, userID: world.ada.id))
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 2)
        try await world.notifier.markAllRead(userID: world.ada.id)
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 0)
        #expect(try await world.notifier.notifications(userID: world.ada.id).allSatisfy(\.isRead))
    }

    @Test func somethingToldOnceIsNotToldAgain() async throws {
        let world = try await World()
        #expect(try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: "Une fois", mail: world.mail(to: world.ada),
                                                once: "event:1:ada"))
        #expect(try await world.notifier.notify(userID: world.ada.id, kind: .serviceDecision, title: "Une fois", mail: world.mail(to: world.ada),
                                                once: "event:1:ada") == false)
        #expect(try await world.notifier.unreadCount(userID: world.ada.id) == 1)
        #expect(try await world.mails(to: world.ada.email).count == 1)
    }
}

/// The users' own trail over a real SQLite database.
@Suite struct ActivityStoreTests {
    @Test func eachUserReadsTheirOwnTrailNewestFirstAPageAtATime() async throws {
        let fixture = try PortalFixture()
        let clock = fixture.clock
        let log = ActivityLog(store: SQLiteActivityStore(database: fixture.database), clock: { clock.now })
        let tenant = try await fixture.tenant()
        let ada = try await fixture.activeUser("ada@client.fr", tenant: tenant)
        let bob = try await fixture.activeUser("bob@client.fr", tenant: tenant)
        for index in 1...5 {
            await log.record(userID: ada.id, tenantID: tenant.id, .ticketOpened, subject: "CS000000\(index)", link: "/requests/CS000000\(index)")
            clock.advance(60)
        }
        await log.record(userID: bob.id, .signedIn)
        let first = try await log.activity(userID: ada.id, limit: 3)
        #expect(first.map(\.subject) == ["CS0000005", "CS0000004", "CS0000003"])
        let older = try await log.activity(userID: ada.id, limit: 3, before: first.last?.at)
        #expect(older.map(\.subject) == ["CS0000002", "CS0000001"])
        #expect(try await log.activity(userID: bob.id).map(\.kind) == [.signedIn])
    }

    @Test func signInsAndPasswordChangesAreInTheTrail() async throws {
        let fixture = try PortalFixture()
        let clock = fixture.clock
        let log = ActivityLog(store: SQLiteActivityStore(database: fixture.database), clock: { clock.now })
        let accounts = AccountService(store: fixture.store, baseURL: PortalFixture.baseURL, passwords: PasswordHasher(cost: 4),
                                      clock: { clock.now }, activity: log)
        let tenant = try await fixture.tenant()
        let ada = try await fixture.activeUser("ada@client.fr", tenant: tenant)
        guard case .success(let session, let user, _) = try await accounts.login(email: ada.email, password: "Secret#2026", clientAddress: "a") else {
            throw SupportError("login failed")
        }
        clock.advance(60)
        try await accounts.changePassword(user: user, sessionID: session, currentPassword: "Secret#2026", password: "Autre#Secret2027",
                                          confirmation: "Autre#Secret2027")
        clock.advance(60)
        _ = try await accounts.updateProfile(of: user, .init(firstName: "Ada", lastName: "King", phone: "+33 1 23 45 67 89", language: "en"))
        #expect(try await log.activity(userID: ada.id).map(\.kind) == [.profileChanged, .passwordChanged, .signedIn])
        #expect(try await fixture.store.user(id: ada.id)?.language == "en")
    }

    @Test func aProfileEditIsCheckedFieldByField() async throws {
        let fixture = try PortalFixture()
        let tenant = try await fixture.tenant()
        let ada = try await fixture.activeUser("ada@client.fr", tenant: tenant)
        await #expect(throws: FormErrors("phone", "profile_error_phone")) {
            try await fixture.accounts.updateProfile(of: ada, .init(firstName: "Ada", lastName: "King", phone: "appelez-moi", language: "fr"))
        }
        var tooLong = FormErrors("lastName", "profile_error_too_long")
        tooLong.add("language", "profile_error_language")
        await #expect(throws: tooLong) {
            try await fixture.accounts.updateProfile(of: ada, .init(firstName: "Ada", lastName: String(repeating: "x", count: 101), phone: "0102030405",
                                                                    language: "de"))
        }
        #expect(try await fixture.store.user(id: ada.id)?.lastName == "Lovelace", "nothing saved")
    }
}

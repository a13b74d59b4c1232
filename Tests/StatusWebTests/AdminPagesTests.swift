import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notify
import Portal
import StatusModel
import StatusWeb
import Testing

/// The tenant administration's pages ("Gestion des comptes"): the side menu marks the current
/// page, the dashboard's cards lead to their lists, the user list shows the filters in force,
/// destructive actions ask first (no-script confirmation page), and administrators subscribe
/// users or a group to a service and take it away. Another tenant's objects: 404, nothing changed.
@Suite struct AdminPagesTests {
    typealias World = ServiceRoutesTests.World

    static func get(_ client: any TestClientProtocol, _ uri: String, _ session: String) async throws -> (HTTPResponse.Status, String) {
        try await ServiceRoutesTests.get(client, uri, session)
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ session: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
        try await ServiceRoutesTests.post(client, uri, session, body)
    }

    static func service(_ world: World, _ name: String = "Cegid Stream") async throws -> Service {
        try await world.catalog.createService(.init(name: name, family: "Services en ligne", description: ""), by: world.staff.user)
    }

    /// The states of `user`'s subscriptions in `tenant`, newest first.
    static func states(_ world: World, _ user: User, _ tenant: Tenant) async throws -> [ServiceSubscription.State] {
        try await SQLiteServiceStore(database: world.base.database).subscriptions(userID: user.id, tenantID: tenant.id).map(\.state)
    }

    @Test func theDashboardsCardsCountAndLeadToTheirListsAndTheMenuMarksThePage() async throws {
        let world = try await World()
        _ = try await world.pendingRequest()
        let admin = world.base.adminA
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin", admin.session)
            #expect(status == .ok)
            #expect(html.contains("<a href=\"/admin/users\" class=\"admin-card\" id=\"card-users\"><strong id=\"count-users\">2</strong> <span>Utilisateurs</span>"))
            #expect(html.contains("<a href=\"/admin/users?role=admin\" class=\"admin-card\" id=\"card-admins\"><strong id=\"count-admins\">1</strong>"))
            #expect(html.contains("<a href=\"/admin/requests\" class=\"admin-card\" id=\"card-new-requests\"><strong id=\"count-new-requests\">1</strong> <span>Nouvelles demandes d&#39;abonnement aux services</span>")
                    || html.contains("id=\"count-new-requests\">1</strong> <span>Nouvelles demandes d&#x27;abonnement aux services"))
            #expect(html.contains("<a href=\"/admin/services\" class=\"admin-card\" id=\"card-services\"><strong id=\"count-services\">0</strong>"))
            #expect(html.contains("id=\"nav-dashboard\" aria-current=\"page\""))
            #expect(!html.contains("id=\"nav-users\" aria-current"))
            #expect(html.contains("+ Inviter des utilisateurs"))
            for (uri, entry) in [("/admin/users", "users"), ("/admin/users/invite", "invite"), ("/admin/groups", "groups"),
                                 ("/admin/services", "services"), ("/admin/requests", "requests"), ("/admin/api-keys", "keys"),
                                 ("/admin/notifications", "notifications")] {
                (status, html) = try await Self.get(client, uri, admin.session)
                #expect(status == .ok, "\(uri)")
                #expect(html.contains("id=\"nav-\(entry)\" aria-current=\"page\""), "\(uri)")
                // One in the side menu, and "Administration" in the site's menu.
                #expect(html.contains("id=\"menu-admin\" href=\"/admin\" aria-current=\"page\""), "\(uri)")
                #expect(html.components(separatedBy: "aria-current=\"page\"").count == 3, "one current entry per menu on \(uri)")
            }
            (status, html) = try await Self.get(client, "/admin?lang=en", admin.session)
            #expect(html.contains("New service subscription requests"))
            #expect(html.contains("+ Invite users"))
        }
    }

    @Test func theUserListShowsTheFiltersInForceAsSelectedAndAsRemovableChips() async throws {
        let world = try await World()
        _ = try await world.base.accounts.invite("new@a.fr", tenantID: world.base.tenantA.id, language: "fr",
                                                 invitedBy: Inviter(name: "T", email: "t@a.fr"))
        let admin = world.base.adminA
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/users", admin.session)
            #expect(status == .ok)
            #expect(!html.contains("id=\"filter-chips\""), "no filter, no chips")
            #expect(html.contains("<option value=\"\" selected>Tous</option>"))
            (status, html) = try await Self.get(client, "/admin/users?state=pending", admin.session)
            #expect(html.contains("<option value=\"pending\" selected>En attente d&#39;activation</option>")
                    || html.contains("<option value=\"pending\" selected>En attente d&#x27;activation</option>"))
            #expect(html.contains("data-email=\"new@a.fr\""))
            #expect(!html.contains("data-email=\"member@a.fr\""))
            #expect(html.contains("class=\"chip\""))
            #expect(html.contains("href=\"/admin/users\" id=\"filter-clear\">Effacer les filtres</a>"))
            (status, html) = try await Self.get(client, "/admin/users?role=admin&q=adm", admin.session)
            #expect(html.contains("<option value=\"admin\" selected>Administrateurs</option>"))
            #expect(html.contains("value=\"adm\""))
            #expect(html.contains("data-email=\"admin@a.fr\"") && !html.contains("data-email=\"member@a.fr\""))
            // Each chip takes its own filter away and keeps the other.
            #expect(html.contains("<a href=\"/admin/users?role=admin\" class=\"chip\""))
            #expect(html.contains("<a href=\"/admin/users?q=adm\" class=\"chip\""))
            // The old list's one filter still works, and shows as the filter in force.
            (status, html) = try await Self.get(client, "/admin/users?filter=nonadmin", admin.session)
            #expect(html.contains("<option value=\"member\" selected>Non administrateurs</option>"))
            #expect(!html.contains("data-email=\"admin@a.fr\""))
        }
    }

    @Test func removingAUserAsksFirstAndWithoutConfirmationNothingChanges() async throws {
        let world = try await World()
        let admin = world.base.adminA, member = world.base.memberA.user
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/users", admin.session)
            #expect(html.contains("action=\"/admin/users/\(member.id)/remove\" class=\"inline\" data-confirm=\"Retirer member@a.fr du compte client ?"))
            #expect(html.contains("class=\"danger\" id=\"remove-\(member.id)\""))
            (status, html) = try await Self.post(client, "/admin/users/\(member.id)/remove", admin.session, "csrf=\(admin.csrf)")
            #expect(status == .ok)
            #expect(html.contains("id=\"confirm-question\">Retirer member@a.fr du compte client ?"))
            #expect(html.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await world.base.accounts.members(tenantID: world.base.tenantA.id).count == 2, "asked, not done")
            (status, html) = try await Self.post(client, "/admin/users/\(member.id)/remove", admin.session, "csrf=\(admin.csrf)&confirmed=yes")
            #expect(status == .ok)
            #expect(html.contains("L&#39;utilisateur a été retiré du compte client.") || html.contains("L&#x27;utilisateur a été retiré"))
        }
        #expect(try await world.base.accounts.members(tenantID: world.base.tenantA.id).map(\.user.email) == ["admin@a.fr"])
    }

    @Test func anotherTenantsUserIsNeverRemovedEvenConfirmed() async throws {
        let world = try await World()
        let before = try await world.base.membersOfB()
        let admin = world.base.adminA
        try await world.test { client in
            let (status, _) = try await Self.post(client, "/admin/users/\(world.base.memberB.id)/remove", admin.session, "csrf=\(admin.csrf)&confirmed=yes")
            #expect(status == .notFound)
        }
        #expect(try await world.base.membersOfB() == before)
    }

    @Test func theInvitationHasItsOwnPageAndABadListComesBackWithItsMessage() async throws {
        let world = try await World()
        let admin = world.base.adminA
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/users/invite", admin.session)
            #expect(status == .ok)
            #expect(html.contains("<form method=\"post\" action=\"/admin/users/invite\""))
            (status, html) = try await Self.post(client, "/admin/users/invite", admin.session, "csrf=\(admin.csrf)&emails=")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"emails-error\">Saisissez au moins une adresse."))
            (status, html) = try await Self.post(client, "/admin/users/invite", admin.session,
                                                 "csrf=\(admin.csrf)&emails=one%40a.fr%2C+two%40a.fr%2C+nope&language=fr")
            #expect(status == .ok)
            #expect(html.contains("id=\"notice\" role=\"status\">2 invitation(s) envoyée(s)."))
            #expect(html.contains("nope : adresse non valide"))
            #expect(html.contains("data-email=\"two@a.fr\""), "back on the list, the new users in it")
        }
    }

    @Test func groupsHaveTheirPageWithTheirMembers() async throws {
        let world = try await World()
        let admin = world.base.adminA
        let group = try await world.base.accounts.createGroup(tenantID: world.base.tenantA.id, name: "Comptabilité")
        try await world.base.accounts.setGroupMember(groupID: group.id, userID: world.base.memberA.user.id, tenantID: world.base.tenantA.id, member: true)
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/groups", admin.session)
            #expect(status == .ok)
            #expect(html.contains("data-group=\"\(group.id)\"><h2>Comptabilité"))
            #expect(html.contains("data-member=\"member@a.fr\""))
            (status, html) = try await Self.post(client, "/admin/groups", admin.session, "csrf=\(admin.csrf)&groupName=comptabilit%C3%A9")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"groupName-error\">Un groupe porte déjà ce nom."))
            #expect(html.contains("value=\"comptabilité\""), "the input is kept")
        }
    }

    @Test func aKeyIsShownOnceAndItsRevocationAsksFirst() async throws {
        let world = try await World()
        let admin = world.base.adminA
        try await world.test { client in
            var (status, html) = try await Self.post(client, "/admin/api-keys", admin.session, "csrf=\(admin.csrf)&keyName=ERP")
            #expect(status == .ok)
            #expect(html.contains("id=\"new-key\">sd_"))
            (status, html) = try await Self.get(client, "/admin/api-keys", admin.session)
            #expect(!html.contains("id=\"new-key\""), "shown once")
            let key = try #require(try await world.base.accounts.apiKeys(tenantID: world.base.tenantA.id).first)
            #expect(html.contains("data-confirm=\"Révoquer la clé « ERP » ?"))
            (status, html) = try await Self.post(client, "/admin/api-keys/\(key.id)/revoke", admin.session, "csrf=\(admin.csrf)")
            #expect(html.contains("id=\"confirm-question\">Révoquer la clé « ERP »"))
            #expect(try await world.base.accounts.apiKeys(tenantID: world.base.tenantA.id).first?.revokedAt == nil)
            // B's administrator, confirmed or not: 404, the key stays.
            (status, _) = try await Self.post(client, "/admin/api-keys/\(key.id)/revoke", world.adminB.session, "csrf=\(world.adminB.csrf)&confirmed=yes")
            #expect(status == .notFound)
            #expect(try await world.base.accounts.apiKeys(tenantID: world.base.tenantA.id).first?.revokedAt == nil)
            (status, html) = try await Self.post(client, "/admin/api-keys/\(key.id)/revoke", admin.session, "csrf=\(admin.csrf)&confirmed=yes")
            #expect(status == .ok)
            #expect(html.contains("La clé a été révoquée."))
        }
        #expect(try await world.base.accounts.apiKeys(tenantID: world.base.tenantA.id).first?.revokedAt != nil)
    }

    @Test func anAdministratorSubscribesUsersAtOnceAndTakesTheServiceAway() async throws {
        let world = try await World()
        let admin = world.base.adminA, member = world.base.memberA.user
        let service = try await Self.service(world)
        try await world.test { client in
            var (status, html) = try await Self.post(client, "/admin/services/grant", admin.session, "csrf=\(admin.csrf)&service=\(service.id)")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"users-error\">Cochez au moins un utilisateur."))
            (status, html) = try await Self.post(client, "/admin/services/grant", admin.session, "csrf=\(admin.csrf)&users%5B%5D=\(member.id)")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"service-error\">Ce champ est obligatoire."))
            (status, html) = try await Self.post(client, "/admin/services/grant", admin.session,
                                                 "csrf=\(admin.csrf)&service=\(service.id)&users%5B%5D=\(member.id)&users%5B%5D=\(admin.user.id)")
            #expect(status == .ok)
            #expect(html.contains("2 utilisateur(s) abonné(s) à Cegid Stream."))
            #expect(html.contains("data-email=\"member@a.fr\" data-state=\"accepted\""))
            (status, html) = try await Self.post(client, "/admin/services/grant", admin.session,
                                                 "csrf=\(admin.csrf)&service=\(service.id)&users%5B%5D=\(member.id)")
            #expect(html.contains("0 utilisateur(s) abonné(s) à Cegid Stream. 1 l&#39;avai(en)t déjà.") || html.contains("1 l&#x27;avai(en)t déjà."))
            (status, html) = try await Self.get(client, "/admin", admin.session)
            #expect(html.contains("<strong id=\"count-services\">1</strong>"))
            let subscription = try #require(try await world.catalog.requests(tenantID: world.base.tenantA.id, by: admin.user)
                .first { $0.requester.id == member.id })
            #expect(subscription.subscription.state == .accepted)
            (status, html) = try await Self.post(client, "/admin/services/\(subscription.id)/withdraw", admin.session, "csrf=\(admin.csrf)")
            #expect(status == .ok)
            #expect(html.contains("id=\"confirm-question\">Retirer le service Cegid Stream à member@a.fr ?"))
            #expect(try await Self.states(world, member, world.base.tenantA) == [.accepted], "asked, not done")
            (status, html) = try await Self.post(client, "/admin/services/\(subscription.id)/withdraw", admin.session, "csrf=\(admin.csrf)&confirmed=yes")
            #expect(status == .ok)
            #expect(html.contains("Service Cegid Stream retiré à member@a.fr."))
            #expect(!html.contains("data-email=\"member@a.fr\" data-state"))
            (status, _) = try await Self.post(client, "/admin/services/\(subscription.id)/withdraw", admin.session, "csrf=\(admin.csrf)&confirmed=yes")
            #expect(status == .notFound, "gone")
            (status, html) = try await Self.get(client, "/services", world.base.memberA.session)
            #expect(html.contains("action=\"/services/\(service.id)/request\""), "the member may ask for it again")
        }
        #expect(try await Self.states(world, member, world.base.tenantA) == [])
    }

    @Test func aGrantAcceptsAPendingRequestAndAGroupIsExpandedToItsMembers() async throws {
        let world = try await World()
        let admin = world.base.adminA
        let (service, request) = try await world.pendingRequest()
        let group = try await world.base.accounts.createGroup(tenantID: world.base.tenantA.id, name: "Tous")
        for user in [world.base.memberA.user, admin.user] {
            try await world.base.accounts.setGroupMember(groupID: group.id, userID: user.id, tenantID: world.base.tenantA.id, member: true)
        }
        try await world.test { client in
            let (status, html) = try await Self.post(client, "/admin/services/grant-group", admin.session,
                                                     "csrf=\(admin.csrf)&service=\(service.id)&group=\(group.id)")
            #expect(status == .ok)
            #expect(html.contains("2 utilisateur(s) abonné(s) à Cegid Stream."))
        }
        #expect(try await world.stateOf(request.id) == .accepted, "the pending request is the one accepted")
        #expect(try await Self.states(world, admin.user, world.base.tenantA) == [.accepted])
    }

    @Test func anotherTenantsUsersGroupsAndSubscriptionsAre404AndNothingChanges() async throws {
        let world = try await World()
        let service = try await Self.service(world)
        let groupB = try await world.base.accounts.createGroup(tenantID: world.base.tenantB.id, name: "B")
        try await world.base.accounts.setGroupMember(groupID: groupB.id, userID: world.base.memberB.id, tenantID: world.base.tenantB.id, member: true)
        let held = try await world.catalog.grant(serviceID: service.id, userIDs: [world.base.memberA.user.id], by: world.base.adminA.user,
                                                 tenantID: world.base.tenantA.id)
        #expect(held.granted.map(\.email) == ["member@a.fr"])
        let subscription = try #require(try await world.catalog.requests(tenantID: world.base.tenantA.id, by: world.base.adminA.user).first)
        let admin = world.base.adminA
        try await world.test { client in
            // A's administrator: B's user (alone or beside A's own), B's group.
            for body in ["users%5B%5D=\(world.base.memberB.id)", "users%5B%5D=\(world.base.memberB.id)&users%5B%5D=\(admin.user.id)"] {
                let (status, _) = try await Self.post(client, "/admin/services/grant", admin.session, "csrf=\(admin.csrf)&service=\(service.id)&\(body)")
                #expect(status == .notFound, "\(body)")
            }
            var (status, _) = try await Self.post(client, "/admin/services/grant-group", admin.session,
                                                  "csrf=\(admin.csrf)&service=\(service.id)&group=\(groupB.id)")
            #expect(status == .notFound)
            // B's administrator on A's subscription.
            (status, _) = try await Self.post(client, "/admin/services/\(subscription.id)/withdraw", world.adminB.session,
                                              "csrf=\(world.adminB.csrf)&confirmed=yes")
            #expect(status == .notFound)
            let (_, html) = try await Self.get(client, "/admin/services", world.adminB.session)
            #expect(!html.contains("member@a.fr"), "B's administrator never sees A's holders")
            // A member is not an administrator; a retired service or an unknown one is not offered.
            (status, _) = try await Self.post(client, "/admin/services/grant", world.base.memberA.session,
                                              "csrf=\(world.base.memberA.csrf)&service=\(service.id)&users%5B%5D=\(world.base.memberA.user.id)")
            #expect(status == .forbidden)
            (status, _) = try await Self.post(client, "/admin/services/grant", admin.session, "csrf=\(admin.csrf)&service=9999&users%5B%5D=\(admin.user.id)")
            #expect(status == .notFound)
            (status, _) = try await Self.post(client, "/admin/services/grant", admin.session, "csrf=forged&service=\(service.id)&users%5B%5D=\(admin.user.id)")
            #expect(status == .forbidden)
        }
        #expect(try await Self.states(world, world.base.memberB, world.base.tenantB) == [])
        #expect(try await Self.states(world, world.base.adminA.user, world.base.tenantA) == [])
        #expect(try await Self.states(world, world.base.memberA.user, world.base.tenantA) == [.accepted])
    }

    @Test func aRefusalNeedsItsReasonOnItsOwnPageWithoutAScript() async throws {
        let world = try await World()
        let (_, request) = try await world.pendingRequest()
        let admin = world.base.adminA
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/requests", admin.session)
            #expect(html.contains("href=\"/admin/requests/\(request.id)/refuse\" class=\"button secondary\" id=\"refuse-\(request.id)\" data-admin-dialog=\"refuse-dialog-\(request.id)\""))
            #expect(html.contains("<dialog id=\"refuse-dialog-\(request.id)\""))
            (status, html) = try await Self.get(client, "/admin/requests/\(request.id)/refuse", admin.session)
            #expect(status == .ok)
            #expect(html.contains("id=\"refuse-what\">Cegid Stream"))
            (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/refuse", admin.session, "csrf=\(admin.csrf)&reason=+")
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"reason-error\">Ce champ est obligatoire."))
            #expect(try await world.stateOf(request.id) == .pending)
            (status, _) = try await Self.get(client, "/admin/requests/\(request.id)/refuse", world.adminB.session)
            #expect(status == .notFound, "another tenant's request")
            (status, _) = try await Self.post(client, "/admin/requests/\(request.id)/refuse", world.adminB.session, "csrf=\(world.adminB.csrf)&reason=")
            #expect(status == .notFound, "another tenant's request, even without a reason")
            (status, html) = try await Self.post(client, "/admin/requests/\(request.id)/refuse", admin.session, "csrf=\(admin.csrf)&reason=Licences")
            #expect(status == .ok)
            #expect(html.contains("Demande refusée : Cegid Stream"))
        }
        #expect(try await world.stateOf(request.id) == .refused)
    }

    @Test func theOldDecisionAddressesGoToTheRequestsPage() async throws {
        let world = try await World()
        let (_, request) = try await world.pendingRequest()
        let admin = world.base.adminA
        try await world.test { client in
            let (headers, body) = TenantIsolationTests.form(admin.session, "csrf=\(admin.csrf)")
            try await client.execute(uri: "/admin/services/\(request.id)/accept", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .permanentRedirect)
                #expect(response.headers[.location] == "/admin/requests/\(request.id)/accept")
            }
        }
        #expect(try await world.stateOf(request.id) == .pending)
    }

    @Test func administratorsWhoAskForItGetAMailForEachNewRequest() async throws {
        let world = try await World()
        let admin = world.base.adminA
        let service = try await Self.service(world)
        try await world.test { client in
            var (status, html) = try await Self.get(client, "/admin/notifications", admin.session)
            #expect(status == .ok)
            #expect(html.contains("name=\"requestMail[]\" value=\"\(admin.user.id)\" id=\"request-mail-\(admin.user.id)\">"), "off by default")
            // A member of the tenant, or B's administrator, cannot be ticked: 404, nothing changes.
            for other in [world.base.memberA.user.id, world.base.adminB.id] {
                (status, _) = try await Self.post(client, "/admin/notifications", admin.session,
                                                  "csrf=\(admin.csrf)&requestMail%5B%5D=\(admin.user.id)&requestMail%5B%5D=\(other)")
                #expect(status == .notFound)
            }
            #expect(try await world.catalog.requestMailRecipients(tenantID: world.base.tenantA.id, by: admin.user).isEmpty)
            (status, html) = try await Self.post(client, "/admin/notifications", admin.session, "csrf=\(admin.csrf)&requestMail%5B%5D=\(admin.user.id)")
            #expect(status == .ok)
            #expect(html.contains("Les notifications ont été enregistrées."))
            #expect(html.contains("id=\"request-mail-\(admin.user.id)\" checked>"))
            (status, _) = try await Self.post(client, "/services/\(service.id)/request", world.base.memberA.session, "csrf=\(world.base.memberA.csrf)")
            #expect(status == .ok)
        }
        let mails = try await world.mails().filter { $0.to == "admin@a.fr" && $0.subject.contains("Cegid Stream") }
        #expect(mails.map(\.subject) == ["Nouvelle demande d'abonnement à Cegid Stream"])
        #expect(mails.first?.text.contains("http://status.test/admin/requests") == true)
        #expect(mails.first?.text.contains("member@a.fr") == true)
        // B's administrator asked for nothing and hears nothing of A.
        #expect(try await world.mails().filter { $0.to == "admin@b.fr" && $0.subject.contains("Cegid Stream") }.isEmpty)
    }

    @Test(arguments: [("/admin", HTTPRequest.Method.get), ("/admin/users/invite", .get), ("/admin/groups", .get), ("/admin/api-keys", .get),
                      ("/admin/services/grant", .post), ("/admin/services/grant-group", .post), ("/admin/services/1/withdraw", .post),
                      ("/admin/requests", .get), ("/admin/requests/1/refuse", .get), ("/admin/notifications", .get), ("/admin/notifications", .post)])
    func aMemberGets403OnEveryAdministrationPage(uri: String, method: HTTPRequest.Method) async throws {
        let world = try await World()
        let member = world.base.memberA
        try await world.test { client in
            let (headers, body) = TenantIsolationTests.form(member.session, "csrf=\(member.csrf)&requestMail%5B%5D=\(member.user.id)")
            try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(try await SQLiteServiceStore(database: world.base.database).requestMailRecipients(tenantID: world.base.tenantA.id).isEmpty)
    }
}

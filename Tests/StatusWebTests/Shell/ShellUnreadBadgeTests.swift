import Foundation
import Portal
@testable import StatusWeb
import Testing

/// The bell: the unread notifications' count on the user's name and beside "Notifications",
/// as the header renders it for a signed-in user (`SessionAuthenticator` fills the count).
@Suite struct ShellUnreadBadgeTests {
    struct SlotView {
        let page: PageChrome
    }

    static func slot(unread: Int) async throws -> String {
        let fixture = try await PortalSiteFixture()
        let found = try #require(try await fixture.accounts.session(id: fixture.member.session))
        let memberships = try await fixture.accounts.memberships(userID: found.user.id)
        var signedIn = SignedInUser(sessionID: fixture.member.session, session: found.session, user: found.user, tenant: memberships.first?.tenant,
                                    role: memberships.first?.role, memberships: memberships, passwordExpired: false)
        signedIn.unreadNotifications = unread
        let pages = fixture.site.pages
        return try PageVisitor.$current.withValue(PageVisitor(path: "/", user: signedIn)) {
            try pages.renderer.render(SlotView(page: PageChrome(language: .fr, catalog: pages.catalog, title: "")), template: "account_slot")
        }
    }

    @Test func theUnreadCountShowsOnTheNameAndBesideNotifications() async throws {
        let html = try await Self.slot(unread: 3)
        #expect(html.contains("<span class=\"badge\" id=\"menu-badge\" aria-hidden=\"true\">3</span><span class=\"sr\">3 notifications non lues</span>"))
        #expect(html.contains("Notifications <span class=\"count\" id=\"menu-unread\">(3)</span></a>"))
        let one = try await Self.slot(unread: 1)
        #expect(one.contains("1 notification non lue"))
        let many = try await Self.slot(unread: 250)
        #expect(many.contains("id=\"menu-badge\" aria-hidden=\"true\">99+</span>"), "the badge keeps its size")
        let none = try await Self.slot(unread: 0)
        #expect(!none.contains("menu-badge") && !none.contains("menu-unread"))
    }
}

import Foundation
@testable import StatusWeb
import Testing

/// How long ago a message was written, in words, in both languages (the conversation's times).
@Suite struct RelativeTimeTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: [
        (10.0, "il y a quelques secondes", "a few seconds ago"),
        (70, "environ une minute auparavant", "about a minute ago"),
        (5 * 60, "5 minutes auparavant", "5 minutes ago"),
        (50 * 60, "environ une heure auparavant", "about an hour ago"),
        (80 * 60, "environ une heure auparavant", "about an hour ago"),
        (3 * 3600, "environ 3 heures auparavant", "about 3 hours ago"),
        (26 * 3600, "un jour auparavant", "a day ago"),
        (4 * 86_400, "4 jours auparavant", "4 days ago"),
        (35 * 86_400, "environ un mois auparavant", "about a month ago"),
        (100 * 86_400, "3 mois auparavant", "3 months ago"),
        (400 * 86_400, "environ un an auparavant", "about a year ago"),
        (3 * 365 * 86_400, "3 ans auparavant", "3 years ago"),
        (-120, "il y a quelques secondes", "a few seconds ago"),
    ] as [(Double, String, String)])
    func wordsForHowLongAgo(seconds: Double, french: String, english: String) {
        let date = Self.now.addingTimeInterval(-seconds)
        #expect(RelativeTime.text(date, now: Self.now, language: .fr) == french)
        #expect(RelativeTime.text(date, now: Self.now, language: .en) == english)
    }

    @Test func initialsOfANameOrAnAddress() {
        #expect(TicketPageView.initials("Marie Durand") == "MD")
        #expect(TicketPageView.initials("jean-pierre.martin@client.fr") == "JP")
        #expect(TicketPageView.initials("") == "?")
    }
}

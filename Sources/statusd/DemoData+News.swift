import Foundation
import Portal

extension DemoData {
    /// The operators' news on the customers' home page: two published (one in both languages
    /// with a link, one in French only), and one scheduled for next week, not shown yet.
    func writeNews() async throws {
        let news = SQLiteNewsStore(database: database)
        let pieces = [
            News(title: "Nouvelle version de Cegid Loop", body: """
                La version **2026.12** de Cegid Loop est disponible :

                - rapprochement bancaire plus rapide ;
                - export des écritures au format FEC.
                """, link: "https://www.cegid.com/fr/", languages: .both, publishedAt: now.addingTimeInterval(-3 * 86_400),
                 createdAt: now.addingTimeInterval(-3 * 86_400)),
            News(title: "Clôture de fin d'année : nos conseils", body: "Retrouvez dans la base de connaissance les articles qui préparent la clôture annuelle de la paie.",
                 languages: .fr, publishedAt: now.addingTimeInterval(-86_400), createdAt: now.addingTimeInterval(-86_400)),
            News(title: "Maintenance annuelle des centres de données", body: "Les dates de la maintenance annuelle seront publiées ici.",
                 languages: .both, publishedAt: now.addingTimeInterval(7 * 86_400), createdAt: now),
        ]
        for piece in pieces { _ = try await news.create(piece) }
    }
}

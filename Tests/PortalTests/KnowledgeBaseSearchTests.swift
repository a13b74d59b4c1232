import Foundation
import GRDB
import Portal
import StatusModel
import Testing

/// The knowledge base's search as a reader notices it: numbers, folding, filters, sorts,
/// counts, snippets, and whatever is typed.
@Suite struct KnowledgeBaseSearchTests {
    @Test(arguments: KnowledgeBaseStorage.allCases)
    func aNumberPutsItsArticleFirstThenThoseCitingIt(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let target = try await kb.publish(kb.draft("Paramétrer la paie"))
        let citing = try await kb.publish(kb.draft("Clôture mensuelle", body: "Avant la clôture, lisez \(target.number)."))
        _ = try await kb.publish(kb.draft("Sans rapport"))
        for typed in [target.number.description, "kb\(target.number.value)", "KB \(target.number.value)"] {
            let results = try await kb.search(typed)
            #expect(results.hits.map(\.article.number) == [target.number, citing.number], "\(typed)")
            #expect(results.total == 2)
        }
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func accentsCasePluralsAndEndingsDoNotMatter(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        try await kb.publish(kb.draft("Date d'échéance des factures", body: "Les échéances sont fixées à la facturation."))
        try await kb.publish(kb.draft("Sending an invoice", body: "Each invoice is sent by mail.", language: .en))
        #expect(try await kb.titles("echeance") == ["Date d'échéance des factures"])
        #expect(try await kb.titles("ÉCHÉANCES") == ["Date d'échéance des factures"])
        #expect(try await kb.titles("facture") == ["Date d'échéance des factures"])
        #expect(try await kb.titles("invoices") == ["Sending an invoice"])
        // The last word is a prefix while typing.
        #expect(try await kb.titles("factu") == ["Date d'échéance des factures"])
        #expect(try await kb.titles("send invo") == ["Sending an invoice"])
    }

    /// Past the prefix indexes' 3 letters the prefix is spelled out as the terms it begins, up to
    /// a limit, and read as a prefix above it: the same articles either way.
    @Test(arguments: KnowledgeBaseStorage.allCases)
    func aLongPrefixFindsEveryWordItBegins(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        for title in ["Mot de passe", "Password reset", "Passerelle SFTP", "Compass"] {
            try await kb.publish(kb.draft(title, body: "Texte."))
        }
        #expect(Set(try await kb.titles("pass")) == ["Mot de passe", "Password reset", "Passerelle SFTP"])
        #expect(Set(try await kb.titles("PASSÉ")) == ["Mot de passe", "Passerelle SFTP"])
        #expect(try await kb.titles("passw") == ["Password reset"])
        #expect(try await kb.search("passw").hits.first?.title.runs.filter(\.isMatch).map(\.text) == ["Password"])
        let letters = Array("bcdfghjklmnpqrstvwxz")
        for first in letters.prefix(5) {
            let words = letters.map { "plafond\(first)\($0)o" }.joined(separator: " ")
            try await kb.publish(kb.draft("Plafonds \(first)", body: words))
        }
        // 100 words begin with "plafond": more than are spelled out.
        #expect(try await kb.search("plafond").total == 5)
        #expect(try await kb.search("plafondb").total == 1)
        #expect(try await kb.search("plafondbz").total == 1)
    }

    /// A word in more articles than a search by relevance reads (the window, 20 here, 2,000 in
    /// production): the total is extrapolated from the newest matches and shown as "about", the
    /// title match among them still comes first, and the other sorts and deeper pages count exactly.
    @Test func aWordInMoreArticlesThanTheWindowIsCountedAboutAndStillRanked() async throws {
        let kb = try await KnowledgeBaseFixture(matchWindow: 20)
        for index in 1...80 {
            try await kb.publish(kb.draft(index == 75 ? "Facture en retard" : "Note \(index)",
                                          body: index % 4 == 0 ? "Un devis à signer." : "Une facture à régler."))
        }
        let about = try await kb.search("facture")
        #expect(about.totalIsEstimate)
        #expect((48...72).contains(about.total), "\(about.total) estimated for 60")
        #expect(about.hits.count == 10)
        #expect(about.hits.first?.article.title == "Facture en retard")
        #expect(about.facets.areEstimates)
        for exact in [try await kb.search("facture", sort: .views), try await kb.search("facture", page: 2)] {
            #expect(!exact.totalIsEstimate)
            #expect(exact.total == 60)
        }
        let few = try await kb.search("devis")
        #expect(!few.totalIsEstimate)
        #expect(few.total == 20)
    }

    @Test func titleWeighsMoreThanBodyAndSnippetsMarkTheWords() async throws {
        let kb = try await KnowledgeBaseFixture()
        try await kb.publish(kb.draft("Imprimer un bulletin", body: "Le menu Fichier permet d'imprimer une copie de la facture."))
        try await kb.publish(kb.draft("Créer une facture", body: "Ouvrez le menu Ventes."))
        let results = try await kb.search("facture")
        #expect(results.hits.map(\.article.title) == ["Créer une facture", "Imprimer un bulletin"])
        #expect(results.hits[0].title.runs.filter(\.isMatch).map(\.text) == ["facture"])
        #expect(results.hits[1].snippet.runs.filter(\.isMatch).map(\.text) == ["facture"])
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func eachFilterAndItsCounts(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        try await kb.publish(kb.draft("Portail fr loop", category: "Portail", products: ["cegid-loop"]))
        try await kb.publish(kb.draft("Portail fr flex", category: "Portail", products: ["xrp-flex"]))
        try await kb.publish(kb.draft("Webinar fr loop", category: "Webinar partenaire", products: ["cegid-loop", "xrp-flex"]))
        try await kb.publish(kb.draft("Portal en loop", category: "Portail", products: ["cegid-loop"], language: .en))
        let all = try await kb.search("")
        #expect(all.total == 4)
        #expect(Set(all.facets.languages) == [FacetCount(value: .fr, count: 3), FacetCount(value: .en, count: 1)])
        #expect(Set(all.facets.categories) == [FacetCount(value: "Portail", count: 3), FacetCount(value: "Webinar partenaire", count: 1)])
        #expect(Set(all.facets.products) == [FacetCount(value: "cegid-loop", count: 3), FacetCount(value: "xrp-flex", count: 2)])
        #expect(!all.facets.areEstimates)

        let french = try await kb.search("", language: .fr)
        #expect(french.total == 3)
        // A facet counts with the other filters applied, not its own.
        #expect(Set(french.facets.languages) == [FacetCount(value: .fr, count: 3), FacetCount(value: .en, count: 1)])
        #expect(Set(french.facets.products) == [FacetCount(value: "cegid-loop", count: 2), FacetCount(value: "xrp-flex", count: 2)])
        #expect(try await kb.search("", category: "Webinar partenaire").hits.map(\.article.title) == ["Webinar fr loop"])
        #expect(try await kb.search("", language: .fr, product: "xrp-flex").total == 2)
        #expect(try await kb.search("loop", category: "Portail", product: "cegid-loop").total == 2)
        #expect(try await kb.search("", category: "Nulle part").total == 0)
    }

    @Test func eachSortAndPagination() async throws {
        let kb = try await KnowledgeBaseFixture()
        var numbers: [ArticleNumber] = []
        for (index, title) in ["Bravo", "alpha", "Écran", "Delta"].enumerated() {
            numbers.append(try await kb.store.createArticle(kb.draft(title), state: .published, authorID: nil,
                                                            at: kb.now.addingTimeInterval(Double(index) * 60)).number)
        }
        _ = try await kb.store.recordView(numbers[2], viewer: "a", day: "2027-01-01")
        _ = try await kb.store.recordView(numbers[2], viewer: "b", day: "2027-01-01")
        _ = try await kb.store.recordView(numbers[0], viewer: "a", day: "2027-01-01")
        #expect(try await kb.titles("", sort: .title) == ["alpha", "Bravo", "Delta", "Écran"])
        #expect(try await kb.titles("", sort: .newest) == ["Delta", "Écran", "alpha", "Bravo"])
        #expect(try await kb.titles("", sort: .views).prefix(2) == ["Écran", "Bravo"])
        let second = try await kb.search("", sort: .title, page: 2, pageSize: 3)
        #expect(second.hits.map(\.article.title) == ["Écran"])
        #expect((second.page, second.pageCount, second.total) == (2, 2, 4))
        // A page past the end, or absurd, is clamped.
        for page in [Int.max, 99, 0, Int.min] {
            let clamped = try await kb.search("", sort: .title, page: page, pageSize: 3)
            #expect(clamped.page == (page > 1 ? 2 : 1))
        }
        #expect(try await kb.search("", pageSize: Int.max).hits.count == 4)
    }

    @Test func whateverIsTypedIsReadAsWords() async throws {
        let kb = try await KnowledgeBaseFixture()
        try await kb.publish(kb.draft("Mot de passe oublié", body: "Cliquez sur « mot de passe oublié » (en bas)."))
        for typed in ["\"", "*", "-x", "a:b", "NEAR(", "(", ")", "\"mot", "mot*", "AND", "OR NOT", "😀", "passe -oublié", "{title}: x",
                      "mot NEAR/2 passe", "^mot", "\u{E000}", String(repeating: "mot ", count: 400)] {
            _ = try await kb.search(typed)
        }
        #expect(try await kb.titles("(mot passe)") == ["Mot de passe oublié"])
        #expect(try await kb.titles("\"mot de passe\"") == ["Mot de passe oublié"])
    }

    @Test func textHoldingMarkupComesBackAsPlainRuns() async throws {
        let kb = try await KnowledgeBaseFixture()
        let hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(1)>"
        let article = try await kb.publish(kb.draft("Alerte <script>x</script>", body: "Une alerte \(hostile) ici."))
        let attachment = ArticleAttachment(number: article.number, fileName: "note.txt",
                                           blob: BlobReference(sha256: String(repeating: "a", count: 64), size: 10, contentType: "text/plain"),
                                           addedAt: kb.now)
        _ = try await kb.store.addAttachment(attachment, text: "Dans la pièce jointe : alerte \(hostile).")
        let hit = try #require(try await kb.search("alerte").hits.first)
        let texts = (hit.title.runs + hit.snippet.runs + (hit.attachment?.excerpt.runs ?? [])).map(\.text).joined()
        #expect(texts.contains("<script>"))
        #expect(texts.contains("onerror=alert(1)>"))
        #expect(!texts.unicodeScalars.contains { $0 == "\u{E000}" || $0 == "\u{E001}" })
    }

    @Test(arguments: KnowledgeBaseStorage.allCases)
    func wordsFoundInAnAttachmentNameIt(_ storage: KnowledgeBaseStorage) async throws {
        let kb = try await KnowledgeBaseFixture(storage)
        let article = try await kb.publish(kb.draft("Guide de démarrage", body: "Tout pour bien commencer."))
        for (name, text) in [("tarifs.pdf", "Grille tarifaire 2027."), ("guide.pdf", "Le rapprochement bancaire se fait chaque mois.")] {
            _ = try await kb.store.addAttachment(ArticleAttachment(number: article.number, fileName: name,
                                                                   blob: BlobReference(sha256: name, size: 1, contentType: "application/pdf"),
                                                                   addedAt: kb.now), text: text)
        }
        let hit = try #require(try await kb.search("rapprochement bancaire").hits.first)
        #expect(hit.attachment?.fileName == "guide.pdf")
        #expect(hit.attachment?.excerpt.runs.filter(\.isMatch).map(\.text) == ["rapprochement", "bancaire"])
        #expect(try await kb.search("tout").hits.first?.attachment == nil)
        let attachments = try await kb.store.attachments(of: article.number)
        #expect(try await kb.store.removeAttachment(id: attachments[1].id, from: article.number))
        #expect(try await kb.search("rapprochement").total == 0)
    }
}

/// More matches than the search ranks: the title matches still come first, and every page answers.
@Suite struct KnowledgeBaseManyMatchesTests {
    @Test func aWordInEveryArticleRanksTitlesFirstAndPagesThroughTheRest() async throws {
        let kb = try await KnowledgeBaseFixture()
        try await kb.database.writer.write { db in
            for index in 1...1_200 {
                _ = try SQLiteKnowledgeBaseStore.insertForBenchmark(db, kb.draft("Article \(index)", body: "Le portail et la facture \(index)."),
                                                                    at: kb.now)
            }
        }
        let titled = try await kb.publish(kb.draft("Facture en retard", body: "Rien d'autre."))
        let first = try await kb.search("facture")
        #expect(first.total == 1_201)
        #expect(first.hits.first?.article.number == titled.number)
        let last = try await kb.search("facture", page: 121)
        #expect(last.page == 121)
        #expect(last.hits.count == 1)
        let deep = try await kb.search("facture", page: 110)
        #expect(deep.hits.count == 10)
        #expect(try await kb.search("portail", sort: .views, page: 2).hits.count == 10)
        #expect(try await kb.search("portail", sort: .title, page: 120).hits.count == 10)
    }
}

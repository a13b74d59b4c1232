import Portal
import Testing

/// The stemming rule the search index applies: the forms a reader types meet the forms written.
@Suite struct WordStemmerTests {
    @Test(arguments: [
        ["facture", "factures", "facturation", "facturer"],
        ["invoice", "invoices", "invoicing"],
        ["echeance", "echeances"],
        ["categorie", "categories", "category"],
        ["journal", "journaux"],
        ["reseau", "reseaux"],
        ["paiement", "paiements", "paie", "paies"],
        ["box", "boxes"],
        ["company", "companies"],
        ["configure", "configuration", "configurations", "configurer", "configured"],
        ["update", "updates", "updated", "updating"],
        ["donnee", "donnees"],
        ["filter", "filters", "filtered"],
        ["address", "addresses"],
    ])
    func formsOfAWordShareTheirStem(_ forms: [String]) {
        let stems = Set(forms.map(WordStemmer.stem))
        #expect(stems.count == 1, "\(forms) gave \(stems)")
    }

    @Test func shortWordsNumbersAndWordsEndingInUsOrIsStayAsTheyAre() {
        for word in ["bus", "les", "status", "analysis", "access", "kb0030252", "2026", "user"] {
            #expect(WordStemmer.stem(word) == word)
        }
        #expect(WordStemmer.stem("statuses") == "status")
        #expect(WordStemmer.stem("") == "")
    }
}

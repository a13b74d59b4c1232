import Foundation
import Portal

/// The knowledge-base articles that may answer a request being typed: its description's words,
/// all together first, then the words one by one (a whole description rarely matches every
/// word of one article), with the reader's visibility applied by the store's search.
struct ArticleSuggestions {
    static let limit = 5
    /// Words of fewer letters, and these, say nothing about the problem.
    static let stopWords: Set<String> = [
        "avec", "dans", "pour", "mais", "nous", "vous", "elle", "elles", "ils", "sont", "suis", "avoir", "être", "etre", "fait", "faire",
        "cette", "ceci", "cela", "quand", "plus", "moins", "tout", "tous", "toutes", "depuis", "alors", "comme", "aussi", "encore",
        "arrive", "n'arrive", "veux", "voudrais", "merci", "bonjour", "mon", "mes", "notre", "votre", "leur", "leurs",
        "that", "this", "with", "have", "from", "when", "what", "there", "their", "would", "could", "about", "into", "cannot", "please", "hello",
    ]

    let store: any KnowledgeBaseStore

    /// Up to `limit` articles, best first; none for a text without a word worth searching.
    func find(_ text: String, for reader: KnowledgeBaseReader) async throws -> [ArticleSummary] {
        let words = Self.words(of: text)
        guard !words.isEmpty else { return [] }
        let together = try await store.search(ArticleQuery(text: words.joined(separator: " "), pageSize: Self.limit), for: reader)
        if !together.hits.isEmpty { return together.hits.map(\.article) }
        var score: [ArticleNumber: (article: ArticleSummary, hits: Int, rank: Int)] = [:]
        for word in words {
            let results = try await store.search(ArticleQuery(text: word, pageSize: Self.limit), for: reader)
            for (rank, hit) in results.hits.enumerated() {
                let previous = score[hit.article.number]
                score[hit.article.number] = (hit.article, (previous?.hits ?? 0) + 1, min(previous?.rank ?? rank, rank))
            }
        }
        return score.values.sorted { ($0.hits, -$0.rank) > ($1.hits, -$1.rank) }.prefix(Self.limit).map(\.article)
    }

    /// The description's longest distinct words (at most six), longest first.
    static func words(of text: String) -> [String] {
        var seen: Set<String> = []
        let words = text.prefix(2_000).lowercased()
            .split { !$0.isLetter && !$0.isNumber && $0 != "'" }
            .map { word -> String in
                // "l'application" searches "application".
                String(word.split(separator: "'").last ?? word)
            }
            .filter { $0.count >= 4 && !stopWords.contains($0) && seen.insert($0).inserted }
        return Array(words.sorted { $0.count > $1.count }.prefix(6))
    }
}

/// A small stemming rule for French and English, applied inside the search index so that
/// "facture" finds "factures" and "facturation", and "invoices" finds "invoice". There is no
/// French stemmer in SQLite here (Porter is English only), and one rule serves both languages
/// since a word's language is not known inside the index.
///
/// It works on what the unicode61 tokenizer hands over (lower case, accents removed) and only
/// on words of ASCII letters of four letters or more; it only ever shortens a word, so it runs
/// in place on the index's bytes. Steps: one plural ending (s, x, es, ies, aux), then trailing
/// e's and a few common endings (-ement, -ment, -ation, -ing, -ed, -er), as long as four letters
/// stay, then a final y reads as i (category, categories, catégorie all become "categori").
public enum WordStemmer {
    /// The stem of a lower-case, accent-free word (as the index sees it).
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        let length = bytes.withUnsafeMutableBufferPointer { stem(inPlace: $0) }
        return String(decoding: bytes[..<length], as: UTF8.self)
    }

    /// Stems `word` in place and returns the stem's length (at most the word's).
    public static func stem(inPlace word: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = word.count
        guard n >= 4, word.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return n }
        func ends(_ suffix: StaticString) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard n >= count else { return false }
            let start = suffix.utf8Start
            for index in 0..<count where word[n - count + index] != start[index] { return false }
            return true
        }
        func replace(_ count: Int, with replacement: StaticString) {
            n -= count
            let start = replacement.utf8Start
            for index in 0..<replacement.utf8CodeUnitCount {
                word[n] = start[index]
                n += 1
            }
        }

        // 1. One plural ending.
        if ends("eaux") {
            n -= 1 // bureaux, réseaux
        } else if ends("aux"), n >= 6 {
            replace(3, with: "al") // journaux, canaux
        } else if ends("eux") || ends("oux") {
            n -= 1 // jeux, bijoux
        } else if ends("ies"), n >= 5 {
            replace(3, with: "i") // companies, catégories, séries
        } else if ends("sses") || ends("shes") || ends("ches") || ends("xes") || ends("zes") {
            n -= 2 // addresses, matches, boxes
        } else if ends("s"), !ends("ss"), !ends("us"), !ends("is") {
            n -= 1 // factures, clients (status, analysis, access stay)
        }

        // 2. Trailing e's and common endings, until nothing changes.
        let endings: [StaticString] = ["ement", "ation", "ment", "ing", "ed", "er"]
        var changed = true
        var rounds = 0
        while changed, rounds < 3 {
            changed = false
            rounds += 1
            while n > 3, word[n - 1] == 0x65 { // e
                n -= 1
                changed = true
            }
            for ending in endings where ends(ending) && n - ending.utf8CodeUnitCount >= 4 {
                n -= ending.utf8CodeUnitCount
                changed = true
                break
            }
        }

        // 3. A final y reads as i: category and catégorie meet.
        if n >= 4, word[n - 1] == 0x79 { word[n - 1] = 0x69 }
        return n
    }
}

import GRDB

/// The knowledge base's FTS5 tokenizer: unicode61 with `remove_diacritics 2` (case and accents
/// fold), then `WordStemmer`. A document's word is indexed as itself and, when they differ, its
/// stem at the same place (a colocated token), so that snippets keep the original words, a full
/// query word (stemmed) meets every form of it, and a prefix typed so far (not stemmed) meets
/// the words it begins; a query word `zzzx` + term is that index term unchanged (the expansion of a
/// prefix into the terms it begins). Registered on every connection by `PortalMigrations.prepare`.
///
/// It works on the bytes FTS5 hands over, without making Strings: the index of 100,000 articles
/// runs it tens of millions of times, and snippets run it at every search.
final class KnowledgeBaseTokenizer: FTS5CustomTokenizer {
    static let name = "statusd_kb"
    private let base: any FTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        base = try db.makeTokenizer(FTS5TokenizerDescriptor(components: ["unicode61", "remove_diacritics", "2"]))
    }

    /// What the C callback needs to hand tokens on.
    private struct Relay {
        let downstream: FTS5TokenCallback
        let context: UnsafeMutableRawPointer?
        /// 0: a document (word, then its stem colocated); 1: a query word (its stem); 2: a prefix (as typed).
        let mode: Int
    }

    func tokenize(context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization, pText: UnsafePointer<CChar>?,
                  nText: CInt, tokenCallback: @escaping FTS5TokenCallback) -> CInt {
        let mode = tokenization.contains(.query) ? (tokenization.contains(.prefix) ? 2 : 1) : 0
        var relay = Relay(downstream: tokenCallback, context: context, mode: mode)
        return withUnsafeMutablePointer(to: &relay) { relayPointer in
            base.tokenize(context: UnsafeMutableRawPointer(relayPointer), tokenization: tokenization, pText: pText, nText: nText) {
                relayRaw, flags, pToken, nToken, iStart, iEnd in
                guard let relayRaw, let pToken, nToken > 0 else { return 0 }
                let relay = relayRaw.assumingMemoryBound(to: Relay.self).pointee
                if relay.mode == 1, nToken > 4, pToken[0] == 0x7A, pToken[1] == 0x7A, pToken[2] == 0x7A, pToken[3] == 0x78 {
                    // "zzzx" + an index term: that term as it is (see `SearchExpression.exactTerm`). Three z:
                    // the indexes' tags are "zz" and one letter ("zzt12", a ticket's tenant), and a query
                    // naming a tag must reach it whole.
                    return relay.downstream(relay.context, flags, pToken + 4, nToken - 4, iStart, iEnd)
                }
                if relay.mode == 2 || nToken > 64 {
                    return relay.downstream(relay.context, flags, pToken, nToken, iStart, iEnd)
                }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(nToken)) { buffer in
                    guard let start = buffer.baseAddress else { return 0 }
                    let count = Int(nToken)
                    pToken.withMemoryRebound(to: UInt8.self, capacity: count) { source in
                        for index in 0..<count { buffer[index] = source[index] }
                    }
                    let stemLength = WordStemmer.stem(inPlace: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
                    let stem = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
                    if relay.mode == 1 {
                        return relay.downstream(relay.context, flags, stem, CInt(stemLength), iStart, iEnd)
                    }
                    let code = relay.downstream(relay.context, flags, pToken, nToken, iStart, iEnd)
                    guard code == 0, stemLength != count else { return code }
                    return relay.downstream(relay.context, flags | FTS5TokenFlags.colocated.rawValue, stem, CInt(stemLength), iStart, iEnd)
                }
            }
        }
    }
}

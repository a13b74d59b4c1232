/// Reads the `knowledge_base:` section: the categories articles may be filed under.
enum KnowledgeBaseConfigReader {
    static func knowledgeBase(_ node: ConfigNode) throws(ConfigError) -> StatusConfig.KnowledgeBase {
        let fields = try node.mapping(allowed: ["categories"])
        var knowledgeBase = StatusConfig.KnowledgeBase()
        if let list = fields["categories"] {
            var categories: [String] = []
            for item in try list.sequence() {
                let name = try item.nonEmptyString()
                guard !categories.contains(where: { $0.lowercased() == name.lowercased() }) else {
                    throw item.error("\"\(name)\" is listed twice")
                }
                categories.append(name)
            }
            guard !categories.isEmpty else { throw list.error("list at least one category") }
            knowledgeBase.categories = categories
        }
        return knowledgeBase
    }
}

extension StatusConfig {
    /// The knowledge base's settings.
    public struct KnowledgeBase: Sendable, Hashable {
        /// The categories an article may be filed under, in the order the portal lists them.
        public var categories = ["Aide à l'utilisation", "Portail", "Communication", "Web Assistance", "Webinar partenaire", "Notes de version"]

        public init() {}
    }
}

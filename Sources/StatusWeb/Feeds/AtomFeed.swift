import Foundation

/// An Atom 1.0 document (RFC 4287), written as text: the few elements a status feed needs,
/// every value escaped on the way out.
struct AtomFeed {
    /// One `<entry>`: an incident or a maintenance window.
    struct Entry {
        struct Category {
            let term: String
            let label: String
        }

        let id: String
        let title: String
        let updated: Date
        let published: Date?
        let link: String
        let category: Category
        /// An HTML fragment whose user text is already HTML-escaped; it is XML-escaped once
        /// more as `content type="html"`, so a reader decodes it back to the HTML, never further.
        let contentHTML: String
    }

    let id: String
    let title: String
    let subtitle: String
    let updated: Date
    let language: String
    let selfURL: String
    let alternateURL: String
    let author: String
    let entries: [Entry]

    func xml() -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(Self.escape(language))">
              <id>\(Self.escape(id))</id>
              <title type="text">\(Self.escape(title))</title>
              <subtitle type="text">\(Self.escape(subtitle))</subtitle>
              <updated>\(Self.timestamp(updated))</updated>
              <link rel="self" type="application/atom+xml" href="\(Self.escape(selfURL))"/>
              <link rel="alternate" type="text/html" href="\(Self.escape(alternateURL))"/>
              <author><name>\(Self.escape(author))</name></author>
              <generator>statusd</generator>

            """
        for entry in entries {
            xml += """
                  <entry>
                    <id>\(Self.escape(entry.id))</id>
                    <title type="text">\(Self.escape(entry.title))</title>
                    <updated>\(Self.timestamp(entry.updated))</updated>

                """
            if let published = entry.published { xml += "    <published>\(Self.timestamp(published))</published>\n" }
            xml += """
                    <link rel="alternate" type="text/html" href="\(Self.escape(entry.link))"/>
                    <category term="\(Self.escape(entry.category.term))" label="\(Self.escape(entry.category.label))"/>
                    <content type="html">\(Self.escape(entry.contentHTML))</content>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    static func escape(_ text: String) -> String { XMLEscaping.escape(text) }

    /// RFC 3339 in UTC, as Atom's date constructs require.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }
}

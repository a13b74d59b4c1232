import Foundation
import NIOCore
import StatusModel

/// The vendor's branding as the pages use it: the name for titles and the header, the logo as
/// a file served under a content-addressed path, footer links, the support phone, and the
/// accent colour as the stylesheet's custom properties.
struct SiteBrand: Sendable {
    /// A footer link, already in one language.
    struct FooterLink: Sendable {
        let label: String
        let href: String
    }

    /// The logo's bytes and the path it is served at: the path names its content, so browsers
    /// may keep it for a year and a new logo gets a new path.
    struct Logo: Sendable {
        let path: String
        let mediaType: String
        let body: ByteBuffer
        let etag: String
    }

    let name: StatusConfig.Branding.Text
    let logo: Logo?
    let accent: String
    let textOnAccent: String
    let links: [StatusConfig.Branding.Link]
    let phone: String?
    let phoneDial: String?
    /// The header links to the knowledge base when the site serves one (the same header is on
    /// every page, so it is decided once, here, with the rest of what the header shows).
    var servesKnowledgeBase = false
    /// Whether the site serves support requests (the agents' queue in the staff menus).
    var servesTickets = false
    /// Whether operators publish news (the console's news pages).
    var servesNews = false

    init(_ branding: StatusConfig.Branding) {
        name = branding.name
        accent = branding.accent
        textOnAccent = branding.textOnAccent
        links = branding.links
        phone = branding.phone
        phoneDial = branding.phoneDial
        logo = branding.logo.map { file in
            let hash = PageCache.etag(forBytes: file.bytes)
            let tag = hash.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return Logo(path: "/brand/logo-\(tag).\(file.format.fileExtension)", mediaType: file.format.mediaType,
                        body: ByteBuffer(bytes: file.bytes), etag: hash)
        }
    }

    static let standard = SiteBrand(StatusConfig.Branding())

    func footerLinks(_ language: Language) -> [FooterLink] {
        links.map { FooterLink(label: $0.label.text(language.rawValue), href: $0.url) }
    }

    /// Appended to the stylesheet: the accent and the colour of text on it, read by
    /// `var(--accent)` and `var(--on-accent)`.
    var stylesheetOverrides: String {
        "\n/* Branding (config: branding.accent). */\n:root { --accent: \(accent); --on-accent: \(textOnAccent); }\n"
    }
}

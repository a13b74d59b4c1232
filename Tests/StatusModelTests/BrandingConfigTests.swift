import Foundation
import StatusModel
import Testing

/// The `branding:` section: the vendor's name, logo, accent, footer links and phone, and the
/// file, line and key of every mistake in it.
@Suite("Branding config")
struct BrandingConfigTests {
    /// A folder holding a config file and what it names beside it.
    struct Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("statusd-branding-\(UUID().uuidString)")

        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

        func write(_ name: String, _ bytes: [UInt8]) throws {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }

        func load(_ yaml: String) throws(ConfigError) -> StatusConfig {
            let path = url.appendingPathComponent("statusd.yaml").path
            try? yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return try StatusConfig.load(file: path, environment: [:])
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test func withoutTheSectionPagesAndMailsKeepStatusdsDefaults() throws {
        let config = try StatusConfig.parse(yaml: "history_days: 25\n", file: "statusd.yaml")
        #expect(config.branding.name.text("fr") == "statusd" && config.branding.name.text("en") == "statusd")
        #expect(!config.branding.hasOwnName)
        #expect(config.branding.logo == nil && config.branding.links.isEmpty && config.branding.phone == nil)
        #expect(config.branding.accent == "#0b4fa0" && config.branding.textOnAccent == "#ffffff")
    }

    @Test func aFullSectionGivesEveryPart() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("branding/logo.png", Self.png)
        let config = try folder.load("""
            branding:
              name: {fr: Météo Nuage, en: Cloud Weather}
              logo: branding/logo.png
              accent: "#FFCC00"
              phone: "+33 (0)1 23-45.67.89"
              links:
                - label: {fr: Nous contacter, en: Contact us}
                  url: https://www.example.com/contact
                - label: Confidentialité
                  url: http://www.example.com/privacy
            """)
        let branding = config.branding
        #expect(branding.name.text("fr") == "Météo Nuage" && branding.name.text("en") == "Cloud Weather" && branding.hasOwnName)
        #expect(branding.logo?.format == .png && branding.logo?.bytes == Self.png)
        #expect(branding.logo?.path == folder.url.appendingPathComponent("branding/logo.png").standardizedFileURL.path,
                "the logo is found beside the config file, wherever statusd runs from")
        #expect(branding.accent == "#ffcc00")
        #expect(branding.textOnAccent == "#000000", "dark text on yellow")
        #expect(StatusConfig.Branding.contrast(branding.accent, branding.textOnAccent) >= 4.5)
        #expect(branding.phone == "+33 (0)1 23-45.67.89" && branding.phoneDial == "+330123456789")
        #expect(branding.links.map(\.url) == ["https://www.example.com/contact", "http://www.example.com/privacy"])
        #expect(branding.links[0].label.text("en") == "Contact us" && branding.links[1].label.text("en") == "Confidentialité")
    }

    @Test(arguments: ["#000000", "#ffffff", "#777777", "#0b4fa0", "#ffcc00", "#1e7b34", "#ff0000"])
    func textOnAnyAccentIsReadable(accent: String) throws {
        let config = try StatusConfig.parse(yaml: "branding:\n  accent: \"\(accent)\"\n", file: "statusd.yaml")
        #expect(StatusConfig.Branding.contrast(accent, config.branding.textOnAccent) >= 4.5)
    }

    @Test func svgAndJpegLogosAreRecognisedByTheirContent() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("logo.svg", Array("<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8))
        try folder.write("logo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16])
        #expect(try folder.load("branding:\n  logo: logo.svg\n").branding.logo?.format == .svg)
        #expect(try folder.load("branding:\n  logo: logo.jpg\n").branding.logo?.format == .jpeg)
    }

    @Test func mistakesNameFileLineAndKey() throws {
        let folder = try Folder()
        defer { folder.remove() }
        try folder.write("notes.png", Array("just text".utf8))
        let cases: [(yaml: String, line: Int, key: String, says: String)] = [
            ("branding:\n  accent: #0b4fa0\n", 2, "branding.accent", "in quotes"),
            ("branding:\n  accent: \"blue\"\n", 2, "branding.accent", "#rrggbb"),
            ("branding:\n  accent: \"#12345\"\n", 2, "branding.accent", "#rrggbb"),
            ("branding:\n  logo: missing.png\n", 2, "branding.logo", "cannot read"),
            ("branding:\n  logo: notes.png\n", 2, "branding.logo", "not a PNG, SVG or JPEG"),
            ("branding:\n  phone: call us\n", 2, "branding.phone", "phone number"),
            ("branding:\n  links:\n    - label: Contact\n      url: javascript:alert(1)\n", 4, "branding.links[0].url", "http:// or https://"),
            ("branding:\n  links:\n    - url: https://example.com\n", 3, "branding.links[0].label", "missing key"),
            ("branding:\n  links:\n    - label: {fr: Contact}\n      url: https://example.com\n", 3, "branding.links[0].label.en", "missing key"),
            ("branding:\n  name: \"\"\n", 2, "branding.name", "must not be empty"),
            ("branding:\n  colour: \"#000000\"\n", 2, "branding.colour", "unknown key"),
        ]
        for (yaml, line, key, says) in cases {
            do {
                _ = try folder.load(yaml)
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect(error.file.hasSuffix("statusd.yaml"), "\(error)")
                #expect(error.line == line, "\(yaml) → \(error)")
                #expect(error.key == key, "\(yaml) → \(error)")
                #expect(error.message.contains(says), "\(yaml) → \(error)")
            }
        }
    }
}

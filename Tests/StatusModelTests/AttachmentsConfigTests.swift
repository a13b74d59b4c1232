import StatusModel
import Testing

@Suite("Config: the attachments section")
struct AttachmentsConfigTests {
    private func error(_ yaml: String) -> ConfigError? {
        do {
            _ = try StatusConfig.parse(yaml: yaml, file: "statusd.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test("Without the section: 10 MB, documents, images and text, never HTML or SVG")
    func defaults() throws {
        let attachments = try StatusConfig.parse(yaml: "", file: "statusd.yaml").attachments
        #expect(attachments.maxBytes == 10_485_760)
        #expect(attachments.allowedTypes.contains("application/pdf"))
        #expect(!attachments.allowedTypes.contains("text/html"))
        #expect(!attachments.allowedTypes.contains("image/svg+xml"))
    }

    @Test("The size reads as bytes or with a unit", arguments: [
        ("10485760", Int64(10_485_760)), ("10 MB", 10_485_760), ("10MB", 10_485_760), ("512 KB", 524_288), ("1 GB", 1_073_741_824),
        ("2 MiB", 2_097_152), ("1.5 MB", 1_572_864),
    ])
    func sizes(text: String, bytes: Int64) throws {
        let config = try StatusConfig.parse(yaml: "attachments:\n  max_bytes: \(text)\n", file: "statusd.yaml")
        #expect(config.attachments.maxBytes == bytes)
    }

    @Test("A bad size names the file, line and key", arguments: ["lots", "-1", "0", "2 GB", "1e300 MB", "10 parsecs"])
    func badSizes(text: String) throws {
        let found = try #require(error("attachments:\n  max_bytes: \(text)\n"))
        #expect(found.line == 2)
        #expect(found.key == "attachments.max_bytes")
    }

    @Test("The allowed types are read, lower-cased, once each")
    func types() throws {
        let config = try StatusConfig.parse(yaml: "attachments:\n  allowed_types: [application/PDF, image/png, image/png]\n", file: "statusd.yaml")
        #expect(config.attachments.allowedTypes == ["application/pdf", "image/png"])
    }

    @Test("HTML and SVG are refused at start, with the reason", arguments: ["text/html", "image/svg+xml"])
    func activeTypes(type: String) throws {
        let found = try #require(error("attachments:\n  allowed_types:\n    - application/pdf\n    - \(type)\n"))
        #expect(found.line == 4)
        #expect(found.key == "attachments.allowed_types[1]")
        #expect(found.message.contains("can never be allowed"))
    }

    @Test("A type statusd cannot recognise is refused, and an unknown key too")
    func unknownType() throws {
        let found = try #require(error("attachments:\n  allowed_types: [application/x-msdownload]\n"))
        #expect(found.message.contains("not a type statusd can recognise"))
        #expect(error("attachments:\n  max_size: 10\n")?.key == "attachments.max_size")
    }

    @Test("Attachments are kept beside the database")
    func dataFolder() throws {
        #expect(try StatusConfig.parse(yaml: "database: /srv/statusd/db.sqlite", file: "statusd.yaml").dataFolder == "/srv/statusd")
        #expect(try StatusConfig.parse(yaml: "database: db.sqlite", file: "statusd.yaml").dataFolder == ".")
    }
}

import Foundation

/// Real files for the attachment tests: a folder that removes itself, and documents written by
/// hand the way the programs that read them expect.
public final class TemporaryFolder: Sendable {
    public let url: URL

    public init(_ label: String = "statusd-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` in the folder.
    @discardableResult
    public func file(_ name: String, _ bytes: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try bytes.write(to: file)
        return file
    }

    @discardableResult
    public func file(_ name: String, _ text: String) throws -> URL { try file(name, Data(text.utf8)) }

    /// Every regular file under `folder`, recursively (relative paths).
    public static func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { relative in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(relative).path, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }
}

public enum TestDocuments {
    /// A one-page PDF whose page shows `text` in Helvetica, with a correct cross-reference
    /// table: enough for pdftotext. `text` must be ASCII without parentheses or backslashes.
    public static func pdf(text: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var body = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(body.utf8.count)
            body += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = body.utf8.count
        body += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { body += String(format: "%010d 00000 n \n", offset) }
        body += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(body.utf8)
    }

    public static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [UInt8](repeating: 1, count: 40))

    /// A ZIP holding empty entries of these names (stored, no compression), central directory included.
    public static func zip(entries: [String]) -> Data {
        var local = Data()
        var central = Data()
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
        for name in entries {
            let offset = local.count
            let nameBytes = Array(name.utf8)
            local.append(contentsOf: le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + le32(0)
                         + le16(nameBytes.count) + le16(0) + nameBytes)
            central.append(contentsOf: le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0)
                           + le32(0) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes)
        }
        var zip = local
        zip.append(central)
        zip.append(contentsOf: le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
                   + le32(central.count) + le32(local.count) + le16(0))
        return zip
    }

    /// An executable shell script standing in for a program that misbehaves (hangs, floods its output).
    public static func script(in folder: TemporaryFolder, named name: String, _ body: String) throws -> URL {
        let url = try folder.file(name, "#!/bin/sh\n\(body)\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }
}

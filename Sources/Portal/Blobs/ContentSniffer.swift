import Foundation
import StatusModel

/// Reads what a file is from its bytes: magic numbers, the names inside a ZIP, and whether the
/// text is UTF-8 and looks like markup. The uploader's file name and Content-Type are never
/// asked: an HTML page named guide.pdf is text/html.
public enum ContentSniffer {
    /// Enough of the start of a file for every magic number and for markup after a BOM and blank lines.
    static let headLength = 1024

    /// The type of the file's content (one of `AttachmentTypes.known`). `fileName` only picks
    /// between text/plain, text/markdown and text/csv, which the bytes cannot tell apart and
    /// which are all served the same inert way.
    public static func contentType(of file: URL, fileName: String = "") throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let head = [UInt8](try handle.read(upToCount: headLength) ?? Data())
        if let binary = binaryType(head: head) {
            return binary == AttachmentTypes.zip ? try zipType(handle) : binary
        }
        // Markup first, whatever the encoding: a Latin-1 HTML page is still a page to a browser.
        if let markup = markupType(head: head) { return markup }
        guard try isUTF8Text(handle) else { return AttachmentTypes.unknown }
        return textType(fileName: fileName)
    }

    /// The types a magic number at the very start says.
    static func binaryType(head: [UInt8]) -> String? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts(Array("%PDF-".utf8)) { return AttachmentTypes.pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return AttachmentTypes.png }
        if starts([0xFF, 0xD8, 0xFF]) { return AttachmentTypes.jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return AttachmentTypes.gif }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return AttachmentTypes.webp }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return AttachmentTypes.zip }
        return nil
    }

    /// HTML or SVG when the text starts like markup (after a BOM and white space), as browsers
    /// sniff it (WHATWG MIME Sniffing, "identifying a resource with an unknown MIME type"); an XML
    /// declaration or a comment first is looked past, within the head.
    static func markupType(head: [UInt8]) -> String? {
        var text = String(decoding: head, as: UTF8.self).lowercased()
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        let htmlStarts = ["<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<h1", "<div", "<font", "<table",
                          "<a", "<style", "<title", "<b", "<br", "<p", "<meta", "<link", "<img", "<object", "<embed", "<form"]
        func opens(_ tag: String) -> Bool {
            guard start.hasPrefix(tag) else { return false }
            // "<a" must be a tag, not "<abc>" text: the next character ends the name, as WHATWG's table says.
            guard let next = start.dropFirst(tag.count).first else { return true }
            return tag.hasPrefix("<!") || next == " " || next == ">" || next == "/" || next.isWhitespace
        }
        if opens("<svg") { return AttachmentTypes.svg }
        if htmlStarts.contains(where: opens) { return AttachmentTypes.html }
        if start.hasPrefix("<?xml") || start.hasPrefix("<!--") || start.hasPrefix("<!doctype") {
            if text.contains("<svg") { return AttachmentTypes.svg }
            if text.contains("<html") || text.contains("<script") || text.contains("<!doctype html") { return AttachmentTypes.html }
        }
        return nil
    }

    static func textType(fileName: String) -> String {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "md", "markdown": AttachmentTypes.markdown
        case "csv": AttachmentTypes.csv
        default: AttachmentTypes.plainText
        }
    }

    /// The whole file is valid UTF-8 without NUL bytes (read in chunks, never whole).
    static func isUTF8Text(_ handle: FileHandle) throws -> Bool {
        try handle.seek(toOffset: 0)
        var validator = UTF8Validator()
        while let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
            guard validator.feed(chunk) else { return false }
        }
        return validator.finish()
    }

    /// Office Open XML files are ZIPs whose central directory names their main part.
    static func zipType(_ handle: FileHandle) throws -> String {
        let names = try ZipDirectory.entryNames(handle)
        if names.contains("word/document.xml") { return AttachmentTypes.docx }
        if names.contains("xl/workbook.xml") { return AttachmentTypes.xlsx }
        if names.contains("ppt/presentation.xml") { return AttachmentTypes.pptx }
        return AttachmentTypes.zip
    }
}

/// Checks UTF-8 across chunk boundaries and refuses NUL, which text never holds.
struct UTF8Validator {
    /// Continuation bytes still expected by the sequence in progress.
    private var pending = 0
    /// The lowest and highest allowed value of the next continuation byte (to refuse
    /// overlong forms, surrogates and code points above U+10FFFF).
    private var low: UInt8 = 0x80, high: UInt8 = 0xBF

    mutating func feed(_ bytes: Data) -> Bool {
        for byte in bytes {
            if pending > 0 {
                guard byte >= low, byte <= high else { return false }
                pending -= 1
                low = 0x80
                high = 0xBF
                continue
            }
            switch byte {
            case 0x00: return false
            case 0x01...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: pending = 2
            case 0xED: pending = 2; high = 0x9F
            case 0xF0: pending = 3; low = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4: pending = 3; high = 0x8F
            default: return false
            }
        }
        return true
    }

    func finish() -> Bool { pending == 0 }
}

/// The file names listed in a ZIP's central directory, read from the end of the file.
enum ZipDirectory {
    /// The end record plus the longest comment a ZIP may carry.
    static let tailLength = 22 + 65_535
    /// Office files list a few hundred entries; a larger directory is read only this far.
    static let directoryLimit = 1 << 20

    static func entryNames(_ handle: FileHandle) throws -> Set<String> {
        let size = try handle.seekToEnd()
        let tailStart = size > UInt64(tailLength) ? size - UInt64(tailLength) : 0
        try handle.seek(toOffset: tailStart)
        let tail = [UInt8](try handle.readToEnd() ?? Data())
        guard tail.count >= 22 else { return [] }
        // The end-of-central-directory record is the last "PK\u{5}\u{6}".
        var index = tail.count - 22
        while index >= 0, !(tail[index] == 0x50 && tail[index + 1] == 0x4B && tail[index + 2] == 0x05 && tail[index + 3] == 0x06) {
            index -= 1
        }
        guard index >= 0 else { return [] }
        let directorySize = Int(tail.uint32(at: index + 12))
        let directoryOffset = UInt64(tail.uint32(at: index + 16))
        guard directoryOffset < size else { return [] }
        try handle.seek(toOffset: directoryOffset)
        let directory = [UInt8](try handle.read(upToCount: min(directorySize, directoryLimit)) ?? Data())
        var names: Set<String> = []
        var position = 0
        while position + 46 <= directory.count, directory.uint32(at: position) == 0x0201_4B50 {
            let nameLength = Int(directory.uint16(at: position + 28))
            let extraLength = Int(directory.uint16(at: position + 30))
            let commentLength = Int(directory.uint16(at: position + 32))
            let nameStart = position + 46
            guard nameStart + nameLength <= directory.count else { break }
            names.insert(String(decoding: directory[nameStart..<nameStart + nameLength], as: UTF8.self))
            position = nameStart + nameLength + extraLength + commentLength
        }
        return names
    }
}

extension [UInt8] {
    /// Little-endian, as ZIP writes its numbers; the caller keeps `offset` in range.
    func uint16(at offset: Int) -> UInt16 { UInt16(self[offset]) | UInt16(self[offset + 1]) << 8 }
    func uint32(at offset: Int) -> UInt32 { UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16 }
}

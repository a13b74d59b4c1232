import Foundation

/// The lines of an import file, read a chunk at a time so a file of millions of tickets never
/// sits in memory whole. Each line comes with its number (1-based) and without its "\n" or "\r\n".
struct ImportLines {
    /// A line longer than this is refused (the rest of it skipped), not buffered.
    static let maxLineBytes = 16 << 20

    /// One line of the file, or the mark of one that was too long.
    enum Line {
        case text(number: Int, bytes: ArraySlice<UInt8>)
        case tooLong(number: Int)
    }

    private let read: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private var skippingLongLine = false
    private(set) var lineNumber = 0
    /// Bytes handed out so far (for a progress bar over the file's size).
    private(set) var bytesConsumed: Int64 = 0

    /// `read` returns the next chunk, or nil (or an empty chunk) at the end.
    init(read: @escaping () throws -> [UInt8]?) {
        self.read = read
    }

    /// The lines of bytes already in memory (tests).
    init(bytes: [UInt8]) {
        var given = false
        self.init(read: {
            defer { given = true }
            return given ? nil : bytes
        })
    }

    /// The lines of a file, 1 MB at a time.
    init(file: FileHandle) {
        self.init(read: { try file.read(upToCount: 1 << 20).map { [UInt8]($0) } })
    }

    /// Spreadsheets often start a UTF-8 file with a byte order mark: not part of the first field.
    private static func withoutByteOrderMark(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.starts(with: [0xEF, 0xBB, 0xBF]) ? line.dropFirst(3) : line
    }

    /// The next line, nil at the end of the file.
    mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                var line = buffer[start..<end]
                if lineNumber == 0 { line = Self.withoutByteOrderMark(line) }
                bytesConsumed += Int64(newline + 1 - start)
                start = newline + 1
                lineNumber += 1
                if skippingLongLine {
                    skippingLongLine = false
                    return .tooLong(number: lineNumber)
                }
                return .text(number: lineNumber, bytes: line)
            }
            if finished {
                guard start < buffer.count || skippingLongLine else { return nil }
                var line = buffer[start...]
                if lineNumber == 0 { line = Self.withoutByteOrderMark(line) }
                bytesConsumed += Int64(buffer.count - start)
                start = buffer.count
                lineNumber += 1
                if skippingLongLine {
                    skippingLongLine = false
                    return .tooLong(number: lineNumber)
                }
                return .text(number: lineNumber, bytes: line)
            }
            // Keep only the unfinished line before reading on.
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            if buffer.count > Self.maxLineBytes {
                bytesConsumed += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
                skippingLongLine = true
            }
            if let chunk = try read(), !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                finished = true
            }
        }
    }
}

/// CSV records (RFC 4180: fields separated by commas, or by semicolons when the header is;
/// double quotes around fields that hold separators, quotes or line breaks; "" for a quote).
/// A record may span several lines; it is numbered by the line it starts on.
struct CSVRecords {
    enum Record {
        case fields(line: Int, [String])
        /// A record that cannot be read, with why.
        case broken(line: Int, reason: String)
    }

    private var lines: ImportLines
    private(set) var separator: UInt8 = UInt8(ascii: ",")
    private var separatorChosen = false

    init(lines: ImportLines) {
        self.lines = lines
    }

    var bytesConsumed: Int64 { lines.bytesConsumed }

    /// Chooses the separator from the header line: the one of "," and ";" it holds more of.
    mutating func detectSeparator(fromHeader bytes: ArraySlice<UInt8>) {
        let commas = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
        let semicolons = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ";") ? 1 : 0) }
        separator = semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// The next record; blank lines are skipped.
    mutating func next() throws -> Record? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var firstLine = 0
        var afterClosingQuote = false
        var broken: String?
        while let line = try lines.next() {
            let bytes: ArraySlice<UInt8>
            switch line {
            case .tooLong(let number):
                if firstLine == 0 { firstLine = number }
                return .broken(line: firstLine, reason: "the record is longer than \(ImportLines.maxLineBytes >> 20) MB")
            case .text(let number, let text):
                if firstLine == 0 {
                    if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                    firstLine = number
                } else {
                    // Inside quotes the line break belongs to the field.
                    field.append(UInt8(ascii: "\n"))
                }
                bytes = text
            }
            if !separatorChosen {
                detectSeparator(fromHeader: bytes)
                separatorChosen = true
            }
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let byte = bytes[index]
                if inQuotes {
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 1
                        } else {
                            inQuotes = false
                            afterClosingQuote = true
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == separator {
                    fields.append(Self.text(field, line: firstLine, broken: &broken))
                    field.removeAll(keepingCapacity: true)
                    afterClosingQuote = false
                } else if byte == UInt8(ascii: "\"") && field.isEmpty && !afterClosingQuote {
                    inQuotes = true
                } else if afterClosingQuote {
                    // `"abc"x`: text after a closing quote.
                    if byte != UInt8(ascii: " ") { broken = broken ?? "a quoted field is followed by text before the next separator" }
                } else {
                    if byte == UInt8(ascii: "\"") { broken = broken ?? "a quote inside an unquoted field (quote the field and double the quote)" }
                    field.append(byte)
                }
                index += 1
            }
            if inQuotes { continue }
            fields.append(Self.text(field, line: firstLine, broken: &broken))
            if let broken { return .broken(line: firstLine, reason: broken) }
            return .fields(line: firstLine, fields)
        }
        if firstLine == 0 { return nil }
        return .broken(line: firstLine, reason: "a quoted field is not closed before the end of the file")
    }

    private static func text(_ bytes: [UInt8], line: Int, broken: inout String?) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        broken = broken ?? "the record is not valid UTF-8 text"
        return ""
    }
}

import Foundation

/// The rows of a ticket import file, one at a time: CSV with a header row, or JSON lines (one
/// object per line). Streams the file (a million tickets never sit in memory); yields each
/// row as a checked `TicketImportRow` or a `TicketImportRejection` with its line. Pure of any
/// store: the tenants and types it checks against come in `TicketImportRules`.
public struct TicketFileReader {
    public enum Format: String, Sendable, Hashable {
        case csv
        case jsonLines = "jsonl"

        /// By the file's extension, else by its first character ("{" for JSON lines).
        public static func detect(fileName: String, firstBytes: some Sequence<UInt8>) -> Format {
            switch (fileName as NSString).pathExtension.lowercased() {
            case "csv": return .csv
            case "jsonl", "ndjson": return .jsonLines
            default:
                let skipped: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF]
                let first = firstBytes.first { !skipped.contains($0) }
                return first == UInt8(ascii: "{") ? .jsonLines : .csv
            }
        }
    }

    /// One row of the file.
    public enum Item: Sendable {
        case ticket(TicketImportRow)
        case rejected(TicketImportRejection)
    }

    /// The file cannot be read at all: nothing is imported.
    public struct FileProblem: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let format: Format
    /// The file's size, for a progress bar; nil when reading bytes given in memory.
    public let totalBytes: Int64?
    private let parser: TicketRowParser
    private var lines: ImportLines?
    private var records: CSVRecords?
    private var header: [String] = []
    /// The line of each number seen, so the second row with a number is refused with the first's line.
    private var seenNumbers: [Int: Int] = [:]
    private var file: FileHandle?

    /// Opens `url`; throws `FileProblem` when it cannot be opened or its CSV header is wrong.
    public init(url: URL, rules: TicketImportRules, format: Format? = nil) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw FileProblem("\(url.path) cannot be opened (\(Self.reason(error)))")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw FileProblem("\(url.path) is a folder, not a file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
        let first: [UInt8]
        do {
            first = [UInt8](try handle.read(upToCount: 4096) ?? Data())
            try handle.seek(toOffset: 0)
        } catch {
            throw FileProblem("\(url.path) cannot be read (\(Self.reason(error)))")
        }
        try self.init(lines: ImportLines(file: handle), format: format ?? Format.detect(fileName: url.lastPathComponent, firstBytes: first),
                      totalBytes: size, rules: rules)
        file = handle
    }

    /// Reads bytes already in memory (tests).
    public init(bytes: [UInt8], format: Format? = nil, rules: TicketImportRules) throws {
        try self.init(lines: ImportLines(bytes: bytes), format: format ?? Format.detect(fileName: "", firstBytes: bytes.prefix(4096)),
                      totalBytes: Int64(bytes.count), rules: rules)
    }

    private init(lines: ImportLines, format: Format, totalBytes: Int64?, rules: TicketImportRules) throws {
        self.format = format
        self.totalBytes = totalBytes
        self.parser = TicketRowParser(rules: rules)
        switch format {
        case .jsonLines:
            self.lines = lines
        case .csv:
            var records = CSVRecords(lines: lines)
            guard let first = try Self.readOrRefuse({ try records.next() }) else { throw FileProblem("the file is empty: expected a header row") }
            guard case .fields(_, let names) = first else {
                if case .broken(_, let reason) = first { throw FileProblem("the header row cannot be read: \(reason)") }
                throw FileProblem("the header row cannot be read")
            }
            header = names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if let unknown = header.first(where: { !TicketImportKeys.all.contains($0) }) {
                throw FileProblem("the header names an unknown column \"\(unknown)\" (known columns: \(TicketImportKeys.all.sorted().joined(separator: ", ")))")
            }
            if let twice = header.first(where: { name in header.filter { $0 == name }.count > 1 }) {
                throw FileProblem("the header names the column \"\(twice)\" twice")
            }
            let missing = TicketImportKeys.required.filter { !header.contains($0) }
            guard missing.isEmpty else { throw FileProblem("the header lacks the column(s) \(missing.joined(separator: ", "))") }
            self.records = records
        }
    }

    /// Bytes read so far (with `totalBytes`, the progress).
    public var bytesRead: Int64 { lines?.bytesConsumed ?? records?.bytesConsumed ?? 0 }

    /// The next row, nil at the end; throws `FileProblem` when the file stops being readable.
    public mutating func next() throws -> Item? {
        let item: Item?
        switch format {
        case .jsonLines: item = try nextJSONLine()
        case .csv: item = try nextCSVRecord()
        }
        if case .ticket(let row)? = item {
            if let first = seenNumbers[row.ticket.number.value] {
                return .rejected(TicketImportRejection(line: row.line, .duplicateNumber, "number: \(row.ticket.number) is also the number of line \(first)"))
            }
            seenNumbers[row.ticket.number.value] = row.line
        }
        if item == nil { try? file?.close() }
        return item
    }

    private mutating func nextJSONLine() throws -> Item? {
        while true {
            guard let line = try Self.readOrRefuse({ try lines?.next() }) else { return nil }
            switch line {
            case .tooLong(let number):
                return .rejected(TicketImportRejection(line: number, .unreadable, "the line is longer than \(ImportLines.maxLineBytes >> 20) MB"))
            case .text(let number, let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    return .rejected(TicketImportRejection(line: number, .unreadable, "the line is not valid UTF-8 text"))
                }
                let object: Any
                do {
                    object = try JSONSerialization.jsonObject(with: Data(bytes))
                } catch {
                    return .rejected(TicketImportRejection(line: number, .unreadable, "the line is not valid JSON"))
                }
                guard let values = object as? [String: Any] else {
                    return .rejected(TicketImportRejection(line: number, .unreadable, "the line is not a JSON object"))
                }
                return Self.item(parser.parse(values, line: number))
            }
        }
    }

    private mutating func nextCSVRecord() throws -> Item? {
        guard let record = try Self.readOrRefuse({ try records?.next() }) else { return nil }
        switch record {
        case .broken(let line, let reason):
            return .rejected(TicketImportRejection(line: line, .unreadable, reason))
        case .fields(let line, let fields):
            guard fields.count == header.count else {
                return .rejected(TicketImportRejection(line: line, .unreadable, "the row has \(fields.count) fields, the header \(header.count)"))
            }
            var values: [String: Any] = [:]
            for (name, value) in zip(header, fields) { values[name] = value }
            return Self.item(parser.parse(values, line: line))
        }
    }

    private static func item(_ result: Result<TicketImportRow, TicketImportRejection>) -> Item {
        switch result {
        case .success(let row): .ticket(row)
        case .failure(let rejection): .rejected(rejection)
        }
    }

    private static func readOrRefuse<T>(_ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch {
            throw FileProblem("the file cannot be read any further (\(reason(error)))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}

import Foundation

/// A file's size in the reader's words: "830 octets", "12 Ko", "1,2 Mo" / "830 bytes", "12 KB",
/// "1.2 MB". Foundation's `ByteCountFormatter` answers in English whatever the page's language.
/// Units of 1,024, as the config reads its limits ("10 MB" is 10,485,760 bytes): a limit shows
/// as it was written.
enum FileSize {
    static func text(_ bytes: Int64, _ language: Language) -> String {
        let french = language == .fr
        if bytes < 1024 { return "\(max(bytes, 0)) " + (french ? (bytes < 2 ? "octet" : "octets") : (bytes == 1 ? "byte" : "bytes")) }
        let units = french ? ["Ko", "Mo", "Go", "To"] : ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1023.95, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        // One decimal below 10 ("1,2 Mo"), none above ("12 Ko"), as file managers show them.
        var number = value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
        if number.hasSuffix(".0") { number.removeLast(2) }
        if french { number = number.replacingOccurrences(of: ".", with: ",") }
        return number + " " + units[unit]
    }
}

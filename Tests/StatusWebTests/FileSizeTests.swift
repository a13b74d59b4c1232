@testable import StatusWeb
import Testing

/// Attachment sizes read in the page's language, not Foundation's English.
@Suite struct FileSizeTests {
    @Test(arguments: [
        (Int64(830), "830 octets", "830 bytes"), (1, "1 octet", "1 byte"), (12_400, "12 Ko", "12 KB"), (1_500, "1,5 Ko", "1.5 KB"),
        (1_234_567, "1,2 Mo", "1.2 MB"), (10_485_760, "10 Mo", "10 MB"), (1_048_575, "1 Mo", "1 MB"), (99_328, "97 Ko", "97 KB"),
    ])
    func aSizeReadsInTheReadersLanguage(bytes: Int64, french: String, english: String) {
        #expect(FileSize.text(bytes, .fr) == french)
        #expect(FileSize.text(bytes, .en) == english)
    }
}

import CompressNIO
import Foundation
import NIOCore
@testable import StatusWeb
import Testing

/// A signed-in reader's copy of a cached page: the page compressed once around its slot, the
/// reader's menu compressed per request, joined into one gzip member that inflates to exactly
/// the page with the menu in place (what a browser would read), checked by zlib and by gzip(1).
@Suite struct GzipSpliceTests {
    @Test func crc32MatchesTheStandardsCheckValueAndCombinesParts() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        let first = Array("Météo des solutions".utf8), second = Array(" SaaS, 25 jours".utf8)
        #expect(CRC32.combine(CRC32.checksum(first), CRC32.checksum(second), length: second.count) == CRC32.checksum(first + second))
        #expect(CRC32.combine(CRC32.checksum(first), CRC32.checksum([]), length: 0) == CRC32.checksum(first))
    }

    @Test(arguments: [0, 1, 40_000])
    func theSplicedBodyInflatesToThePageWithTheMenu(headRepeats: Int) throws {
        let head = "<!DOCTYPE html><header><!--account-->" + String(repeating: "<td class=\"ok\">Cegid Loop</td>", count: headRepeats)
        let slot = "<a href=\"/login\">Se connecter</a>"
        let tail = "<!--/account--></header><main>" + String(repeating: "<tr><td>échéance</td></tr>\n", count: 3_000) + "</main>"
        let page = ByteBuffer(string: head + slot + tail)
        let range = head.utf8.count..<(head.utf8.count + slot.utf8.count)
        let splice = try GzipSplice(page: page, slots: [range])
        for menu in ["<details><summary>Camille Martin</summary></details>", ""] {
            let body = try splice.body(with: [ByteBuffer(string: menu)])
            let expected = head + menu + tail
            var read = body
            var inflated = try read.decompress(with: .gzip())
            #expect(inflated.readString(length: inflated.readableBytes) == expected)
            #expect(try Self.gunzip(Data(body.readableBytesView)) == Data(expected.utf8), "gzip(1) reads it too")
        }
    }

    @Test func twoSlotsTheMenuAndTheReadersButton() throws {
        let parts = ["<header><!--account-->", "<a>Se connecter</a>", "<!--/account--></header><main>" + String(repeating: "Cegid Loop ", count: 5_000) + "<!--reader-->",
                     "<a>S'inscrire</a>", "<!--/reader--></main>"]
        let page = ByteBuffer(string: parts.joined())
        let first = parts[0].utf8.count
        let second = parts[0...2].joined().utf8.count
        let splice = try GzipSplice(page: page, slots: [first..<(first + parts[1].utf8.count), second..<(second + parts[3].utf8.count)])
        var body = try splice.body(with: [ByteBuffer(string: "<details>Camille</details>"), ByteBuffer(string: "<p>Vous suivez ce produit.</p>")])
        var inflated = try body.decompress(with: .gzip())
        let expected = parts[0] + "<details>Camille</details>" + parts[2] + "<p>Vous suivez ce produit.</p>" + parts[4]
        #expect(inflated.readString(length: inflated.readableBytes) == expected)
    }

    /// `gzip -dc` on the bytes: the checksum and length in the trailer must be right for it.
    private static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return result
    }
}

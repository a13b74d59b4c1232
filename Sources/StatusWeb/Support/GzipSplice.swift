import CompressNIO
import NIOCore

/// A cached page's gzip body with parts that differ per reader (the signed-in menu, the
/// product page's subscribe button), without compressing the whole page per request. The
/// page's fixed stretches around the slots are compressed once, as raw deflate: each ends on a
/// sync flush (byte-aligned, not final) except the last, which finishes the stream. Per request
/// only the reader's parts are compressed (sync-flushed too), and all are laid end to end inside
/// one gzip member whose CRC-32 is combined from the parts' (as pigz joins its blocks). Each part
/// refers only to its own bytes, so the joined stream is valid deflate.
struct GzipSplice: Sendable {
    private struct Stretch: Sendable {
        let compressed: ByteBuffer
        let crc: UInt32
        let length: Int
    }

    /// The fixed stretches: one more than the slots.
    private let stretches: [Stretch]

    /// `slots` in the page's order, not overlapping.
    init(page: ByteBuffer, slots: [Range<Int>]) throws {
        let start = page.readerIndex
        var bounds: [Range<Int>] = []
        var from = 0
        for slot in slots {
            bounds.append(from..<slot.lowerBound)
            from = slot.upperBound
        }
        bounds.append(from..<page.readableBytes)
        stretches = try bounds.enumerated().map { index, range in
            var bytes = page.getSlice(at: start + range.lowerBound, length: range.count) ?? ByteBuffer()
            let crc = CRC32.checksum(bytes.readableBytesView)
            return Stretch(compressed: try Self.deflate(&bytes, flush: index == bounds.count - 1 ? .finish : .sync), crc: crc, length: range.count)
        }
    }

    /// The gzip member of the page with `parts[i]` in slot `i` (one part per slot).
    func body(with parts: [ByteBuffer]) throws -> ByteBuffer {
        precondition(parts.count == stretches.count - 1, "one part per slot")
        var pieces: [ByteBuffer] = [stretches[0].compressed]
        var crc = stretches[0].crc
        var length = stretches[0].length
        for (part, stretch) in zip(parts, stretches.dropFirst()) {
            var plain = part
            crc = CRC32.combine(crc, CRC32.checksum(plain.readableBytesView), length: plain.readableBytes)
            length += plain.readableBytes
            pieces.append(try Self.deflate(&plain, flush: .sync))
            crc = CRC32.combine(crc, stretch.crc, length: stretch.length)
            length += stretch.length
            pieces.append(stretch.compressed)
        }
        var body = ByteBuffer()
        body.reserveCapacity(18 + pieces.reduce(0) { $0 + $1.readableBytes })
        // Magic, deflate, no flags, no time, no extra flags, unknown system.
        body.writeBytes([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        for piece in pieces { body.writeImmutableBuffer(piece) }
        body.writeInteger(crc, endianness: .little)
        body.writeInteger(UInt32(truncatingIfNeeded: length), endianness: .little)
        return body
    }

    private static func deflate(_ bytes: inout ByteBuffer, flush: CompressNIOFlush) throws -> ByteBuffer {
        let compressor = CompressionAlgorithm.deflate(configuration: .init(compressionLevel: .fastestCompression)).compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        return try bytes.compressStream(with: compressor, flush: flush)
    }
}

/// CRC-32 as gzip has it (polynomial 0xEDB88320), and the combination of two parts' checksums
/// without reading the parts again (zlib's `crc32_combine`, by squaring the operator that
/// appends zero bytes).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    /// The CRC-32 of A followed by B, from A's, B's and B's length.
    static func combine(_ first: UInt32, _ second: UInt32, length: Int) -> UInt32 {
        guard length > 0 else { return first }
        var odd = [UInt32](repeating: 0, count: 32)
        var even = [UInt32](repeating: 0, count: 32)
        // The operator for one zero bit, then two, then four.
        odd[0] = 0xEDB8_8320
        var row: UInt32 = 1
        for bit in 1..<32 {
            odd[bit] = row
            row <<= 1
        }
        square(&even, odd)
        square(&odd, even)
        var crc = first
        var remaining = length
        repeat {
            square(&even, odd)
            if remaining & 1 != 0 { crc = times(even, crc) }
            remaining >>= 1
            if remaining == 0 { break }
            square(&odd, even)
            if remaining & 1 != 0 { crc = times(odd, crc) }
            remaining >>= 1
        } while remaining != 0
        return crc ^ second
    }

    private static func times(_ matrix: [UInt32], _ vector: UInt32) -> UInt32 {
        var sum: UInt32 = 0
        var vector = vector
        var index = 0
        while vector != 0 {
            if vector & 1 != 0 { sum ^= matrix[index] }
            vector >>= 1
            index += 1
        }
        return sum
    }

    private static func square(_ result: inout [UInt32], _ matrix: [UInt32]) {
        for index in 0..<32 { result[index] = times(matrix, matrix[index]) }
    }
}

import CompressNIO
import NIOCore

/// A cached page's gzip body with a part that differs per reader (the signed-in menu), without
/// compressing the whole page per request. The page's bytes before and after the slot are
/// compressed once, as raw deflate: the part before ends on a sync flush (byte-aligned, not
/// final), the part after finishes the stream. Per request only the reader's part is
/// compressed (sync-flushed too), and the three are laid end to end inside one gzip member;
/// its CRC-32 is combined from the parts' (as pigz joins its blocks). Each part refers only to
/// its own bytes, so the joined stream is valid deflate.
struct GzipSplice: Sendable {
    private let head: ByteBuffer
    private let tail: ByteBuffer
    private let headCRC: UInt32
    private let tailCRC: UInt32
    private let headLength: Int
    private let tailLength: Int

    init(page: ByteBuffer, slot: Range<Int>) throws {
        let start = page.readerIndex
        var before = page.getSlice(at: start, length: slot.lowerBound) ?? ByteBuffer()
        var after = page.getSlice(at: start + slot.upperBound, length: page.readableBytes - slot.upperBound) ?? ByteBuffer()
        headCRC = CRC32.checksum(before.readableBytesView)
        tailCRC = CRC32.checksum(after.readableBytesView)
        headLength = before.readableBytes
        tailLength = after.readableBytes
        head = try Self.deflate(&before, flush: .sync)
        tail = try Self.deflate(&after, flush: .finish)
    }

    /// The gzip member of the page with `middle` in its slot.
    func body(with middle: ByteBuffer) throws -> ByteBuffer {
        var plain = middle
        let middleCRC = CRC32.checksum(plain.readableBytesView)
        let middleLength = plain.readableBytes
        let compressed = try Self.deflate(&plain, flush: .sync)
        let crc = CRC32.combine(CRC32.combine(headCRC, middleCRC, length: middleLength), tailCRC, length: tailLength)
        var body = ByteBuffer()
        body.reserveCapacity(10 + head.readableBytes + compressed.readableBytes + tail.readableBytes + 8)
        // Magic, deflate, no flags, no time, no extra flags, unknown system.
        body.writeBytes([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        body.writeImmutableBuffer(head)
        body.writeImmutableBuffer(compressed)
        body.writeImmutableBuffer(tail)
        body.writeInteger(crc, endianness: .little)
        body.writeInteger(UInt32(truncatingIfNeeded: headLength + middleLength + tailLength), endianness: .little)
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

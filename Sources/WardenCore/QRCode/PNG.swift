// A minimal PNG writer (ISO/IEC 15948): one IHDR, one IDAT, IEND. The zlib stream uses stored (uncompressed)
// deflate blocks: valid for every decoder, and a QR code image is small enough that compression is not worth
// the code. 1-bit grayscale keeps the stored image at an eighth of the 8-bit size.

/// Writes PNG images.
enum PNG {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The largest payload of one stored deflate block.
    static let maximumStoredBlock = 65_535

    /// A 1-bit grayscale image of `rows` (true = black) surrounded by `border` white modules, each module
    /// drawn as `scale` × `scale` pixels.
    static func monochrome(_ rows: [[Bool]], border: Int, scale: Int) -> [UInt8] {
        let modules = (rows.first?.count ?? 0) + 2 * border
        let side = modules * scale
        let rowBytes = (side + 7) / 8

        // Filter byte 0 (none), then pixels packed most significant bit first; 1 is white, 0 black.
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        var line = [UInt8](repeating: 0, count: rowBytes)
        for moduleY in 0..<modules {
            for index in line.indices { line[index] = 0xFF }  // padding bits past the width stay white
            let y = moduleY - border
            for moduleX in 0..<modules {
                let x = moduleX - border
                guard rows.indices.contains(y), rows[y].indices.contains(x), rows[y][x] else { continue }
                for pixel in (moduleX * scale)..<((moduleX + 1) * scale) {
                    line[pixel / 8] &= ~(0x80 >> UInt8(pixel % 8))
                }
            }
            for _ in 0..<scale {
                raw.append(0)
                raw.append(contentsOf: line)
            }
        }

        var header: [UInt8] = []
        header.appendBigEndian(UInt32(side))  // width
        header.appendBigEndian(UInt32(side))  // height
        header += [1, 0, 0, 0, 0]  // bit depth 1, grayscale, deflate, adaptive filtering, no interlace

        var file = signature
        file.appendChunk("IHDR", header)
        file.appendChunk("IDAT", zlibStored(raw))
        file.appendChunk("IEND", [])
        return file
    }

    /// A zlib stream (RFC 1950) wrapping `data` in stored deflate blocks (RFC 1951 section 3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01 makes CMF·256 + FLG a multiple of 31, no dictionary.
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(data.count + data.count / maximumStoredBlock * 5 + 11)
        var start = 0
        repeat {
            let end = min(start + maximumStoredBlock, data.count)
            let length = UInt16(end - start)
            stream.append(end == data.count ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
            stream += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += data[start..<end]
            start = end
        } while start < data.count
        stream.appendBigEndian(adler32(data))
        return stream
    }

    /// The Adler-32 checksum zlib appends (RFC 1950 section 8).
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        // 5552 bytes is the most that can be summed before b overflows 32 bits, so reduce once per chunk.
        var start = 0
        while start < data.count {
            let end = min(start + 5552, data.count)
            for byte in data[start..<end] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
            start = end
        }
        return b << 16 | a
    }

    /// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks use it.
    static func crc32<S: Sequence<UInt8>>(_ bytes: S) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    /// The byte-at-a-time lookup table for `crc32`.
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

extension [UInt8] {
    /// Appends a 32-bit value, most significant byte first, as PNG and zlib store integers.
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [
            UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF),
        ])
    }

    /// Appends a PNG chunk: length, type, data, and the CRC of type and data.
    fileprivate mutating func appendChunk(_ type: String, _ data: [UInt8]) {
        appendBigEndian(UInt32(data.count))
        let body = Array(type.utf8) + data
        append(contentsOf: body)
        appendBigEndian(PNG.crc32(body))
    }
}

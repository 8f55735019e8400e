import Testing
@testable import WardenCore

/// The QR code encoder against reference matrices and the standard's worked examples, and its PNG output
/// against an independent reader. Decoding with a real scanner (zbar) is scripts/check-qrcode.py.
@Suite struct QRCodeTests {
    // MARK: Matrices

    @Test(arguments: QRCodeFixture.all)
    func matchesReferenceEncoder(_ fixture: QRCodeFixture) throws {
        let matrix = try QRCode.matrix(for: fixture.text, correction: fixture.correction)
        #expect(matrix.count == 17 + 4 * fixture.version)
        #expect(matrix.allSatisfy { $0.count == matrix.count })
        #expect(matrix == fixture.matrix)
        let symbol = try QRCode.symbol(for: Array(fixture.text.utf8), correction: fixture.correction, mask: nil)
        #expect(symbol.mask == fixture.mask)
    }

    @Test func otpauthURIOf100CharactersFitsVersion6AtMedium() throws {
        #expect(QRCodeFixture.otpauth100.count == 100)
        #expect(try QRCode.matrix(for: QRCodeFixture.otpauth100).count == 41)
    }

    @Test(arguments: [
        // (level, version, byte capacity) from ISO/IEC 18004 Table 7, at the 8/16-bit count boundary and the ends.
        (QRCode.ErrorCorrection.low, 1, 17), (.medium, 1, 14), (.quartile, 1, 11), (.high, 1, 7),
        (.medium, 9, 180), (.medium, 10, 213), (.quartile, 27, 805),
        (.low, 40, 2953), (.medium, 40, 2331), (.quartile, 40, 1663), (.high, 40, 1273),
    ])
    func choosesSmallestVersionThatFits(correction: QRCode.ErrorCorrection, version: Int, capacity: Int) throws {
        let full = String(repeating: "a", count: capacity)
        #expect(try QRCode.matrix(for: full, correction: correction).count == 17 + 4 * version)
        let over = full + "a"
        if version < 40 {
            #expect(try QRCode.matrix(for: over, correction: correction).count == 17 + 4 * (version + 1))
        } else {
            let error = #expect(throws: QRCodeError.self) { try QRCode.matrix(for: over, correction: correction) }
            #expect(error?.code == .dataTooLong)
        }
    }

    @Test func dataCodewordsFollowByteModeLayout() {
        // Mode 0100, count 6, "Warden", terminator, then pad codewords 0xEC 0x11 to the 16 of version 1-M.
        let codewords = QRCode.dataCodewords(for: Array("Warden".utf8), version: 1, correction: .medium)
        #expect(codewords == [0x40, 0x65, 0x76, 0x17, 0x26, 0x46, 0x56, 0xE0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
    }

    @Test func nonASCIITextCarriesUTF8ECI() {
        // ECI 0111 + designator 26, then byte mode with the two UTF-8 bytes of "é".
        let codewords = QRCode.dataCodewords(for: Array("é".utf8), version: 1, correction: .medium)
        #expect(Array(codewords.prefix(7)) == [0x71, 0xA4, 0x02, 0xC3, 0xA9, 0x00, 0xEC])
        #expect(QRCode.byteCapacity(version: 1, correction: .medium, utf8ECI: true) == 13)  // (128 − 4 − 8 − 12) / 8
    }

    @Test func reedSolomonMatchesStandardExample() {
        // ISO/IEC 18004 Annex I: "01234567" at version 1-M.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = ReedSolomon.remainder(of: data[...], generator: ReedSolomon.generator(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test(arguments: [
        (1, [Int]()), (2, [6, 18]), (7, [6, 22, 38]), (32, [6, 34, 60, 86, 112, 138]),
        (36, [6, 24, 50, 76, 102, 128, 154]), (40, [6, 30, 58, 86, 114, 142, 170]),
    ])
    func alignmentPatternPositionsMatchAnnexE(version: Int, positions: [Int]) {
        #expect(QRCode.alignmentPatternPositions(version: version) == positions)
    }

    @Test func codewordCountsMatchTable9() {
        for version in 1...40 {
            let total = QRCode.rawDataModules(version: version) / 8
            for correction in QRCode.ErrorCorrection.allCases {
                let level = correction.tableIndex
                let ecc = QRCode.eccCodewordsPerBlock[level][version] * QRCode.errorCorrectionBlocks[level][version]
                #expect(QRCode.dataCodewordCount(version: version, correction: correction) + ecc == total)
            }
        }
        #expect(QRCode.rawDataModules(version: 1) / 8 == 26)
        #expect(QRCode.rawDataModules(version: 40) / 8 == 3706)
    }

    @Test(arguments: [1, 6, 7, 21, 40])
    func functionPatternsAndVersionInformation(version: Int) throws {
        let capacity = QRCode.byteCapacity(version: version, correction: .low)
        let matrix = try QRCode.matrix(for: String(repeating: "Z", count: capacity), correction: .low)
        let size = 17 + 4 * version
        #expect(matrix.count == size)
        for (x0, y0) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(matrix[y0 + dy][x0 + dx] == (ring != 2), "finder at \(x0),\(y0)")
                }
            }
        }
        for index in 8..<(size - 8) {
            #expect(matrix[6][index] == (index % 2 == 0))
            #expect(matrix[index][6] == (index % 2 == 0))
        }
        #expect(matrix[size - 8][8], "the dark module")
        if version >= 7 {
            // Both copies of the 18-bit version information (version 7 is 000111 110010 010100 = 0x07C94).
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            if version == 7 { #expect(bits == 0x07C94) }
            for index in 0..<18 {
                let a = size - 11 + index % 3, b = index / 3
                #expect(matrix[b][a] == ((bits >> index) & 1 == 1))
                #expect(matrix[a][b] == ((bits >> index) & 1 == 1))
            }
        }
    }

    // MARK: PNG

    @Test func pngStructureAndPixels() throws {
        let text = QRCodeFixture.otpauth100
        let matrix = try QRCode.matrix(for: text)
        let png = try PNGReader(try QRCode.png(for: text, scale: 3))
        #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
        let side = (matrix.count + 2 * QRCode.quietZone) * 3
        #expect(png.width == side && png.height == side)
        #expect(png.bitDepth == 1 && png.colorType == 0)  // 1-bit grayscale
        #expect(png.compression == 0 && png.filter == 0 && png.interlace == 0)
        #expect(png.storedBlockCount == 1)
        #expect(try png.pixelsMatch(matrix, scale: 3))
    }

    @Test func largePNGSpansSeveralStoredBlocks() throws {
        let text = String(repeating: "x", count: 2331)  // version 40 at level M
        let matrix = try QRCode.matrix(for: text)
        let png = try PNGReader(try QRCode.png(for: text, scale: 6))
        #expect(png.width == (177 + 8) * 6)
        #expect(png.storedBlockCount > 1)
        #expect(try png.pixelsMatch(matrix, scale: 6))
    }

    @Test func checksumsMatchKnownValues() {
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // Long enough to need the writer's deferred modulo more than once.
        let long = [UInt8](repeating: 0xFF, count: 100_000)
        #expect(PNG.adler32(long) == PNGReader.adler32(long))
    }

    @Test(arguments: [0, -1, QRCode.maximumScale + 1])
    func rejectsScaleOutOfRange(scale: Int) {
        let error = #expect(throws: QRCodeError.self) { try QRCode.png(for: "Warden", scale: scale) }
        #expect(error?.code == .invalidScale)
    }
}

/// A strict reader for the PNGs the encoder writes, written from the PNG and zlib specifications and sharing
/// no code with the writer: checks every CRC, the zlib header, stored blocks and the Adler-32 trailer.
private struct PNGReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    var chunkTypes: [String] = []
    var width = 0, height = 0, bitDepth = 0, colorType = 0, compression = 0, filter = 0, interlace = 0
    var storedBlockCount = 0
    /// The decompressed scanlines: a filter byte, then packed pixels.
    var raw: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [137, 80, 78, 71, 13, 10, 26, 10]) else { throw Malformed("signature") }
        var offset = 8
        var idat: [UInt8] = []
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Malformed("truncated chunk") }
            let length = Int(Self.bigEndian(bytes, offset))
            guard offset + 12 + length <= bytes.count else { throw Malformed("chunk length") }
            let typeAndData = Array(bytes[(offset + 4)..<(offset + 8 + length)])
            guard Self.bigEndian(bytes, offset + 8 + length) == Self.crc32(typeAndData) else { throw Malformed("CRC") }
            let type = String(decoding: typeAndData.prefix(4), as: UTF8.self)
            let data = Array(typeAndData.dropFirst(4))
            chunkTypes.append(type)
            switch type {
            case "IHDR":
                guard data.count == 13 else { throw Malformed("IHDR length") }
                width = Int(Self.bigEndian(data, 0))
                height = Int(Self.bigEndian(data, 4))
                (bitDepth, colorType, compression, filter, interlace) =
                    (Int(data[8]), Int(data[9]), Int(data[10]), Int(data[11]), Int(data[12]))
            case "IDAT": idat += data
            default: break
            }
            offset += 12 + length
        }
        try inflateStored(idat)
    }

    private mutating func inflateStored(_ stream: [UInt8]) throws {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0,
            stream[1] & 0x20 == 0
        else { throw Malformed("zlib header") }
        var offset = 2
        var final = false
        while !final {
            guard offset + 5 <= stream.count else { throw Malformed("truncated block") }
            final = stream[offset] & 1 == 1
            guard stream[offset] >> 1 == 0 else { throw Malformed("not a stored block") }
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length ^ complement == 0xFFFF, offset + 5 + length <= stream.count else { throw Malformed("LEN/NLEN") }
            raw += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            storedBlockCount += 1
        }
        guard offset + 4 == stream.count, Self.bigEndian(stream, offset) == Self.adler32(raw) else {
            throw Malformed("Adler-32")
        }
    }

    /// Whether every pixel is black exactly where `matrix`, surrounded by the quiet zone, has a dark module.
    func pixelsMatch(_ matrix: [[Bool]], scale: Int) throws -> Bool {
        let rowBytes = (width + 7) / 8
        guard raw.count == height * (rowBytes + 1) else { throw Malformed("image data size") }
        for y in 0..<height {
            let line = raw[(y * (rowBytes + 1))..<((y + 1) * (rowBytes + 1))]
            guard line.first == 0 else { return false }
            for x in 0..<width {
                let white = (line[line.startIndex + 1 + x / 8] >> (7 - UInt8(x % 8))) & 1 == 1
                let mx = x / scale - QRCode.quietZone, my = y / scale - QRCode.quietZone
                let dark = matrix.indices.contains(my) && matrix.indices.contains(mx) && matrix[my][mx]
                if white == dark { return false }
            }
        }
        return true
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Bit-by-bit CRC-32, the slow textbook form.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Adler-32 reduced at every byte, the textbook form.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}

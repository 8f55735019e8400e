// Data encoding: byte-mode bit stream, version selection, Reed–Solomon error correction over GF(256),
// and block interleaving (ISO/IEC 18004:2015 sections 7.4, 7.5 and 7.6).

extension QRCode.ErrorCorrection {
    /// The row of the per-level tables below, in the standard's L, M, Q, H order.
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }

    /// The two bits the format information carries for this level (Table 12: L=01, M=00, Q=11, H=10).
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}

extension QRCode {
    /// Error-correction codewords in each block, by level then version (Table 9). Index 0 is unused.
    static let eccCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Error-correction blocks, by level then version (Table 9). Index 0 is unused.
    static let errorCorrectionBlocks: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for codewords (data, error correction and remainder bits) once every function
    /// pattern and the format and version information are placed.
    static func rawDataModules(version: Int) -> Int {
        var modules = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentCount = version / 7 + 2
            modules -= (25 * alignmentCount - 10) * alignmentCount - 55
            if version >= 7 { modules -= 36 }
        }
        return modules
    }

    /// Data codewords (8-bit) a symbol of `version` holds at `correction`.
    static func dataCodewordCount(version: Int, correction: ErrorCorrection) -> Int {
        let level = correction.tableIndex
        return rawDataModules(version: version) / 8
            - eccCodewordsPerBlock[level][version] * errorCorrectionBlocks[level][version]
    }

    /// Bits of the character count indicator in byte mode: 8 up to version 9, 16 above (Table 3).
    static func byteCountBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Bits of the ECI header (mode 0111, designator 000026) that marks the bytes as UTF-8.
    static let utf8ECIBits = 12

    /// Whether `data` needs the UTF-8 ECI header: byte mode means ISO-8859-1 unless told otherwise, so any
    /// byte past ASCII would be misread. ASCII text (every otpauth URI) is sent without it, the most compatible.
    static func needsUTF8ECI(_ data: [UInt8]) -> Bool { data.contains { $0 >= 0x80 } }

    /// The largest number of bytes that fit in `version` at `correction` in byte mode.
    static func byteCapacity(version: Int, correction: ErrorCorrection, utf8ECI: Bool = false) -> Int {
        let headerBits = 4 + byteCountBits(version: version) + (utf8ECI ? utf8ECIBits : 0)
        return (dataCodewordCount(version: version, correction: correction) * 8 - headerBits) / 8
    }

    /// The smallest version, 1 to 40, whose capacity holds `count` bytes at `correction`.
    static func smallestVersion(
        forByteCount count: Int, correction: ErrorCorrection, utf8ECI: Bool = false
    ) throws(QRCodeError) -> Int {
        for version in 1...40 where byteCapacity(version: version, correction: correction, utf8ECI: utf8ECI) >= count {
            return version
        }
        let limit = byteCapacity(version: 40, correction: correction, utf8ECI: utf8ECI)
        throw QRCodeError(
            .dataTooLong,
            "text of \(count) bytes is longer than the \(limit) bytes "
                + "a QR code holds at error-correction level \(correction)")
    }

    /// The data codewords: mode indicator, count, the bytes, terminator, then pad codewords to capacity.
    static func dataCodewords(for data: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let capacityBits = dataCodewordCount(version: version, correction: correction) * 8
        var bits = BitBuffer()
        if needsUTF8ECI(data) {
            bits.append(0b0111, count: 4)  // ECI mode
            bits.append(26, count: 8)  // designator 000026: UTF-8
        }
        bits.append(0b0100, count: 4)  // byte mode
        bits.append(data.count, count: byteCountBits(version: version))
        for byte in data { bits.append(Int(byte), count: 8) }
        // INVARIANT: smallestVersion guarantees the header and data fit, so the terminator is never negative.
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11  // alternate 0xEC, 0x11 as the standard specifies
        }
        return codewords
    }

    /// Splits the data codewords into blocks, appends each block's Reed–Solomon codewords, and interleaves
    /// them: first the data codewords column by column across blocks, then the error-correction codewords.
    static func interleavedCodewords(_ data: [UInt8], version: Int, correction: ErrorCorrection) -> [UInt8] {
        let level = correction.tableIndex
        let blockCount = errorCorrectionBlocks[level][version]
        let eccLength = eccCodewordsPerBlock[level][version]
        let rawCodewords = rawDataModules(version: version) / 8
        // Short blocks come first; long blocks carry one more data codeword.
        let shortBlockCount = blockCount - rawCodewords % blockCount
        let shortDataLength = rawCodewords / blockCount - eccLength
        let generator = ReedSolomon.generator(degree: eccLength)

        var dataBlocks: [ArraySlice<UInt8>] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortDataLength + (block < shortBlockCount ? 0 : 1)
            let slice = data[start..<(start + length)]
            start += length
            dataBlocks.append(slice)
            eccBlocks.append(ReedSolomon.remainder(of: slice, generator: generator))
        }

        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for index in 0...shortDataLength {
            for block in dataBlocks where index < block.count {
                result.append(block[block.startIndex + index])
            }
        }
        for index in 0..<eccLength {
            for block in eccBlocks { result.append(block[index]) }
        }
        return result
    }
}

/// Reed–Solomon codes over GF(2^8) with the QR code polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D).
enum ReedSolomon {
    /// exp[i] = α^i for i in 0..<510, doubled so products of two logarithms need no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log[α^i] = i; log[0] is never read.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(exp[index])] = index }
        return table
    }()

    /// The product of two field elements.
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        if x == 0 || y == 0 { return 0 }
        return exp[log[Int(x)] + log[Int(y)]]
    }

    /// The coefficients, highest power first and leading 1 omitted, of ∏(x − α^i) for i in 0..<degree.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply the polynomial by (x − root); minus is plus in GF(2^8).
            for index in 0..<degree {
                coefficients[index] = multiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    /// The error-correction codewords: the remainder of data·x^degree divided by the generator.
    static func remainder(of data: ArraySlice<UInt8>, generator: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for index in result.indices { result[index] ^= multiply(generator[index], factor) }
        }
        return result
    }
}

/// An append-only sequence of bits, most significant first.
struct BitBuffer {
    /// The packed bits; the last byte is zero-padded.
    private(set) var bytes: [UInt8] = []
    /// How many bits were appended.
    private(set) var count = 0

    /// Appends the low `count` bits of `value`, most significant first.
    mutating func append(_ value: Int, count bitCount: Int) {
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

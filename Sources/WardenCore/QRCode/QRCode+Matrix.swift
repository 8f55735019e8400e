// Module placement: function patterns, format and version information, codeword placement, and the
// choice of data mask by the standard's penalty rules (ISO/IEC 18004:2015 sections 7.7 to 7.10).

extension QRCode {
    /// A symbol under construction: dark modules and which of them belong to function patterns.
    struct Matrix {
        /// The version, 1 to 40.
        let version: Int
        /// Modules per side: 17 + 4 × version.
        let size: Int
        /// Row-major module colours (true = dark).
        private(set) var modules: [Bool]
        /// Row-major flags for modules that masking and data placement must leave alone.
        private var isFunction: [Bool]
        /// The mask pattern applied, once chosen.
        private(set) var mask = -1

        /// An all-light matrix of `version`.
        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            modules = [Bool](repeating: false, count: size * size)
            isFunction = modules
        }

        /// The module at column `x`, row `y`.
        subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

        /// The matrix as rows of modules.
        var rows: [[Bool]] {
            (0..<size).map { y in Array(modules[(y * size)..<((y + 1) * size)]) }
        }

        private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y * size + x] = dark
            isFunction[y * size + x] = true
        }

        // MARK: Function patterns

        /// Draws timing, finder, alignment patterns and version information, and reserves the format
        /// information area (filled in once the mask is known).
        mutating func drawFunctionPatterns() {
            for index in 0..<size {
                setFunction(6, index, index % 2 == 0)
                setFunction(index, 6, index % 2 == 0)
            }
            drawFinder(centerX: 3, centerY: 3)
            drawFinder(centerX: size - 4, centerY: 3)
            drawFinder(centerX: 3, centerY: size - 4)

            let positions = QRCode.alignmentPatternPositions(version: version)
            let last = positions.count - 1
            for (i, x) in positions.enumerated() {
                for (j, y) in positions.enumerated() {
                    // The three corners with finder patterns get no alignment pattern.
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormatBits(correction: .medium, mask: 0)  // reserves the area; overwritten later
            drawVersionBits()
        }

        /// A finder pattern with its light separator, clipped at the symbol's edge.
        private mutating func drawFinder(centerX: Int, centerY: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = centerX + dx, y = centerY + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    setFunction(x, y, distance != 2 && distance != 4)
                }
            }
        }

        /// The 15-bit format information (level and mask, BCH(15,5), XOR 0x5412) in both copies,
        /// plus the always-dark module beside the lower-left finder.
        mutating func drawFormatBits(correction: ErrorCorrection, mask: Int) {
            let data = correction.formatBits << 3 | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }

            // Around the upper-left finder, skipping the timing patterns.
            for index in 0...5 { setFunction(8, index, bit(index)) }
            setFunction(8, 7, bit(6))
            setFunction(8, 8, bit(7))
            setFunction(7, 8, bit(8))
            for index in 9..<15 { setFunction(14 - index, 8, bit(index)) }
            // Split between the upper-right and lower-left finders.
            for index in 0..<8 { setFunction(size - 1 - index, 8, bit(index)) }
            for index in 8..<15 { setFunction(8, size - 15 + index, bit(index)) }
            setFunction(8, size - 8, true)
        }

        /// The 18-bit version information (BCH(18,6)) in its two 6×3 blocks, for versions 7 and up.
        private mutating func drawVersionBits() {
            guard version >= 7 else { return }
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for index in 0..<18 {
                let dark = (bits >> index) & 1 == 1
                let a = size - 11 + index % 3, b = index / 3
                setFunction(a, b, dark)
                setFunction(b, a, dark)
            }
        }

        // MARK: Data

        /// Places the codewords in the two-module-wide zigzag from the lower right, skipping function
        /// modules and the vertical timing column. Leftover remainder bits stay light.
        mutating func drawCodewords(_ codewords: [UInt8]) {
            let totalBits = codewords.count * 8
            var bitIndex = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < totalBits {
                        modules[y * size + x] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
                right -= 2
            }
        }

        // MARK: Masking

        /// Whether mask pattern `mask` (Table 10) inverts the module at column `x`, row `y`.
        static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: (x + y) % 2 == 0
            case 1: y % 2 == 0
            case 2: x % 3 == 0
            case 3: (x + y) % 3 == 0
            case 4: (x / 3 + y / 2) % 2 == 0
            case 5: x * y % 2 + x * y % 3 == 0
            case 6: (x * y % 2 + x * y % 3) % 2 == 0
            default: ((x + y) % 2 + x * y % 3) % 2 == 0
            }
        }

        /// XORs mask pattern `mask` over the non-function modules (applying it twice undoes it).
        private mutating func toggleMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                    modules[y * size + x].toggle()
                }
            }
        }

        /// Applies `forced`, or else the mask of lowest penalty (the first on ties), with its format bits.
        mutating func applyBestMask(correction: ErrorCorrection, forced: Int?) {
            var chosen = forced ?? 0
            if forced == nil {
                var lowest = Int.max
                for candidate in 0..<8 {
                    toggleMask(candidate)
                    drawFormatBits(correction: correction, mask: candidate)
                    let score = penalty()
                    if score < lowest {
                        lowest = score
                        chosen = candidate
                    }
                    toggleMask(candidate)
                }
            }
            toggleMask(chosen)
            drawFormatBits(correction: correction, mask: chosen)
            mask = chosen
        }
    }

    /// Centre coordinates of the alignment patterns on each axis (Annex E): 6, then evenly spaced steps
    /// (an even number of modules) back from size − 7.
    static func alignmentPatternPositions(version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var positions = [6]
        for index in 0..<(count - 1) { positions.insert(17 + 4 * version - 7 - index * step, at: 1) }
        return positions
    }
}

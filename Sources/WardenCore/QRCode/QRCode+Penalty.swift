// The penalty score that picks the data mask (ISO/IEC 18004:2015 section 7.8.3, Table 11). Any mask gives a
// valid symbol; the lowest score gives the one scanners read most easily. Encoders read Table 11 slightly
// differently (whether format information is in place, how finder-like patterns at the edge count); this
// follows Project Nayuki's reading, so the choice can be checked against its qrcodegen library.

extension QRCode.Matrix {
    /// Points for a run of 5 + i same-coloured modules in a row or column: 3 + i.
    static let runPenalty = 3
    /// Points for each 2×2 block of one colour.
    static let blockPenalty = 3
    /// Points for each finder-like 1:1:3:1:1 pattern with 4 units of light on a side (per side).
    static let finderLikePenalty = 40
    /// Points for each 5 % step of the dark proportion away from 50 %.
    static let balancePenalty = 10

    /// The total penalty of the matrix as it stands (mask and format information in place).
    func penalty() -> Int {
        var score = 0
        var line = [Bool](repeating: false, count: size)
        for y in 0..<size {
            for x in 0..<size { line[x] = self[x, y] }
            score += linePenalty(line)
        }
        for x in 0..<size {
            for y in 0..<size { line[y] = self[x, y] }
            score += linePenalty(line)
        }

        var dark = 0
        for y in 0..<size {
            for x in 0..<size {
                let colour = self[x, y]
                if colour { dark += 1 }
                if x + 1 < size, y + 1 < size,
                    colour == self[x + 1, y], colour == self[x, y + 1], colour == self[x + 1, y + 1]
                {
                    score += Self.blockPenalty
                }
            }
        }
        let total = size * size
        // The smallest k with the dark share within 50 ± 5(k + 1) %.
        let steps = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        score += steps * Self.balancePenalty
        return score
    }

    /// Run-length (N1) and finder-like (N3) points of one row or column.
    private func linePenalty(_ line: [Bool]) -> Int {
        // Runs of one colour. Outside the symbol is light (the quiet zone), so edge light runs are lengthened
        // by `size`: long enough to count as the light side of any finder-like pattern.
        let edge = size
        var runs: [(dark: Bool, length: Int)] = [(false, edge)]
        for module in line {
            if runs[runs.count - 1].dark == module {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((module, 1))
            }
        }
        if runs[runs.count - 1].dark {
            runs.append((false, edge))
        } else {
            runs[runs.count - 1].length += edge
        }

        var score = 0
        for (index, run) in runs.enumerated() {
            // Only modules inside the symbol count towards N1.
            var inside = run.length
            if index == 0 { inside -= edge }
            if index == runs.count - 1 { inside -= edge }
            if inside >= 5 { score += Self.runPenalty + inside - 5 }

            // Dark:light:dark:light:dark in ratio 1:1:3:1:1 between two light runs. Each side with 4 units of
            // light is one finder-like pattern (light 4:1:1:3:1:1 or 1:1:3:1:1:4), so both sides count.
            guard run.dark, index >= 1, index + 5 < runs.count else { continue }
            let unit = run.length
            guard runs[index + 1].length == unit, runs[index + 2].length == 3 * unit,
                runs[index + 3].length == unit, runs[index + 4].length == unit
            else { continue }
            let before = runs[index - 1].length, after = runs[index + 5].length
            if before >= 4 * unit && after >= unit { score += Self.finderLikePenalty }
            if after >= 4 * unit && before >= unit { score += Self.finderLikePenalty }
        }
        return score
    }
}

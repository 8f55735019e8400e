// The penalty score that picks the data mask (ISO/IEC 18004:2015 section 7.8.3, Table 11). Any mask gives a
// valid symbol; the lowest score gives the one scanners read most easily.

extension QRCode.Matrix {
    /// Points for a run of 5 + i same-coloured modules in a row or column: 3 + i.
    static let runPenalty = 3
    /// Points for each 2×2 block of one colour.
    static let blockPenalty = 3
    /// Points for each finder-like 1:1:3:1:1 pattern with 4 light modules on one side.
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
        // Runs of one colour; the quiet zone outside the symbol is light, so it lengthens edge light runs.
        var runs: [(dark: Bool, length: Int)] = [(false, QRCode.quietZone)]
        for module in line {
            if runs[runs.count - 1].dark == module {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((module, 1))
            }
        }
        if runs[runs.count - 1].dark {
            runs.append((false, QRCode.quietZone))
        } else {
            runs[runs.count - 1].length += QRCode.quietZone
        }

        var score = 0
        for (index, run) in runs.enumerated() {
            // The quiet zone is not part of the symbol: only the modules inside count towards N1.
            var inside = run.length
            if index == 0 { inside -= QRCode.quietZone }
            if index == runs.count - 1 { inside -= QRCode.quietZone }
            if inside >= 5 { score += Self.runPenalty + inside - 5 }

            // A dark run that starts dark:light:dark:light:dark in ratio 1:1:3:1:1, with light runs around it.
            guard run.dark, index >= 1, index + 5 < runs.count else { continue }
            let unit = run.length
            guard runs[index + 1].length == unit, runs[index + 2].length == 3 * unit,
                runs[index + 3].length == unit, runs[index + 4].length == unit
            else { continue }
            if runs[index - 1].length >= 4 * unit || runs[index + 5].length >= 4 * unit {
                score += Self.finderLikePenalty
            }
        }
        return score
    }
}

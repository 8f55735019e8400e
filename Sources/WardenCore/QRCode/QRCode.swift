/// A QR Code (ISO/IEC 18004, Model 2) encoder: text in byte mode to a module matrix or a PNG image.
///
/// Warden uses it for the `QRCodePNG` of `CreateVirtualMFADevice`, an `otpauth://totp/...` URI that an
/// authenticator app scans. Pure Swift with no dependencies: no I/O, deterministic output for a given input.
public enum QRCode {
    /// How many codewords may be damaged and still be restored: about 7, 15, 25 and 30 percent.
    public enum ErrorCorrection: Sendable, CaseIterable {
        /// About 7 percent recoverable (level L).
        case low
        /// About 15 percent recoverable (level M), the usual choice for screens.
        case medium
        /// About 25 percent recoverable (level Q).
        case quartile
        /// About 30 percent recoverable (level H).
        case high
    }

    /// The width of the light border a scanner needs around the symbol, in modules (the standard asks for 4).
    public static let quietZone = 4

    /// The largest accepted `scale` for `png(for:correction:scale:)`: a version 40 symbol at 32 pixels per
    /// module is 5,920 pixels wide, already far more than any scanner needs.
    public static let maximumScale = 32

    /// The module matrix (true = dark), with no quiet zone: `matrix[y][x]`, row by row from the top.
    ///
    /// The text is encoded as UTF-8 in byte mode (behind a UTF-8 ECI header only if it is not ASCII), in the
    /// smallest version (1–40) that holds it at `correction`, with the mask pattern of lowest penalty.
    public static func matrix(for text: String, correction: ErrorCorrection = .medium) throws(QRCodeError) -> [[Bool]] {
        try symbol(for: Array(text.utf8), correction: correction, mask: nil).rows
    }

    /// A PNG image of the code with a 4-module quiet zone, `scale` pixels per module (1-bit grayscale).
    public static func png(
        for text: String, correction: ErrorCorrection = .medium, scale: Int = 6
    ) throws(QRCodeError) -> [UInt8] {
        guard (1...maximumScale).contains(scale) else {
            throw QRCodeError(.invalidScale, "scale `\(scale)` must be between 1 and \(maximumScale) pixels per module")
        }
        let rows = try matrix(for: text, correction: correction)
        return PNG.monochrome(rows, border: quietZone, scale: scale)
    }

    /// Builds the finished symbol for `data`. `mask` forces a mask pattern (0–7); nil chooses the one of
    /// lowest penalty, as the standard asks. Tests force a mask to compare with other encoders.
    static func symbol(for data: [UInt8], correction: ErrorCorrection, mask: Int?) throws(QRCodeError) -> Matrix {
        let version = try smallestVersion(
            forByteCount: data.count, correction: correction, utf8ECI: needsUTF8ECI(data))
        let codewords = interleavedCodewords(
            dataCodewords(for: data, version: version, correction: correction),
            version: version, correction: correction)
        var matrix = Matrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(codewords)
        matrix.applyBestMask(correction: correction, forced: mask)
        return matrix
    }
}

/// Why a QR code could not be made.
public struct QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable reasons, for callers that map them to an API error.
    public enum Code: String, Sendable, Equatable {
        /// The text does not fit in a version 40 symbol at the requested error-correction level.
        case dataTooLong
        /// The requested pixels per module is out of range.
        case invalidScale
    }

    /// The stable reason.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Makes an error with a stable code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and message, for logs and test failures.
    public var description: String { "\(code.rawValue): \(message)" }
}

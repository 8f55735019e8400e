import CZlib
import Foundation

/// Gzip streams (RFC 1952), as CloudTrail log and digest files are stored.
enum Gzip {
    /// zlib's fastest level, which log files use.
    static let fastest: Int32 = Z_BEST_SPEED

    /// Compresses `data` into one gzip member. The header's modification time is zero, so equal input
    /// gives equal bytes.
    static func compress(_ data: Data, level: Int32 = Z_DEFAULT_COMPRESSION) throws -> Data {
        try data.withUnsafeBytes { try compress($0, level: level) }
    }

    /// Compresses `bytes` into one gzip member. Log files use `Z_BEST_SPEED`: on CloudTrail records it is twice
    /// as fast as zlib's default level for files about 15% larger (docs/audit.md, "The cost of recording").
    static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = Z_DEFAULT_COMPRESSION) throws -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip wrapper instead of a zlib one.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw AuditError(.compression, "zlib refused to start a gzip stream")
        }
        defer { deflateEnd(&stream) }
        // deflateBound is what the whole output can take, so one call finishes the stream.
        var output = Data(count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status: Int32 = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(bytes.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw AuditError(.compression, "zlib failed to compress (status \(status))")
        }
        output.count = Int(stream.total_out)
        return output
    }

    /// Inflates the first gzip member of `data`, refusing output larger than `limit` bytes so that a
    /// hostile file cannot exhaust memory.
    static func decompress(_ data: Data, limit: Int = 1 << 30) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw AuditError(.compression, "zlib refused to start a gzip stream")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var input = [UInt8](data)
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var status = Z_OK
            repeat {
                buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(out.baseAddress!, count: chunk - Int(stream.avail_out))
                }
                if output.count > limit { return Z_MEM_ERROR }
                // No progress with input left means a truncated stream.
                if status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
                    return Z_DATA_ERROR
                }
            } while status == Z_OK
            return status
        }
        guard status == Z_STREAM_END else {
            throw AuditError(.compression, "not a complete gzip stream (zlib status \(status))")
        }
        return output
    }
}

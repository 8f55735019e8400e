import CZlib
import Foundation

/// Gzip streams (RFC 1952), as CloudTrail log and digest files are stored.
enum Gzip {
    /// Compresses `data` into one gzip member. The header's modification time is zero, so equal input
    /// gives equal bytes.
    static func compress(_ data: Data) throws -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 asks zlib for a gzip wrapper instead of a zlib one.
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw AuditError(.compression, "zlib refused to start a gzip stream")
        }
        defer { deflateEnd(&stream) }
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
                    status = deflate(&stream, Z_FINISH)
                    output.append(out.baseAddress!, count: chunk - Int(stream.avail_out))
                }
            } while status == Z_OK
            return status
        }
        guard status == Z_STREAM_END else {
            throw AuditError(.compression, "zlib failed to compress (status \(status))")
        }
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A minimal HTTP/1.1 server on 127.0.0.1 for the client's transport tests: it reads requests (keep-alive,
/// `Content-Length` bodies), records them, and answers with what the handler returns. Blocking sockets on
/// plain threads keep it independent of the HTTP stack under test.
final class LoopbackServer: @unchecked Sendable {
    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
    }

    let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> (status: Int, body: String)
    private let lock = NSLock()
    private var received: [Request] = []

    /// Starts listening on a free port.
    init(handler: @escaping @Sendable (Request) -> (status: Int, body: String)) {
        self.handler = handler
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Stops accepting; connections already open end when the client closes them.
    ///
    /// Only shuts the listener down: that wakes the accept loop, which closes it. Closing it here while the loop
    /// still waited in `accept` let another test's new socket reuse the descriptor number, and this server's
    /// loop then accepted that test's connections and answered them with the wrong handler.
    func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Every request received so far.
    var requests: [Request] { lock.withLock { received } }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                _ = close(listener)
                return
            }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { _ = close(connection) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        func fill() -> Bool {
            let n = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            buffer += chunk[0..<n]
            return true
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            var headEnd: Int?
            while headEnd == nil {
                headEnd = buffer.indices.dropLast(3).first { Array(buffer[$0..<($0 + 4)]) == separator }
                if headEnd == nil, !fill() { return }
            }
            let head = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
            buffer.removeFirst(headEnd! + 4)
            let requestLine = head[0].split(separator: " ")
            var headers: [(name: String, value: String)] = []
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            let length = Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
            while buffer.count < length { if !fill() { return } }
            let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(buffer[..<length]))
            buffer.removeFirst(length)
            lock.withLock { received.append(request) }
            let (status, body) = handler(request)
            let response = "HTTP/1.1 \(status) X\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: r-1\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            let bytes = Array(response.utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                sent += n
            }
        }
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the audit files need, with the durability they promise: a file that
/// `writeAtomically` returned from is complete, on disk, and visible under its final name; a crash
/// leaves either the old file or the new one, never a torn one.
enum FileIO {
    /// What `lstat` says about a path (never following a symbolic link).
    struct Info {
        enum Kind { case file, directory, other }
        var kind: Kind
        var size: Int
        var modified: Date
    }

    static func info(_ path: String) -> Info? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return info(st)
    }

    static func info(_ st: stat) -> Info {
        let kind: Info.Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        #if canImport(Darwin)
        let mtime = st.st_mtimespec
        #else
        let mtime = st.st_mtim
        #endif
        let modified = Date(timeIntervalSince1970: TimeInterval(mtime.tv_sec) + TimeInterval(mtime.tv_nsec) / 1e9)
        return Info(kind: kind, size: Int(st.st_size), modified: modified)
    }

    /// Names in a directory, without `.` and `..`; empty when it does not exist.
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw failure("cannot list the directory", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a directory and its missing parents.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if info(path)?.kind == .directory { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw failure("cannot create the directory", path) }
    }

    /// The whole file, or nil when it does not exist.
    static func contents(_ path: String) throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot open the file", path)
        }
        defer { close(fd) }
        return try readAll(fd, path: path)
    }

    static func readAll(_ fd: Int32, path: String) throws -> Data {
        var data = Data()
        try forEachChunk(fd, path: path) { data.append(contentsOf: $0) }
        return data
    }

    /// Reads a descriptor to its end, handing each chunk to `body`.
    static func forEachChunk(_ fd: Int32, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read the file", path)
            }
            if n == 0 { return }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }

    /// Writes `data` to a hidden temporary file beside `path`, flushes it to disk, then moves it to
    /// `path` and flushes the directory. With `replace` false an existing file is kept and the call
    /// returns false (hard-linking the temporary file fails if the name is taken, so two writers
    /// racing to create the same file cannot both win).
    @discardableResult
    static func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o644, replace: Bool = true) throws -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        try makeDirectories(directory)
        let temporary = directory + "/.tmp-" + UUID().uuidString.lowercased() + "-" + name
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot create a temporary file", temporary) }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)  // after a successful rename the name is gone already
        }
        // The umask may have narrowed the mode; the requested one is what the caller promised.
        _ = fchmod(fd, mode)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write", temporary)
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw failure("cannot flush", temporary) }
        close(fd)
        closed = true
        if replace {
            guard rename(temporary, path) == 0 else { throw failure("cannot rename into place", path) }
        } else {
            if link(temporary, path) != 0 {
                if errno == EEXIST { return false }
                throw failure("cannot link into place", path)
            }
        }
        syncDirectory(directory)
        return true
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure("cannot remove", path) }
    }

    /// Removes a directory if it is empty; anything else is left alone.
    static func removeIfEmpty(_ path: String) {
        _ = rmdir(path)
    }

    /// A descriptor for a directory (following links only in the path given, which callers trust),
    /// or -1.
    static func openDirectory(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    /// Flushes a directory so that a rename or unlink in it survives a power loss.
    static func syncDirectory(_ path: String) {
        let fd = openDirectory(path)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    static func failure(_ what: String, _ path: String) -> AuditError {
        let reason = String(cString: strerror(errno))
        return AuditError(.fileSystem, "\(what): \(reason)", path: path)
    }
}

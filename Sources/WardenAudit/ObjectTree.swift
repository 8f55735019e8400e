import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory tree under the audit root seen as the keys of a bucket.
///
/// INVARIANT: a key is a path of regular files and directories below the root none of whose components
/// starts with `.`. Dot names hold what must never be served (the signing key, the writer's state,
/// signature sidecars, temporary files), and symbolic links are never followed, so nothing outside the
/// root can be reached through a key.
struct ObjectTree {
    /// An object found by a walk.
    struct Entry {
        var key: String
        var path: String
        var size: Int
        var modified: Date
    }

    let root: String

    /// Splits a key into path components, or nil when it cannot name an object: empty, absolute,
    /// with empty, `.`/`..` or dot-prefixed components, a NUL, or longer than S3's 1024 bytes.
    static func components(of key: String) -> [String]? {
        guard !key.isEmpty, key.utf8.count <= 1024, !key.utf8.contains(0) else { return nil }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts where part.isEmpty || part.hasPrefix(".") { return nil }
        return parts
    }

    /// True when a key tries to leave the tree (`..`, a leading `/`, a NUL): a request to refuse
    /// rather than merely not find.
    static func isTraversal(_ key: String) -> Bool {
        key.hasPrefix("/") || key.utf8.contains(0)
            || key.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." }
    }

    /// The sidecar file that holds an object's metadata: `.<name>.metadata.json` beside it.
    static func sidecarPath(ofObjectAt path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory + "/." + (path as NSString).lastPathComponent + ".metadata.json"
    }

    /// Opens the object at `key` for reading without following symbolic links at any level, and
    /// returns its descriptor and its `stat`; nil when there is no such regular file.
    func open(key: String) -> (fd: Int32, info: FileIO.Info)? {
        guard let parts = Self.components(of: key) else { return nil }
        var dir = FileIO.openDirectory(root)
        guard dir >= 0 else { return nil }
        for part in parts.dropLast() {
            let next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(dir)
            guard next >= 0 else { return nil }
            dir = next
        }
        let fd = openat(dir, parts.last!, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        close(dir)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, FileIO.info(st).kind == .file else {
            close(fd)
            return nil
        }
        return (fd, FileIO.info(st))
    }

    /// The filesystem path of a key (which must be valid).
    func path(of key: String) -> String { root + "/" + key }

    /// Visits the objects whose keys start with `prefix` and sort after `after`, in S3's key order
    /// (bytewise UTF-8), until `visit` returns false. Folders that cannot hold such keys are not read.
    func walk(prefix: String = "", after: String? = nil, _ visit: (Entry) throws -> Bool) throws {
        _ = try walk(directory: root, keyPrefix: "", prefix: prefix, after: after, visit)
    }

    private func walk(directory: String, keyPrefix: String, prefix: String, after: String?,
                      _ visit: (Entry) throws -> Bool) throws -> Bool {
        var entries: [(sortKey: String, name: String, info: FileIO.Info)] = []
        for name in try FileIO.list(directory) where !name.hasPrefix(".") {
            guard let info = FileIO.info(directory + "/" + name), info.kind != .other else { continue }
            // A folder's keys all start with "name/", so it sorts as that; a file "a.b" comes before
            // the keys of a folder "a" ("." < "/") even though the name "a" sorts first.
            entries.append((info.kind == .directory ? name + "/" : name, name, info))
        }
        entries.sort { KeyOrder.less($0.sortKey, $1.sortKey) }
        for entry in entries {
            let key = keyPrefix + entry.sortKey
            let path = directory + "/" + entry.name
            if entry.info.kind == .directory {
                guard KeyOrder.hasPrefix(key, prefix) || KeyOrder.hasPrefix(prefix, key) else { continue }
                // Every key below starts with `key`; if `key` sorts before `after` and is not a prefix
                // of it, every one of them sorts before `after` too.
                if let after, KeyOrder.less(key, after), !KeyOrder.hasPrefix(after, key) { continue }
                if !(try walk(directory: path, keyPrefix: key, prefix: prefix, after: after, visit)) { return false }
            } else {
                guard KeyOrder.hasPrefix(key, prefix) else { continue }
                if let after, !KeyOrder.less(after, key) { continue }
                if !(try visit(Entry(key: key, path: path, size: entry.info.size, modified: entry.info.modified))) {
                    return false
                }
            }
        }
        return true
    }
}

/// S3's key order and prefix test: bytewise on UTF-8, not Swift's Unicode-aware `String` comparison.
enum KeyOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.utf8.starts(with: prefix.utf8)
    }
}

import Foundation

/// Python's `posixpath` functions that ComfyUI's file naming goes through, with their quirks
/// (`normpath("")` is ".", a leading `//` survives, `join` restarts at an absolute part).
enum PythonPath {
    static func normpath(_ path: String) -> String {
        if path.isEmpty { return "." }
        let leading = path.prefix { $0 == "/" }.count
        let initial = leading == 2 ? "//" : (leading > 0 ? "/" : "")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", !(initial.isEmpty && (parts.isEmpty || parts.last == "..")) {
                if !parts.isEmpty { parts.removeLast() }
            } else {
                parts.append(part)
            }
        }
        let joined = initial + parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = String(path[...slash])
        if head.allSatisfy({ $0 == "/" }) { return head }
        var trimmed = head
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") { return b }
        if a.isEmpty || a.hasSuffix("/") { return a + b }
        return a + "/" + b
    }

    static func abspath(_ path: String) -> String {
        normpath(path.hasPrefix("/") ? path : join(FileManager.default.currentDirectoryPath, path))
    }

    /// `os.path.commonpath((a, b))` for two absolute paths.
    static func commonpath(_ a: String, _ b: String) -> String {
        let pa = a.split(separator: "/").filter { $0 != "." }, pb = b.split(separator: "/").filter { $0 != "." }
        var n = 0
        while n < min(pa.count, pb.count), pa[n] == pb[n] { n += 1 }
        return "/" + pa.prefix(n).joined(separator: "/")
    }
}

import Foundation

/// Where model files live: for each folder key, its folders in search order. Matches ComfyUI 0.8.0
/// folder_paths.py (`get_filename_list`, `get_full_path`), with Windows names accepted (see `ModelName`).
public struct ModelFolders: Sendable {
    /// Folder key -> folders in search order.
    public private(set) var folders: [String: [URL]]
    /// Folder key -> its extension filter (keys added by `extra_model_paths.yaml` accept any file).
    public private(set) var keys: [String: ModelFolderKey]

    /// ComfyUI's layout under each root, roots in the given order.
    public init(roots: [URL]) {
        var folders: [String: [URL]] = [:]
        var keys: [String: ModelFolderKey] = [:]
        for key in ModelFolderKey.standard {
            keys[key.name] = key
            folders[key.name] = roots.flatMap { root in
                key.subfolders.map { root.appendingPathComponent($0, isDirectory: true).standardizedFileURL }
            }
        }
        self.folders = folders
        self.keys = keys
    }

    /// `add_model_folder_path`: appends (or, for defaults, puts first) one folder for a key.
    public mutating func add(_ folder: URL, for key: String, isDefault: Bool = false) {
        let name = ModelFolderKey.canonicalName(key)
        let url = folder.standardizedFileURL
        if keys[name] == nil { keys[name] = ModelFolderKey(name, extensions: []) }
        var list = folders[name] ?? []
        if let i = list.firstIndex(of: url) {
            if isDefault { list.remove(at: i); list.insert(url, at: 0) }
        } else if isDefault {
            list.insert(url, at: 0)
        } else {
            list.append(url)
        }
        folders[name] = list
    }

    /// The folders searched for `key` (legacy `unet`/`clip` accepted).
    public func folders(for key: String) -> [URL] { folders[ModelFolderKey.canonicalName(key)] ?? [] }

    /// Every file of `key`: relative names with `/`, deduplicated, sorted by code point as Python does.
    public func list(_ key: String) -> [String] {
        let name = ModelFolderKey.canonicalName(key)
        guard let filter = keys[name] else { return [] }
        var names = Set<String>()
        for folder in folders(for: name) {
            for file in FolderWalk.files(under: folder) where filter.accepts(file) { names.insert(file) }
        }
        return names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    public enum LookupError: Error, Equatable, CustomStringConvertible {
        case unknownKey(String)
        case badName(String, ModelName.Problem)
        case notFound(key: String, name: String, searched: [String])

        public var description: String {
            switch self {
            case .unknownKey(let k): return "there is no model folder '\(k)'"
            case let .badName(_, problem): return problem.description
            case let .notFound(key, name, searched):
                let where_ = searched.isEmpty ? "no folders are configured" : "searched " + searched.joined(separator: ", ")
                return "model file '\(name)' not found in folder '\(key)' (\(where_))"
            }
        }
    }

    /// The file a workflow's model name refers to: first folder of the key holding it wins.
    public func resolve(_ key: String, name: String) throws -> URL {
        let canonical = ModelFolderKey.canonicalName(key)
        guard keys[canonical] != nil else { throw LookupError.unknownKey(key) }
        let relative: String
        do { relative = try ModelName.normalised(name) } catch let p as ModelName.Problem {
            throw LookupError.badName(name, p)
        }
        let searched = folders(for: canonical)
        for folder in searched {
            let url = folder.appendingPathComponent(relative)
            if FileKind.of(url.path).isRegular { return url }
        }
        throw LookupError.notFound(key: canonical, name: name, searched: searched.map(\.path))
    }

    /// Whether `name` (Windows separators allowed) names a listed file of `key`.
    public func contains(_ key: String, name: String) -> Bool {
        guard let relative = try? ModelName.normalised(name) else { return false }
        return list(key).contains(relative)
    }
}

/// `os.walk(followlinks=True)` with `.git` skipped; hidden files kept; symlink loops cut; only
/// regular files listed (ComfyUI lists FIFOs too, and opening one hangs).
enum FolderWalk {
    static func files(under root: URL) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        walk(root, prefix: "", depth: 0, seen: &seen, into: &out)
        return out
    }

    private static func walk(_ dir: URL, prefix: String, depth: Int, seen: inout Set<String>, into out: inout [String]) {
        let fm = FileManager.default
        let real = dir.resolvingSymlinksInPath().path
        guard depth < 64, !seen.contains(real), let entries = try? fm.contentsOfDirectory(atPath: dir.path) else { return }
        seen.insert(real)
        for entry in entries.sorted() {
            let url = dir.appendingPathComponent(entry)
            switch FileKind.of(url.path) {
            case .directory:
                if entry != ".git" { walk(url, prefix: prefix + entry + "/", depth: depth + 1, seen: &seen, into: &out) }
            case .regular:
                out.append(prefix + entry)
            case .missing, .other:
                continue  // a dangling link; a FIFO, device or socket is never offered
            }
        }
        seen.remove(real)
    }
}

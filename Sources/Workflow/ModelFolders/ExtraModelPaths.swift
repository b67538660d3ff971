import Foundation
import Yams

/// ComfyUI's `extra_model_paths.yaml` (utils/extra_config.py `load_extra_path_config`): top-level
/// sections, each with optional `base_path` (`~` and `$VARS` expanded, relative to the YAML's folder)
/// and `is_default`, then `folder_key: path` entries whose value may hold one path per line.
public enum ExtraModelPaths {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var folder: URL
        public var isDefault: Bool
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String, String)
        case badShape(String, String)
        public var description: String {
            switch self {
            case let .unreadable(file, why): return "extra model paths \(file): \(why)"
            case let .badShape(file, why): return "extra model paths \(file): \(why)"
            }
        }
    }

    public static func entries(file: URL) throws -> [Entry] {
        let text: String
        let kind = FileKind.of(file.path)
        guard kind.isRegular || kind == .missing else { throw LoadError.unreadable(file.path, kind.notRegularReason) }
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw LoadError.unreadable(file.path, "cannot read the file (\(error.localizedDescription))")
        }
        return try entries(yaml: text, directory: file.deletingLastPathComponent().standardizedFileURL, name: file.path)
    }

    public static func entries(yaml text: String, directory: URL, name: String = "yaml") throws -> [Entry] {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw LoadError.unreadable(name, "invalid YAML: \(error)")
        }
        guard let root else { return [] }
        guard let sections = root.mapping else { throw LoadError.badShape(name, "the top level is not a mapping of sections") }
        var out: [Entry] = []
        for (sectionKey, section) in sections {
            if section.scalar != nil && section.null != nil { continue }   // `section:` with no body
            guard let body = section.mapping else {
                throw LoadError.badShape(name, "section '\(sectionKey.string ?? "?")' is not a mapping")
            }
            var base: URL?
            if let b = body["base_path"]?.string {
                let path = expand(b)
                base = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
            }
            let isDefault = body["is_default"]?.bool ?? false
            for (k, v) in body {
                guard let key = k.string, key != "base_path", key != "is_default" else { continue }
                guard let value = v.string else {
                    throw LoadError.badShape(name, "'\(key)' in section '\(sectionKey.string ?? "?")' is not a path")
                }
                for line in value.split(separator: "\n", omittingEmptySubsequences: true) {
                    let p = String(line)
                    let url: URL
                    if let base { url = p.hasPrefix("/") ? URL(fileURLWithPath: p) : base.appendingPathComponent(p) }
                    else { url = p.hasPrefix("/") ? URL(fileURLWithPath: p) : directory.appendingPathComponent(p) }
                    out.append(Entry(key: key, folder: url.standardizedFileURL, isDefault: isDefault))
                }
            }
        }
        return out
    }

    /// `os.path.expandvars(os.path.expanduser(p))`.
    static func expand(_ p: String) -> String {
        var s = p
        if s == "~" || s.hasPrefix("~/") {
            s = NSHomeDirectory() + s.dropFirst()
        }
        let env = ProcessInfo.processInfo.environment
        for (k, v) in env.sorted(by: { $0.key.count > $1.key.count }) {
            s = s.replacingOccurrences(of: "${\(k)}", with: v).replacingOccurrences(of: "$\(k)", with: v)
        }
        return s
    }
}

extension ModelFolders {
    /// Adds every folder of an `extra_model_paths.yaml` file.
    public mutating func addExtraPaths(file: URL) throws {
        for e in try ExtraModelPaths.entries(file: file) { add(e.folder, for: e.key, isDefault: e.isDefault) }
    }
}

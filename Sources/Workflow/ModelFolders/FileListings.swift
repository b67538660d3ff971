/// Model folder listings read once per validation (a workflow names several files of one folder;
/// ComfyUI caches its lists by directory mtime for the same reason).
final class FileListings {
    private let models: ModelFolders
    private var lists: [String: [String]] = [:]

    init(_ models: ModelFolders) { self.models = models }

    func list(_ key: String) -> [String] {
        if let l = lists[key] { return l }
        let l = models.list(key)
        lists[key] = l
        return l
    }
}

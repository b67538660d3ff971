// Matches ComfyUI 0.8.0 nodes.py LoraLoader.loaded_lora: the node keeps the last file it read, so a
// re-run with another strength does not read the file again.
import Execution
import Foundation
import Logging
import Models

enum LoRAFileCache {
    static let log = Logger(label: "swiftcomfy.lora")

    private struct Loaded: Sendable {
        let path: String
        let file: LoRAFile
    }

    /// The LoRA file `name` names, from the node's state when it is the file read last time.
    static func file(_ name: ModelFile, _ ctx: NodeContext) throws -> LoRAFile {
        let url = try ctx.modelPath(name)
        if let loaded = ctx.state["loaded_lora"] as? Loaded, loaded.path == url.path { return loaded.file }
        let file = try LoRAFile(url: url, name: name.name)
        ctx.state["loaded_lora"] = Loaded(path: url.path, file: file)
        return file
    }
}

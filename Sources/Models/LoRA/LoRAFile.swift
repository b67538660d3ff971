// Matches ComfyUI 0.8.0 comfy/lora.py load_lora with comfy/weight_adapter/*.py load(): which tensors of
// a LoRA file form one adapter, and which are left over ("lora key not loaded").
import Checkpoint
import Foundation
import TensorCore

/// A LoRA file read into one `LoRADelta` per module (the tensor key without its suffix).
/// Which model weight a module patches is decided later, against a model's `LoRAKeyMap`.
public struct LoRAFile: Sendable {
    /// File name for messages (`1.5/1.5-dpo-LoRA.safetensors`).
    public let name: String
    /// Module name -> delta.
    public let modules: [String: LoRADelta]
    /// Module name -> the tensor keys that formed it (reported when the module matches nothing).
    public let tensorKeys: [String: [String]]
    /// Tensor keys no format reads (ComfyUI: "lora key not loaded").
    public let unusedKeys: [String]
    /// Number of tensors in the file.
    public let tensorCount: Int

    /// Reads every tensor of a safetensors LoRA (LoRA files are small; values become Float32).
    public init(url: URL, name: String? = nil) throws {
        let display = name ?? url.lastPathComponent
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(url: url) } catch {
            throw LoRAError.unreadable(file: display, reason: "\(error)")
        }
        var tensors: [String: Tensor] = [:]
        for key in file.keys {
            do { tensors[key] = try file.tensor(key) } catch {
                throw LoRAError.unreadable(file: display, reason: "\(error)")
            }
        }
        try self.init(name: display, tensors: tensors)
    }

    /// Groups `tensors` into modules by the suffix tables of `LoRAKeyMap`.
    public init(name: String, tensors: [String: Tensor]) throws {
        self.name = name
        tensorCount = tensors.count
        var groups: [String: [LoRATensorRole: (key: String, tensor: Tensor)]] = [:]
        var unused: [String] = []
        for (key, tensor) in tensors {
            guard let (module, role) = LoRAKeyMap.split(key) else { unused.append(key); continue }
            groups[module, default: [:]][role] = (key, tensor)
        }
        var modules: [String: LoRADelta] = [:], keys: [String: [String]] = [:]
        for (module, parts) in groups {
            let t = parts.mapValues(\.tensor)
            guard let product = Self.product(t) else { unused += parts.values.map(\.key); continue }
            let alpha = try t[.alpha].map { a -> Float in
                guard a.count == 1 else {
                    throw LoRAError.badTensor(file: name, key: module + ".alpha", reason: "alpha has shape \(a.shape), expected a scalar")
                }
                return a.scalars[0]
            }
            modules[module] = LoRADelta(product: product, alpha: alpha, doraScale: t[.doraScale])
            keys[module] = parts.values.map(\.key).sorted()
        }
        self.modules = modules
        tensorKeys = keys
        unusedKeys = unused.sorted()
    }

    /// The adapter a module's tensors form, tried in ComfyUI's order (LoRA, LoHa, LoKr, diff).
    static func product(_ t: [LoRATensorRole: Tensor]) -> LoRADelta.Product? {
        if let up = t[.up], let down = t[.down] { return .lowRank(up: up, down: down, mid: t[.mid]) }
        if let w1a = t[.hadaW1A], let w1b = t[.hadaW1B], let w2a = t[.hadaW2A], let w2b = t[.hadaW2B] {
            let f1: LoRAFactor = t[.hadaT1].map { .tucker(core: $0, a: w1a, b: w1b) } ?? .product(a: w1a, b: w1b)
            let f2: LoRAFactor = t[.hadaT2].map { .tucker(core: $0, a: w2a, b: w2b) } ?? .product(a: w2a, b: w2b)
            return .hadamard(f1, f2)
        }
        let w1: LoRAFactor? = t[.lokrW1].map { .full($0) }
            ?? (t[.lokrW1A].flatMap { a in t[.lokrW1B].map { .product(a: a, b: $0) } })
        let w2: LoRAFactor? = t[.lokrW2].map { .full($0) }
            ?? (t[.lokrW2A].flatMap { a in t[.lokrW2B].map { b in
                t[.lokrT2].map { .tucker(core: $0, a: a, b: b) } ?? .product(a: a, b: b) } })
        if let w1, let w2 { return .kronecker(w1, w2) }
        if let d = t[.diff] { return .full(d) }
        return nil
    }
}

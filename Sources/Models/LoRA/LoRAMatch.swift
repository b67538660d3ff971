// Matches ComfyUI 0.8.0 nodes.py LoraLoader -> comfy/sd.py load_lora_for_models: one LoRA resolved
// against the key maps of the model and the text encoder, leftovers reported as "not loaded".
import Checkpoint
import Logging

/// One model's weights as LoRA resolution sees them: names and shapes, nothing else.
public struct LoRATarget: Sendable {
    public let keyMap: LoRAKeyMap
    public let shapes: [String: [Int]]

    public init(shapes: [String: [Int]], unetLayout: UNetBlockLayout? = nil) {
        self.shapes = shapes
        keyMap = LoRAKeyMap(modelKeys: Set(shapes.keys), unetLayout: unetLayout)
    }
}

/// The deltas of one LoRA file that land on one target: model key -> delta.
public typealias LoRAPatches = [String: LoRADelta]

/// A LoRA file resolved against one or more targets (the UNet, the text encoder).
public struct LoRAMatch: Sendable {
    public let file: String
    /// Per target, in the order given: model key -> delta.
    public let patches: [LoRAPatches]
    /// Tensor keys that patch nothing: unknown names, modules no target has, unusable tensors.
    public let notLoaded: [String]
    /// Modules whose weight exists but has another shape (a LoRA for another architecture).
    public let shapeMismatches: [String]
    /// Modules SwiftComfy applies but ComfyUI 0.8.0 skips (PEFT attention names, see `LoRAKeyMap`).
    public let appliedUnlikeComfyUI: [String]
    public let tensorCount: Int

    public var matchedKeys: Int { patches.reduce(0) { $0 + $1.count } }

    /// One line for the log, naming the file and how much of it matched.
    public var summary: String {
        var s = "LoRA \(file): \(matchedKeys) weights patched (" + patches.map { "\($0.count)" }.joined(separator: " + ")
            + "), \(notLoaded.count) of \(tensorCount) tensors not loaded"
        if !shapeMismatches.isEmpty { s += ", \(shapeMismatches.count) modules with mismatched shapes" }
        if matchedKeys == 0 { s += "; it matches nothing in this model (a LoRA for another architecture?)" }
        return s
    }
}

extension LoRAFile {
    /// Looks every module up in each target's key map (first target that knows it wins) and checks
    /// that its difference fits the weight's shape.
    public func resolve(against targets: [LoRATarget]) -> LoRAMatch {
        var patches = [LoRAPatches](repeating: [:], count: targets.count)
        var notLoaded = unusedKeys, mismatches: [String] = [], unlike: [String] = []
        for (module, delta) in modules.sorted(by: { $0.key < $1.key }) {
            guard let (t, key) = targets.enumerated().lazy.compactMap({ i, target in
                target.keyMap[module].map { (i, $0) } }).first,
                  let shape = targets[t].shapes[key]
            else { notLoaded += tensorKeys[module] ?? [module]; continue }
            if let problem = delta.shapeProblem(for: shape) {
                mismatches.append("\(module) -> \(key): \(problem)")
                notLoaded += tensorKeys[module] ?? [module]
                continue
            }
            patches[t][key] = delta
            if targets[t].keyMap.comfyUISkips.contains(module) { unlike.append(module) }
        }
        return LoRAMatch(file: name, patches: patches, notLoaded: notLoaded.sorted(), shapeMismatches: mismatches,
                         appliedUnlikeComfyUI: unlike, tensorCount: tensorCount)
    }
}

extension LoRAMatch {
    /// Logs the summary (a warning when nothing matched or shapes disagree) and the differences
    /// from ComfyUI 0.8.0.
    public func log(to logger: Logger) {
        if matchedKeys == 0 || !shapeMismatches.isEmpty { logger.warning("\(summary)") } else { logger.info("\(summary)") }
        for m in shapeMismatches.prefix(5) { logger.warning("LoRA \(file): shape mismatch \(m)") }
        for k in notLoaded.prefix(20) { logger.debug("LoRA \(file): key not loaded: \(k)") }
        if !appliedUnlikeComfyUI.isEmpty {
            logger.notice("LoRA \(file): \(appliedUnlikeComfyUI.count) PEFT attention modules applied that ComfyUI 0.8.0 skips (e.g. \(appliedUnlikeComfyUI[0]))")
        }
    }
}

extension LoRADelta {
    /// Why this delta cannot patch a weight of `shape`, or nil when it can. Cheap: shapes only
    /// (LoHa and LoKr products are checked when computed).
    func shapeProblem(for shape: [Int]) -> String? {
        let produced: [Int]
        switch product {
        case let .lowRank(up, down, mid):
            produced = [up.shape.first ?? 0] + (mid.map { [down.shape.dropFirst().first ?? 0] + $0.shape.dropFirst(2) }
                ?? Array(down.shape.dropFirst()))
        case let .full(d): produced = d.shape
        case .hadamard, .kronecker: return nil
        }
        if produced.first == shape.first && produced.reduce(1, *) == shape.reduce(1, *) { return nil }
        return "delta \(produced) does not fit weight \(shape)"
    }
}

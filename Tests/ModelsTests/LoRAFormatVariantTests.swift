import Foundation
import Models
import TensorCore
import Testing

/// The diffusers/PEFT spellings ComfyUI 0.8.0 accepts (comfy/weight_adapter/lora.py names, the
/// `processor.` attention spelling of comfy/lora.py) reach the same weights with the same tensors as
/// the PEFT fixture. Oracle: the fixture's own resolution (exact: same keys, same values).
struct LoRAFormatVariantTests {
    /// The PEFT fixture's tensors, renamed module by module with `rename(module, isUp)`.
    static func renamed(_ rename: (String, Bool) -> String) throws -> (LoRAFile, LoRAFile) {
        let peft = try LoRAFixtures.file("peft")
        var tensors: [String: Tensor] = [:]
        for (module, delta) in peft.modules {
            guard case let .lowRank(up, down, nil) = delta.product else { continue }
            tensors[rename(module, true)] = up
            tensors[rename(module, false)] = down
        }
        return (peft, try LoRAFile(name: "variant.safetensors", tensors: tensors))
    }

    static func processor(_ m: String) -> String {
        var p = m.replacingOccurrences(of: ".to_", with: ".processor.to_")
        if p.hasSuffix(".to_out.0") { p.removeLast(2) }
        return p
    }

    @Test(arguments: ["lora.up", "_lora.up", "lora_linear_layer", "processor", "no unet prefix"])
    func variantReachesTheSameWeights(variant: String) throws {
        let (peft, other) = try Self.renamed { module, up in
            switch variant {
            case "lora.up": return module + (up ? ".lora.up.weight" : ".lora.down.weight")
            case "_lora.up": return module + (up ? "_lora.up.weight" : "_lora.down.weight")
            case "lora_linear_layer": return module + (up ? ".lora_linear_layer.up.weight" : ".lora_linear_layer.down.weight")
            case "processor": return Self.processor(module) + (up ? ".lora_B.weight" : ".lora_A.weight")
            default:
                let m = module.hasPrefix("unet.") ? String(module.dropFirst(5)) : module
                return m + (up ? ".lora_B.weight" : ".lora_A.weight")
            }
        }
        let targets = [LoRAFixtures.targets.unet, LoRAFixtures.targets.clip]
        let a = peft.resolve(against: targets), b = other.resolve(against: targets)
        #expect(b.notLoaded == [])
        #expect(Set(a.patches[0].keys) == Set(b.patches[0].keys))
        #expect(Set(a.patches[1].keys) == Set(b.patches[1].keys))
        #expect(a.patches[0].count == 192 && a.patches[1].count == 72)
        // The processor spelling is the one ComfyUI maps: nothing applied unlike it then.
        #expect(b.appliedUnlikeComfyUI.count == (variant == "processor" ? 0 : 128))
        for (key, delta) in a.patches[0].prefix(5) {
            guard case let .lowRank(up, down, _) = delta.product,
                  case let .lowRank(up2, down2, _)? = b.patches[0][key]?.product else { Issue.record(Comment(rawValue: key)); continue }
            #expect(up.scalars == up2.scalars && down.scalars == down2.scalars)
        }
    }
}

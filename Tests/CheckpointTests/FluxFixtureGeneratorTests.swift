import Foundation
import Testing
import Checkpoint
@testable import Fixtures
import TensorCore
import TestSupport

/// Oracle: the sha256 values of ../shared/reference/README.md ("Flux.1 files"), which are the files
/// ComfyUI's expected/flux outputs were made from, re-checked on 2026-12-04 by running
/// `python3 make_fixtures.py flux-dit|clip-l|t5xxl|lora flux-kohya|lora flux-diffusers OUT` (numpy
/// 2.4.6) and `sha256sum`. Byte identity is the requirement, so comparisons are exact.
@Suite struct FluxFixtureGeneratorTests {
    static let fileHashes: [(String, String)] = [
        ("lora flux-kohya", "4fc4dfd685208173916eb96c17e6c1a4310b1dec4f8d2fbab11e0afbbcba6ad3"),
        ("lora flux-diffusers", "2050b7bd0ef13ba524fed27c80597ecfa0dba641a59204ff36bc16760ccc6360"),
        ("clip-l", "a55fad73f582e2595e2368f403fdb8f231e733f44f509e2723eefe92e63a5f5f"),
        ("flux-dit", "633ca78ec8ee99cab250e787efacda46abd5f7bca203ef04719b72f8a79ff645"),   // 1.03 GB, ~10 s
    ]

    @Test(arguments: 0..<fileHashes.count)
    func fileMatchesReferenceGenerator(_ n: Int) throws {
        let (command, expected) = Self.fileHashes[n]
        let url = FixtureGeneratorTests.scratch(command.replacingOccurrences(of: " ", with: "-") + ".safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FixtureCommand(arguments: command.split(separator: " ").map(String.init) + [url.path]).run()
        #expect(try SHA256.hexOfLargeFile(url) == expected, "\(command)")
    }

    /// The 4.9 GB T5-XXL file (sha256 d71b2aebd93f209bee1ce8d0aeda49927a1ddc775e99fcab5a625f4afcfed108,
    /// checked whole when the port was written: 38 s to generate, 15 s to hash) is checked here
    /// without writing it: the length prefix + header, and the bytes of four tensors (the tied
    /// `encoder.embed_tokens.weight` copy, a mostly-subnormal `wo`, the relative bias, a norm
    /// gain), each hashed as the writer fills it. Expected values: the same byte ranges of the
    /// file make_fixtures.py wrote.
    static let t5Tensors: [(String, String)] = [
        ("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
         "960f1887920707b39696630639958afcb3d6ddc71a1f44249d4495856818c569"),
        ("encoder.final_layer_norm.weight", "ed2c5f913dac1f7234868e38e69a066089a13b0921de1c2aef166e0c1b1de05a"),
        ("encoder.block.23.layer.1.DenseReluDense.wo.weight",
         "a96d43f54c76355725b548b814a1e23248e696b2395f19fb19283136964cbffa"),
        ("encoder.embed_tokens.weight", "1f28404f5e241c079f904f2c7e340aa2e8bb6925cb5ddfc4388c4b91f863888d"),
    ]

    @Test func t5xxlHeaderMatchesReferenceGenerator() {
        let items = FluxLayout.items(FluxLayout.t5xxl(), seed: 12)
            .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        #expect(items.count == 220)
        let header = SafeTensorsWriter.headerBytes(items, metadata: [])
        var length = UInt64(header.count).littleEndian
        var hash = SHA256()
        withUnsafeBytes(of: &length) { hash.update($0) }
        header.withUnsafeBytes { hash.update($0) }
        #expect(header.count == 27952)
        #expect(hash.finish() == "63e746882b6d570c03b03717e077502a0482f41988ccda9086db9195e48d8dee")
    }

    @Test(arguments: 0..<t5Tensors.count)
    func t5xxlTensorMatchesReferenceGenerator(_ n: Int) throws {
        let (key, expected) = Self.t5Tensors[n]
        let item = try #require(FluxLayout.items(FluxLayout.t5xxl(), seed: 12).first { $0.key == key })
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk * item.dtype.byteSize, alignment: 64)
        defer { buffer.deallocate() }
        var hash = SHA256()
        var start = 0
        while start < item.count {
            let end = min(item.count, start + chunk)
            item.fill(buffer, start..<end)
            hash.update(UnsafeRawBufferPointer(start: buffer, count: (end - start) * item.dtype.byteSize))
            start = end
        }
        #expect(hash.finish() == expected, "\(key)")
    }

    /// Oracle: the reference README's table (keys, dtypes) and generator spec: a depth-0 DiT (the
    /// embedders and final layer only, 35 MB) reads back through TensorIndex with its F8_E4M3 and
    /// BF16 tensors, and a matrix element widens to the spec value rounded to fp8.
    @Test func fluxDiTReadsBackWithItsStoredDtypes() throws {
        let url = FixtureGeneratorTests.scratch("flux-dit-0-0.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FixtureGenerator.fluxDiT(to: url, double: 0, single: 0)
        let index = try TensorIndex(url: url)
        #expect(index.keys.count == 20)
        #expect(index.dtype(of: "txt_in.weight") == .f8e4m3fn && index.dtype(of: "txt_in.bias") == .bf16)
        #expect(index.shapeIfPresent("final_layer.adaLN_modulation.1.weight") == [6144, 3072])
        let weight = try index.stored("txt_in.weight", shape: [3072, 4096]).float32().scalars
        let spec = FixtureModelsTests.specValue("txt_in.weight", seed: 10, index: 12345, center: 0, scale: (3.0 / 4096).squareRoot())
        #expect(weight[12345] == FloatBits.e4m3fnToFloat(FloatBits.floatToE4M3FN(spec)))
    }

    @Test func fluxModelsUseTheSeedWorkflowNames() {
        #expect(FixtureModels.fluxDiTPath == "diffusion_models/Flux/flux1-dev-fp8.safetensors")
        #expect(FixtureModels.t5xxlPath == "text_encoders/t5xxl_fp8_e4m3fn.safetensors")
        #expect(FixtureModels.awPortraitLoRAPath == "loras/Flux.1/AWPortrait-FL-lora.safetensors")
        #expect(FixtureModels.fluxLoRAPath(.kohya) == "loras/flux-fixture-kohya.safetensors")
        #expect(FixtureModels.fluxLoRAPath(.diffusers) == "loras/flux-fixture-diffusers.safetensors")
    }

    /// Oracle: the F8_E4M3FN rules of the reference README (torch 2.15's `.to(torch.float8_e4m3fn)`).
    @Test func e4m3fnEncodingFollowsTheReferenceRules() {
        let cases: [(Float, UInt8)] = [
            (0, 0x00), (-0.0, 0x80), (1, 0x38), (-1, 0xB8), (0x1p-6, 0x08), (448, 0x7E), (449, 0x7E), (1000, 0x7E),
            (.infinity, 0x7E), (-.infinity, 0xFE), (.nan, 0x7F), (0x1p-9, 0x01), (0x1p-10, 0x00), (3 * 0x1p-10, 0x02),
            (-0x1p-12, 0x80), (1.0625, 0x38), (1.1875, 0x3A), (0x1p-6 * 1.5, 0x0C), (0x1p-7 * 1.5, 0x06),
        ]
        for (value, code) in cases { #expect(FloatBits.floatToE4M3FN(value) == code, "\(value)") }
        for code in UInt8.min...UInt8.max where code & 0x7F != 0x7F {
            #expect(FloatBits.floatToE4M3FN(FloatBits.e4m3fnToFloat(code)) == code, "code \(code)")
        }
    }
}

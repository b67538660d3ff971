import Checkpoint
import Foundation

/// Matches ../shared/reference/make_fixtures.py (`cmd_checkpoint`, `cmd_lora`): writes the same
/// files byte for byte, from the same layout resources, in seconds (generation runs on all cores
/// inside `SafeTensorsWriter`).
public enum FixtureGenerator {
    /// Key of the optional int64 `position_ids` tensor of SD1.5 text encoders.
    public static let positionIDsKey = "cond_stage_model.transformer.text_model.embeddings.position_ids"

    /// `make_fixtures.py checkpoint sd15 OUT [--dtype] [--seed] [--position-ids]`.
    public static func checkpoint(to url: URL, dtype: FixtureDType = .f16, seed: Int = 0,
                                  positionIDs: Bool = false) throws {
        var items = try checkpointTensors(seed: seed).map { $0.item(storedAs: dtype) }
        if positionIDs {
            items.append(.init(key: positionIDsKey, int64: (0..<77).map { Int64($0) }, shape: [1, 77]))
        }
        try SafeTensorsWriter.write(items, metadata: [("format", "pt")], to: url)
    }

    /// `make_fixtures.py vae sd15 OUT [--dtype] [--seed]`: the checkpoint's `first_stage_model.*`
    /// tensors without that prefix (the key, and so the stream, is the stripped one).
    public static func vae(to url: URL, dtype: FixtureDType = .f32, seed: Int = 1) throws {
        let items = try vaeTensors(seed: seed).map { $0.item(storedAs: dtype) }
        try SafeTensorsWriter.write(items, metadata: [("format", "pt")], to: url)
    }

    /// `make_fixtures.py lora KIND OUT [--rank] [--seed]`; every tensor stored F16.
    public static func lora(_ kind: LoRAFixtureKind, to url: URL, rank: Int = 4, seed: Int = 2) throws {
        let items = try LoRAFixture.tensors(kind, rank: rank, seed: seed).map { $0.item(storedAs: .f16) }
        try SafeTensorsWriter.write(items, metadata: [("ss_network_module", "networks.lora"),
                                                      ("ss_network_dim", String(rank))], to: url)
    }

    /// Every tensor of the SD1.5 checkpoint fixture (values by make_fixtures.py `init_rule`).
    public static func checkpointTensors(seed: Int) throws -> [FixtureTensor] {
        try SD15Layout.checkpointShapes().map { key, shape in
            FixtureTensor(key: key, shape: shape, values: .checkpointRule(key: key, shape: shape), seed: seed)
        }
    }

    /// Every tensor of the SD1.5 VAE fixture.
    public static func vaeTensors(seed: Int) throws -> [FixtureTensor] {
        let prefix = "first_stage_model."
        return try SD15Layout.checkpointShapes().compactMap { key, shape in
            guard key.hasPrefix(prefix) else { return nil }
            let stripped = String(key.dropFirst(prefix.count))
            return FixtureTensor(key: stripped, shape: shape, values: .checkpointRule(key: stripped, shape: shape),
                                 seed: seed)
        }
    }
}

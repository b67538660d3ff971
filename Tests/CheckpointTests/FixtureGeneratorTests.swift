import Foundation
import Testing
import Checkpoint
@testable import Fixtures
import TestSupport

/// Oracle: SHA-256 of the files ../shared/reference/make_fixtures.py (python3, numpy 2.4.6) wrote
/// on 2026-11-21, e.g. `python3 make_fixtures.py lora kohya out.safetensors` and
/// `python3 make_fixtures.py vae sd15 out.safetensors --dtype bf16`, hashed with `sha256sum`.
/// Byte-identical output is the requirement, so the comparison is exact.
@Suite struct FixtureGeneratorTests {
    static let loraHashes: [(LoRAFixtureKind, rank: Int, seed: Int, sha256: String)] = [
        (.kohya, 4, 2, "470cf227aa8d7a6d46424a036f9ec7a96867e72afd262d22b7c5bc64d6e4edb1"),
        (.locon, 4, 2, "4df45187d912131f154574da82738eb971a71d5b915d81d8aa7f4dd1b2a4e9d2"),
        (.loha, 4, 2, "f666370e8639d8e6e8eb322514e7d8ba2c75f22596e75a1338ba00cbb5d4d2ff"),
        (.lokr, 4, 2, "276ce70bd22f8e8c1bb38b6487b0f6d1df144958306260e3f2def0a73a4c99f9"),
        (.peft, 4, 2, "69a4a9c36c32e509647d8a472d7fa8a5236f80ad2e20290c50899f1d783ff749"),
        (.dora, 4, 2, "20040ae80457fc58ba1e78205ddcb83c15df7dc35867ac592a739a9e05b71303"),
        (.teOnly, 4, 2, "ba83fac6dd9820caadcf1934d40fea49dd90b29c5eec8fa87c93d77d8172cab8"),
        // --rank 8 --seed 5, and --rank 3 --seed -7 (odd rank: alpha 1.5; negative seed)
        (.kohya, 8, 5, "3d04e41c9a2bd5a6643e4748a58ee06ddc5f8160be1cba83b0e64bcd2bcb8045"),
        (.dora, 3, -7, "13b0b7b01e4bc00ffac41b9b97822982be73ecf7fb4aad642a347211ce2161b9"),
    ]

    static func scratch(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-fixture-\(getpid())-\(name)")
    }

    @Test(arguments: 0..<loraHashes.count)
    func loraMatchesReferenceGenerator(_ n: Int) throws {
        let (kind, rank, seed, expected) = Self.loraHashes[n]
        let url = Self.scratch("lora-\(kind.rawValue)-\(rank)-\(seed).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FixtureGenerator.lora(kind, to: url, rank: rank, seed: seed)
        #expect(try SHA256.hexOfLargeFile(url) == expected, "lora \(kind.rawValue) --rank \(rank) --seed \(seed)")
    }

    static let vaeHashes: [(FixtureDType, String)] = [
        (.f32, "49a11a18e8908a6eae50a57a0fc548aff3f67eace2e089e03fe8d4292e3881c9"),
        (.f16, "8999eb5250ac75dab81688a5cfd7e455873acbcc206aaa643a5bb2be967453d3"),
        (.bf16, "596554d388f6d94fe3cd20cc5746ce9f60e80f79664b94ea8e81febc41c22d0c"),
    ]

    @Test(arguments: 0..<vaeHashes.count)
    func vaeMatchesReferenceGenerator(_ n: Int) throws {
        let (dtype, expected) = Self.vaeHashes[n]
        let url = Self.scratch("vae-\(dtype.rawValue).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try FixtureGenerator.vae(to: url, dtype: dtype)
        #expect(try SHA256.hexOfLargeFile(url) == expected, "vae sd15 --dtype \(dtype.rawValue)")
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fixture models laid out as ComfyUI's `models/` folder, under the file names the SD1.5 seed
/// workflow asks for. They are random-weight test models (make_fixtures.py), so they live in a cache
/// outside any user folder: `$SWIFTCOMFY_FIXTURES/<generator version>`, else
/// `~/.cache/swiftcomfy-fixtures/<generator version>`. Each file is made once: concurrent processes
/// serialise on a lock file per model and publish it with an atomic rename, so nobody sees a
/// half-written file. Used by the tests (TestSupport `TestFixtures`), `swiftcomfy demo` and Benchmarks.
public enum FixtureModels {
    public static let checkpointPath = "checkpoints/v1-5-pruned-emaonly-fp16.safetensors"
    public static let vaePath = "vae/vae-ft-mse-840000-ema-pruned.safetensors"
    public static let dpoLoRAPath = "loras/1.5/1.5-dpo-LoRA.safetensors"
    public static let fluxVAEPath = "vae/ae.safetensors"
    public static func loraPath(_ kind: LoRAFixtureKind) -> String { "loras/fixture-\(kind.rawValue).safetensors" }

    // The Flux.1 seed workflow's names (workflows/Flux.1_lora.json: `Flux\flux1-dev-fp8.safetensors`,
    // `Flux.1\AWPortrait-FL-lora.safetensors`, a diffusers-format LoRA), holding the kit's fixtures.
    public static let fluxDiTPath = "diffusion_models/Flux/flux1-dev-fp8.safetensors"
    public static let clipLPath = "text_encoders/clip_l.safetensors"
    public static let t5xxlPath = "text_encoders/t5xxl_fp8_e4m3fn.safetensors"
    public static let awPortraitLoRAPath = "loras/Flux.1/AWPortrait-FL-lora.safetensors"
    /// The kit's names for the Flux LoRAs (`loras/flux-fixture-kohya.safetensors`, ...).
    public static func fluxLoRAPath(_ kind: FluxLoRAFixtureKind) -> String { "loras/\(kind.rawValue.replacingOccurrences(of: "flux-", with: "flux-fixture-")).safetensors" }

    /// The cache folder; falls back to the temporary directory when the home cache cannot be created.
    public static let defaultRoot: URL = {
        let env = ProcessInfo.processInfo.environment["SWIFTCOMFY_FIXTURES"] ?? ""
        if !env.isEmpty { return URL(fileURLWithPath: env).appendingPathComponent(FixtureGenerator.version) }
        let home = FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/swiftcomfy-fixtures/\(FixtureGenerator.version)")
        if (try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)) != nil { return home }
        return FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-fixtures/\(FixtureGenerator.version)")
    }()

    /// `make_fixtures.py checkpoint sd15` (seed 0, F16, 2.1 GB).
    public static func checkpointSD15(in root: URL = defaultRoot) throws -> URL {
        try ensure(checkpointPath, in: root) { try FixtureGenerator.checkpoint(to: $0) }
    }

    /// `make_fixtures.py checkpoint sd15 --dtype DTYPE` (seed 0): the same checkpoint stored as
    /// another dtype (F32 is 4.3 GB). F16 is the seed workflow's file; the others live outside the
    /// model folders (`dtype-variants/`), so no model list shows them.
    public static func checkpointSD15(storedAs dtype: FixtureDType, in root: URL = defaultRoot) throws -> URL {
        if dtype == .f16 { return try checkpointSD15(in: root) }
        return try ensure("dtype-variants/sd15-\(dtype.rawValue).safetensors", in: root) {
            try FixtureGenerator.checkpoint(to: $0, dtype: dtype)
        }
    }

    /// `make_fixtures.py vae sd15` (seed 1, F32).
    public static func vaeSD15(in root: URL = defaultRoot) throws -> URL {
        try ensure(vaePath, in: root) { try FixtureGenerator.vae(to: $0) }
    }

    /// `make_fixtures.py vae flux` (seed 1, F32, 335 MB): the Flux VAE `ae.safetensors`.
    public static func fluxVAE(in root: URL = defaultRoot) throws -> URL {
        try ensure(fluxVAEPath, in: root) { try FixtureGenerator.fluxVAE(to: $0) }
    }

    /// `make_fixtures.py flux-dit` (seed 10, 2 + 2 blocks, 1.03 GB) under the seed workflow's name.
    public static func fluxDiT(in root: URL = defaultRoot) throws -> URL {
        try ensure(fluxDiTPath, in: root) { try FixtureGenerator.fluxDiT(to: $0) }
    }

    /// `make_fixtures.py clip-l` (seed 11, F16, 246 MB).
    public static func clipL(in root: URL = defaultRoot) throws -> URL {
        try ensure(clipLPath, in: root) { try FixtureGenerator.clipL(to: $0) }
    }

    /// `make_fixtures.py t5xxl` (seed 12, F8_E4M3, 4.9 GB).
    public static func t5xxl(in root: URL = defaultRoot) throws -> URL {
        try ensure(t5xxlPath, in: root) { try FixtureGenerator.t5xxl(to: $0) }
    }

    /// `make_fixtures.py lora flux-diffusers` (seed 2, rank 4) under the seed workflow's LoRA name.
    public static func awPortraitLoRA(in root: URL = defaultRoot) throws -> URL {
        try ensure(awPortraitLoRAPath, in: root) { try FixtureGenerator.fluxLoRA(.diffusers, to: $0) }
    }

    /// `make_fixtures.py lora flux-kohya|flux-diffusers` (seed 2, rank 4) under the kit's names.
    public static func fluxLoRA(_ kind: FluxLoRAFixtureKind, in root: URL = defaultRoot) throws -> URL {
        try ensure(fluxLoRAPath(kind), in: root) { try FixtureGenerator.fluxLoRA(kind, to: $0) }
    }

    /// The five files of the Flux seed workflow (DiT, CLIP-L, T5-XXL, VAE, LoRA; 6.5 GB); returns
    /// `root`. `generating` is called before a file that does not exist yet is made.
    @discardableResult
    public static func fluxSeedWorkflowModels(in root: URL = defaultRoot, generating: (String) -> Void = { _ in }) throws -> URL {
        let files: [(String, (URL) throws -> URL)] = [
            (fluxDiTPath, fluxDiT), (clipLPath, clipL), (t5xxlPath, t5xxl), (fluxVAEPath, fluxVAE),
            (awPortraitLoRAPath, awPortraitLoRA),
        ]
        for (path, make) in files {
            if !FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) { generating(path) }
            _ = try make(root)
        }
        return root
    }

    /// `make_fixtures.py lora kohya` (seed 2, rank 4) under the DPO LoRA's name.
    public static func dpoLoRA(in root: URL = defaultRoot) throws -> URL {
        try ensure(dpoLoRAPath, in: root) { try FixtureGenerator.lora(.kohya, to: $0) }
    }

    /// `make_fixtures.py lora KIND` (seed 2, rank 4).
    public static func lora(_ kind: LoRAFixtureKind, in root: URL = defaultRoot) throws -> URL {
        try ensure(loraPath(kind), in: root) { try FixtureGenerator.lora(kind, to: $0) }
    }

    /// The three files of the SD1.5 seed workflow (checkpoint, VAE, DPO LoRA); returns `root`.
    /// `generating` is called before a file that does not exist yet is made (for a progress line).
    @discardableResult
    public static func seedWorkflowModels(in root: URL = defaultRoot, generating: (String) -> Void = { _ in }) throws -> URL {
        let exists = { (path: String) in FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }
        if !exists(checkpointPath) { generating(checkpointPath) }
        _ = try checkpointSD15(in: root)
        if !exists(vaePath) { generating(vaePath) }
        _ = try vaeSD15(in: root)
        if !exists(dpoLoRAPath) { generating(dpoLoRAPath) }
        _ = try dpoLoRA(in: root)
        return root
    }

    private static let inProcess = NSLock()

    /// Returns `root/relative`, generating it first unless it exists.
    public static func ensure(_ relative: String, in root: URL, generate: (URL) throws -> Void) throws -> URL {
        let url = root.appendingPathComponent(relative)
        inProcess.lock(); defer { inProcess.unlock() }
        if FileManager.default.fileExists(atPath: url.path) { return url }
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lockPath = folder.appendingPathComponent(".\(url.lastPathComponent).lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: lockPath]) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        if FileManager.default.fileExists(atPath: url.path) { return url }   // another process made it
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        do {
            try generate(temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return url
    }
}

import Fixtures
import Foundation
import Models
import TensorCore

/// `Benchmarks models`: the SD1.5 fixture checkpoint at full size: load time, CLIP encode of one
/// window, one UNet evaluation at a 64x64 latent (512x512 px) batch 2, VAE decode of 512x512, and
/// peak RSS. The checkpoint is `$SWIFTCOMFY_SD15_CHECKPOINT`, else the test fixture cache's
/// (`$SWIFTCOMFY_FIXTURES` or ~/.cache/swiftcomfy-fixtures), generated there when missing.
func runModelBenchmarks() {
    print(pad("models", 36) + pad("time s", 10) + "peak RSS MB")
    do { try measureModels(try fixtureCheckpoint()) } catch { print("models: \(error)") }
}

/// make_fixtures.py checkpoint sd15 (seed 0, F16), where the tests keep it (`FixtureModels`).
private func fixtureCheckpoint() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SWIFTCOMFY_SD15_CHECKPOINT"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    return try FixtureModels.checkpointSD15()
}

private func measureModels(_ url: URL) throws {
    resetPeakResident()
    func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(pad(name, 36) + pad(String(format: "%.2f", seconds), 10) + String(format: "%.0f", peakResidentBytes() / 1e6))
        fflush(stdout)
        return result
    }
    let checkpoint = try timed("load checkpoint (stored dtype)") { try SD15Checkpoint.load(url: url) }

    let prompt = try CLIPTokenizer.sd1().tokenizeWithWeights("pixel_art,high quality,Illustration of a single red rose in a vase")
    let cond = try timed("CLIP encode (1 window)") { try checkpoint.clip.encode(prompt).cond }

    let x = Tensor(shape: [2, 4, 64, 64], repeating: 0.1), t = Tensor(shape: [2], scalars: [999, 999])
    let context = concat([cond, cond], axis: 0)
    _ = try timed("UNet eval 64x64 latent, batch 2") { try checkpoint.unet(x, timesteps: t, context: context) }

    _ = try timed("VAE decode 512x512") { try checkpoint.vae.decode(Tensor(shape: [1, 4, 64, 64], repeating: 0.1)) }
    print("peak RSS includes the mapped file pages (\(url.lastPathComponent))")
}

import Foundation
import Models
import TensorCore
import TestSupport

/// The reference kit's SD1.5 fixture models (generated once into the TestFixtures cache), loaded
/// once per test process: the checkpoint is 2.1 GB on disk and 4.3 GB as Float32.
enum ModelFixtures {
    /// CheckpointLoaderSimple('v1-5-pruned-emaonly-fp16.safetensors'): make_fixtures.py checkpoint sd15 (seed 0, F16).
    static let sd15: Result<SD15Checkpoint, Error> = Result {
        try SD15Checkpoint.load(url: TestFixtures.checkpointSD15())
    }
    /// VAELoader('vae-ft-mse-840000-ema-pruned.safetensors'): make_fixtures.py vae sd15 (seed 1, F32).
    static let vaeFile: Result<VAE, Error> = Result { try VAE.load(url: TestFixtures.vaeSD15()) }

    static func checkpoint() throws -> SD15Checkpoint { try sd15.get() }
    static func vae() throws -> VAE { try vaeFile.get() }
}

/// Largest |a - e| and largest |e|, for the messages of the numeric tests.
func maxAbsDiff(_ a: Tensor, _ e: Tensor) -> (diff: Float, scale: Float) {
    let x = a.scalars, y = e.scalars
    var d: Float = 0, s: Float = 0
    for i in 0..<min(x.count, y.count) { d = max(d, abs(x[i] - y[i])); s = max(s, abs(y[i])) }
    return (d, s)
}

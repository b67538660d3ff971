import Execution
import Foundation
import Nodes
import Testing
import TestSupport
import Workflow

/// CheckpointLoaderSimple's run-time refusals and weight sharing. Oracle: ComfyUI 0.8.0 folder_paths.py
/// get_full_path_or_raise ("Model in folder '…' with filename '…' not found.") and SwiftComfy's
/// family detection message (Nodes `Families`, `ModelFileContents`) for a file of another part.
@Suite struct SD15LoaderTests {
    @Test func missingCheckpointNamesFolderFileAndSearchedFolders() throws {
        let root = try Fixtures.models([])
        let ctx = try SD15Nodes.context(CheckpointLoaderSimple.self, models: root)
        let error = #expect(throws: ModelFileNotFound.self) {
            try SD15Nodes.run(CheckpointLoaderSimple.self, ["ckpt_name": JSONValue.string("sd15.safetensors")], context: ctx)
        }
        #expect(error?.description == "Model in folder 'checkpoints' with filename 'sd15.safetensors' not found. "
                + "(searched \(root.appendingPathComponent("checkpoints").standardizedFileURL.path))")
    }

    /// A standalone VAE file put in `checkpoints` is refused with what was found.
    @Test func nonSD15CheckpointIsRefusedWithTheDetectionMessage() throws {
        let root = try Fixtures.models([])
        let folder = root.appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("vae.safetensors"),
                                                   withDestinationURL: try TestFixtures.vaeSD15())
        let ctx = try SD15Nodes.context(CheckpointLoaderSimple.self, models: root)
        let error = #expect(throws: (any Error).self) {
            try SD15Nodes.run(CheckpointLoaderSimple.self, ["ckpt_name": JSONValue.string("vae.safetensors")], context: ctx)
        }
        #expect("\(error.map { "\($0)" } ?? "")" == "vae.safetensors is a VAE (4 latent channels), not a checkpoint: "
                + "load it with VAELoader")
    }

    /// A second CheckpointLoaderSimple of the same file while the first's models are alive shares
    /// its Float32 weights (no second 4.3 GB copy); the outputs are the same computation.
    @Test func secondLoadOfTheSameFileSharesTheWeights() throws {
        let first = try #require(try SD15Nodes.checkpoint().model.model as? SD15DiffusionModel)
        let out = try SD15Nodes.run(CheckpointLoaderSimple.self, ["ckpt_name": JSONValue.string("v1-5-pruned-emaonly-fp16.safetensors")])
        let second = try #require((out[0] as? ModelValue)?.model as? SD15DiffusionModel)
        #expect(second.base.weights === first.base.weights)
        #expect(second.base.unusedKeys == [])
    }
}

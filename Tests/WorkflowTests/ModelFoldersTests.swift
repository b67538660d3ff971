import Foundation
import Testing
import TestSupport
import Workflow

/// Oracle: ComfyUI 0.8.0 folder_paths.py (compat doc §6): keys and layout, recursive listing with
/// relative `/` names, extension filter, union of roots sorted by code point; utils/extra_config.py.
@Suite struct ModelFoldersTests {
    @Test func listsRecursivelyFilteredAndSortedAcrossRoots() throws {
        let a = try TemporaryFolders.withEmptyFiles(["loras/b.safetensors", "loras/sub/a.pt", "loras/notes.txt", "loras/.git/x.safetensors",
                                     "loras/Z.ckpt", "loras/x.SafeTensors"])
        let b = try TemporaryFolders.withEmptyFiles(["loras/b.safetensors", "loras/c.sft"])
        let folders = ModelFolders(roots: [a, b])
        #expect(folders.list("loras") == ["Z.ckpt", "b.safetensors", "c.sft", "sub/a.pt", "x.SafeTensors"])
    }

    @Test func legacyFoldersBelongToTheirKeysInComfyUIsOrder() throws {
        let root = try TemporaryFolders.withEmptyFiles(["unet/u.safetensors", "diffusion_models/d.safetensors", "clip/c.safetensors",
                                        "text_encoders/t.safetensors"])
        let folders = ModelFolders(roots: [root])
        #expect(folders.list("diffusion_models") == ["d.safetensors", "u.safetensors"])
        #expect(folders.list("unet") == ["d.safetensors", "u.safetensors"])
        #expect(folders.list("text_encoders") == ["c.safetensors", "t.safetensors"])
        #expect(folders.folders(for: "diffusion_models").map(\.lastPathComponent) == ["unet", "diffusion_models"])
    }

    @Test func windowsNamesResolveAndNamesCannotEscape() throws {
        let root = try TemporaryFolders.withEmptyFiles(["loras/1.5/1.5-dpo-LoRA.safetensors", "secret.safetensors"])
        let folders = ModelFolders(roots: [root])
        let url = try folders.resolve("loras", name: "1.5\\1.5-dpo-LoRA.safetensors")
        #expect(url.path.hasSuffix("loras/1.5/1.5-dpo-LoRA.safetensors"))
        #expect(folders.contains("loras", name: "1.5\\1.5-dpo-LoRA.safetensors"))
        #expect(throws: ModelFolders.LookupError.badName("../secret.safetensors", .escapes("../secret.safetensors"))) {
            try folders.resolve("loras", name: "../secret.safetensors")
        }
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "..\\secret.safetensors") }
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "/etc/passwd") }
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "C:\\models\\x.safetensors") }
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "") }
        #expect(!folders.contains("loras", name: "../secret.safetensors"))
    }

    @Test func aMissingFileNamesFolderAndSearchedPaths() throws {
        let root = try TemporaryFolders.withEmptyFiles([])
        let folders = ModelFolders(roots: [root])
        let e = try #require(throws: ModelFolders.LookupError.self) { try folders.resolve("vae", name: "ae.safetensors") }
        #expect(e.description == "model file 'ae.safetensors' not found in folder 'vae' (searched \(root.appendingPathComponent("vae").standardizedFileURL.path))")
    }

    @Test func extraModelPathsYamlAddsFoldersLikeComfyUI() throws {
        let dir = try TemporaryFolders.withEmptyFiles(["base/ckpts/a.safetensors", "first/f.safetensors", "rel/r.safetensors", "x/custom.bin"])
        let yaml = """
        comfyui:
            base_path: base
            checkpoints: ckpts
            unet: |
                unet1
                unet2
        first:
            is_default: true
            loras: \(dir.path)/first
        plain:
            vae: rel
            my_things: x
        empty:
        """
        let entries = try ExtraModelPaths.entries(yaml: yaml, directory: dir)
        #expect(entries.map(\.key) == ["checkpoints", "unet", "unet", "loras", "vae", "my_things"])
        #expect(entries[1].folder.path == dir.appendingPathComponent("base/unet1").path)
        var folders = ModelFolders(roots: [dir.appendingPathComponent("models")])
        for e in entries { folders.add(e.folder, for: e.key, isDefault: e.isDefault) }
        #expect(folders.list("checkpoints") == ["a.safetensors"])
        #expect(folders.folders(for: "diffusion_models").map(\.lastPathComponent) == ["unet", "diffusion_models", "unet1", "unet2"])
        #expect(folders.folders(for: "loras").first?.lastPathComponent == "first")
        #expect(folders.list("vae") == ["r.safetensors"])
        #expect(folders.list("my_things") == ["custom.bin"])
    }

    @Test func badYamlIsAnErrorNotACrash() throws {
        #expect(throws: ExtraModelPaths.LoadError.self) { try ExtraModelPaths.entries(yaml: "a: [", directory: URL(fileURLWithPath: "/")) }
        #expect(throws: ExtraModelPaths.LoadError.self) { try ExtraModelPaths.entries(yaml: "- 1\n- 2", directory: URL(fileURLWithPath: "/")) }
        #expect(throws: ExtraModelPaths.LoadError.self) {
            try ExtraModelPaths.entries(yaml: "s:\n  loras: [1, 2]", directory: URL(fileURLWithPath: "/"))
        }
    }

    /// A FIFO in a model folder is neither offered nor resolved (opening it would hang).
    @Test func listingsSkipNonRegularFiles() throws {
        let root = try TemporaryFolders.withEmptyFiles(["loras/a.safetensors"])
        try makeFIFO(at: root.appendingPathComponent("loras/fifo.safetensors"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("loras/zero.safetensors").path,
                                                   withDestinationPath: "/dev/zero")
        let folders = ModelFolders(roots: [root])
        #expect(folders.list("loras") == ["a.safetensors"])
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "fifo.safetensors") }
        #expect(throws: ModelFolders.LookupError.self) { try folders.resolve("loras", name: "zero.safetensors") }
    }

    @Test func extraModelPathsFIFOIsRefusedWithoutHanging() throws {
        let url = try TemporaryFolders.withEmptyFiles([]).appendingPathComponent("extra_model_paths.yaml")
        try makeFIFO(at: url)
        let message = try withinTimeout { () -> String? in
            do { _ = try ExtraModelPaths.entries(file: url); return nil } catch { return "\(error)" }
        }
        #expect(message == "extra model paths \(url.path): not a regular file (a FIFO)")
    }
}

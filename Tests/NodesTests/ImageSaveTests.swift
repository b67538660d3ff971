import Execution
import Foundation
import ImageIO
@testable import Nodes
import Testing
import TensorCore
import TestSupport
import Workflow

/// SaveImage / PreviewImage against ComfyUI 0.8.0 (nodes.py `SaveImage`, folder_paths.py
/// `get_save_image_path`, compat doc §2.2) and the PNGs its server wrote
/// (../shared/reference/expected/e2e). Names and texts are compared exactly.
@Suite struct ImageSaveTests {
    static func folders() throws -> RunEnvironment {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-save-" + UUID().uuidString)
        for sub in ["output", "input", "temp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        return RunEnvironment(models: ModelFolders(roots: []), outputDirectory: root.appendingPathComponent("output"),
                              inputDirectory: root.appendingPathComponent("input"), tempDirectory: root.appendingPathComponent("temp"))
    }

    static func run<N: NodeDefinition>(_ node: N.Type, _ values: [String: InputArgument], _ env: RunEnvironment,
                                       context: NodeContext? = nil) throws -> NodeOutput {
        let ctx = context ?? NodeContext(nodeID: "9", classType: node.declaration.schema.name, environment: env)
        return try node.execute(Arguments(values: values, declaration: node.declaration), ctx)
    }

    static func images(_ batch: Int, _ h: Int, _ w: Int) -> ImageValue {
        ImageValue(pixels: Tensor(shape: [batch, h, w, 3], scalars: (0..<(batch * h * w * 3)).map { Float($0 % 7) / 6 }))
    }

    @Test func batchInSubfolderWithBatchNumberAndUIResult() throws {
        let env = try Self.folders()
        let out = try Self.run(SaveImage.self, ["images": .linked(Self.images(2, 3, 4)),
                                                "filename_prefix": .constant("sub/dir/img_%batch_num%")], env)
        #expect(out.files.map(\.lastPathComponent) == ["img_0_00001_.png", "img_1_00002_.png"])
        #expect(out.files.allSatisfy { $0.deletingLastPathComponent().path.hasSuffix("/output/sub/dir") })
        let ui = try #require(out.ui)
        #expect(JSONValue.object(ui).serialized() == #"{"images":[{"filename":"img_0_00001_.png","subfolder":"sub/dir","type":"output"},"#
            + #"{"filename":"img_1_00002_.png","subfolder":"sub/dir","type":"output"}]}"#)
    }

    /// The counter is max(N of `<base>_N_...`) + 1, whatever the extension; other names are ignored.
    @Test func counterContinuesFromTheLargestMatchingFile() throws {
        let env = try Self.folders()
        for name in ["ComfyUI_00007_.png", "ComfyUI_00003_.latent", "ComfyUI_abc_.png", "ComfyUIx_00099_.png",
                     "ComfyUI_00012.png", "Other_00050_.png"] {
            try Data().write(to: env.outputDirectory.appendingPathComponent(name))
        }
        // "ComfyUI_00012.png": the field up to the next "_" is "00012.png", not an int: counts as 0.
        let out = try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": .constant("ComfyUI")], env)
        #expect(out.files.map(\.lastPathComponent) == ["ComfyUI_00008_.png"])
    }

    @Test func backendSubstitutionsAndLiteralDatePattern() throws {
        let env = try Self.folders()
        let out = try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 3)),
                                                "filename_prefix": .constant("%width%x%height%_%date:yyyy%")], env)
        #expect(out.files.map(\.lastPathComponent) == ["3x2_%date:yyyy%_00001_.png"])
        let now = Date(timeIntervalSince1970: 0)
        let parts = Calendar.current.dateComponents([.year, .month], from: now)
        let expected = "\(parts.year!)-" + String(format: "%02d", parts.month!)
        #expect(SaveNaming.substitute("%year%-%month%", width: 0, height: 0, now: now) == expected)
    }

    @Test func leavingTheOutputFolderIsComfyUIsError() throws {
        let env = try Self.folders()
        let error = try #require(throws: SaveOutsideOutputFolder.self) {
            try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": .constant("../evil/x")], env)
        }
        let output = env.outputDirectory.path, parent = env.outputDirectory.deletingLastPathComponent().path
        #expect("\(error)" == "**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: \(parent)/evil"
            + "\n         output_dir: \(output)\n         commonpath: \(parent)")
    }

    /// Pixels truncated (0.5 → 127), tEXt `prompt` = json.dumps(prompt), then one chunk per
    /// extra_pnginfo key, in order.
    @Test func pixelsAndMetadataChunks() throws {
        let env = try Self.folders()
        let prompt: JSONValue = ["3": ["inputs": ["cfg": 8.0, "text": "caf\u{E9}"], "class_type": "KSampler"]]
        let extra: JSONValue = ["workflow": ["nodes": [], "version": 0.4], "note": "x"]
        let image = ImageValue(pixels: Tensor(shape: [1, 1, 2, 3], scalars: [0.5, 0.999, 1.2, -0.1, 0.25, 1]))
        let out = try Self.run(SaveImage.self, ["images": .linked(image), "filename_prefix": .constant("m"),
                                                "prompt": .constant(prompt), "extra_pnginfo": .constant(extra)], env)
        let png = try PNGImage.read(url: try #require(out.files.first))
        #expect(png.samples == .uint8([127, 254, 255, 0, 63, 255]))
        #expect(png.texts == [PNGText("prompt", #"{"3": {"inputs": {"cfg": 8.0, "text": "caf\u00e9"}, "class_type": "KSampler"}}"#),
                              PNGText("workflow", #"{"nodes": [], "version": 0.4}"#), PNGText("note", #""x""#)])
    }

    @Test func previewImageKeepsItsRandomPrefixPerInstance() throws {
        let env = try Self.folders()
        let ctx = NodeContext(nodeID: "20", classType: "PreviewImage", environment: env)
        let first = try Self.run(PreviewImage.self, ["images": .linked(Self.images(1, 2, 2))], env, context: ctx)
        let second = try Self.run(PreviewImage.self, ["images": .linked(Self.images(1, 2, 2))], env, context: ctx)
        let names = (first.files + second.files).map(\.lastPathComponent)
        let stem = String(try #require(names.first).prefix("ComfyUI_temp_xxxxx".count))
        #expect(names == [stem + "_00001_.png", stem + "_00002_.png"])
        #expect(stem.hasPrefix("ComfyUI_temp_") && stem.suffix(5).allSatisfy { PreviewImage.letters.contains($0) })
        #expect(first.files.allSatisfy { $0.path.hasPrefix(env.tempDirectory.path) })
        #expect(first.ui?["images"]?.arrayValue?.first?["type"] == "temp")
    }

    /// Oracle: ComfyUI's own PNGs. Their `prompt` text is exactly `json.dumps` of the submitted
    /// prompt (e2e.json `png_prompt_is_json_dumps_of_prompt`), so our `.python` serialisation of the
    /// .api.json must give the same bytes; img2img differs only by LoadImage's `is_changed`, which
    /// is our LoadImage fingerprint of the input image.
    @Test func referencePromptChunksAreOurSerialisation() throws {
        let dir = SharedKit.expected.appendingPathComponent("e2e")
        let cases = try #require(try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("e2e.json"), encoding: .utf8)).objectValue)
        var checked = 0
        for (name, info) in cases {
            guard let images = info["outputs"]?["images"]?.arrayValue, let file = images.first?["file"]?.stringValue else { continue }
            let png = try PNGImage.read(url: SharedKit.expected.appendingPathComponent(file))
            let text = try #require(png.text("prompt"))
            var api = try JSONParser.parse(String(contentsOf: dir.appendingPathComponent(name + ".api.json"), encoding: .utf8))
            if info["png_prompt_is_json_dumps_of_prompt"] == true {
                #expect(text == api.serialized(.python), "\(name)")
            } else {
                let env = try Self.folders()
                try FileManager.default.copyItem(at: SharedKit.expected.appendingPathComponent("inputs/img2img_64x64.png"),
                                                 to: env.inputDirectory.appendingPathComponent("img2img_64x64.png"))
                let args = Arguments(values: ["image": .constant("img2img_64x64.png")], declaration: LoadImage.declaration)
                let fp = try #require(try LoadImage.fingerprint(args, NodeContext(nodeID: "13", classType: "LoadImage", environment: env)))
                var prompt = try #require(api.objectValue), node = try #require(prompt["13"]?.objectValue)
                node["is_changed"] = .array([fp])
                prompt["13"] = .object(node)
                api = .object(prompt)
                #expect(try JSONParser.parse(text) == api, "\(name)")
            }
            checked += 1
        }
        #expect(checked == 17)
    }

    /// Oracle: CPython 3 `posixpath` (values printed by `normpath`, `dirname`, `basename`).
    @Test(arguments: [("", ".", "", "."), ("a//b/", "a/b", "a", "b"), ("./x", "x", "", "x"), ("../x", "../x", "..", "x"),
                      ("a/../../b", "../b", "..", "b"), ("/../a", "/a", "/", "a"), ("//a", "//a", "//", "a"),
                      ("///a/./b", "/a/b", "/a", "b"), ("latents/ComfyUI", "latents/ComfyUI", "latents", "ComfyUI"), ("x/", "x", "", "x")])
    func pythonPathFunctions(_ c: (String, String, String, String)) {
        let n = PythonPath.normpath(c.0)
        #expect([n, PythonPath.dirname(n), PythonPath.basename(n)] == [c.1, c.2, c.3], "\(c.0)")
    }

    @Test func counterFieldIsPythonInt() {
        #expect(SaveNaming.zeroPadded(7) == "00007" && SaveNaming.zeroPadded(123456) == "123456" && SaveNaming.zeroPadded(-3) == "-0003")
        #expect(PythonInt.parse(" 12 ") == 12 && PythonInt.parse("-4") == -4 && PythonInt.parse("1.png") == nil && PythonInt.parse("") == nil)
    }

    /// ComfyUI: `ValueError: embedded null byte` (Python's open/listdir); before, NUL became `%00`.
    @Test func nulInThePrefixIsRefusedAndWritesNothing() throws {
        let env = try Self.folders()
        let prefix: InputArgument = .constant("sub/a\u{0}b")
        let image = try #require(throws: EmbeddedNullByte.self) {
            try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": prefix], env)
        }
        #expect("\(image)" == "embedded null byte: filename_prefix 'sub/a\\x00b' holds a NUL character, which no file name can contain")
        #expect(throws: EmbeddedNullByte.self) {
            try Self.run(SaveLatent.self, ["samples": .linked(LatentValue(samples: Tensor.zeros([1, 4, 2, 2]))), "filename_prefix": prefix], env)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: env.outputDirectory.path).isEmpty)
    }

    /// Before: the next counter after `Int.max` trapped (overflow in `largest + 1`).
    @Test func hugeCounterInTheFolderIsAnErrorNotATrap() throws {
        let env = try Self.folders()
        try Data().write(to: env.outputDirectory.appendingPathComponent("x_9223372036854775807_.png"))
        let error = try #require(throws: CounterExhausted.self) {
            try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": .constant("x")], env)
        }
        #expect("\(error)".hasPrefix("cannot number the file: \(env.outputDirectory.path) holds a file with counter 9223372036854775807"))
    }

    /// Before: mkdir -p failed part-way (ENAMETOOLONG) and left 2,023 empty folders.
    @Test func tooDeepPrefixIsRefusedBeforeAnyFolderIsCreated() throws {
        let env = try Self.folders()
        let prefix = Array(repeating: "a", count: 2_100).joined(separator: "/")
        let error = try #require(throws: PathTooLong.self) {
            try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": .constant(.string(prefix))], env)
        }
        #expect("\(error)".hasPrefix("[Errno 36] File name too long: the output path is too long: the path has"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: env.outputDirectory.path).isEmpty)
        let longName = String(repeating: "n", count: 240)
        #expect(throws: PathTooLong.self) {
            try Self.run(SaveImage.self, ["images": .linked(Self.images(1, 2, 2)), "filename_prefix": .constant(.string("d/" + longName))], env)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: env.outputDirectory.path).isEmpty)
    }

    /// Two writers racing on one folder: every counter claimed once, no file overwritten, no
    /// temporary file left (each claims its name with link(2), which never replaces).
    @Test func racingWritersGetDistinctCountersAndLeaveNoTemporaryFiles() throws {
        let env = try Self.folders()
        let group = DispatchGroup(), lock = NSLock()
        nonisolated(unsafe) var names: [String] = []
        nonisolated(unsafe) var failures: [String] = []
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<20 {
                    do {
                        let out = try Self.run(SaveImage.self, ["images": .linked(Self.images(2, 2, 2)), "filename_prefix": .constant("race")], env)
                        lock.withLock { names += out.files.map(\.lastPathComponent) }
                    } catch {
                        lock.withLock { failures.append("\(error)") }
                    }
                }
            }
        }
        group.wait()
        #expect(failures.isEmpty, "\(failures)")
        #expect(names.count == 80 && Set(names).count == 80)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: env.outputDirectory.path)
        #expect(Set(onDisk) == Set(names), "left: \(Set(onDisk).subtracting(names))")
        #expect(Set(names) == Set((1...80).map { "race_\(SaveNaming.zeroPadded($0))_.png" }))
        let mode = try FileManager.default.attributesOfItem(atPath: env.outputDirectory.appendingPathComponent(names[0]).path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o600 } == 0o600 && mode.map { $0 & 0o133 } == 0)  // 0644 less the umask
    }
}

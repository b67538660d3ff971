import Checkpoint
import Execution
import Foundation
import Runner
import TensorCore
import Testing
import TestSupport
import Workflow

/// What the end-to-end tests share: the runner (`WorkflowRunner`, exactly what `swiftcomfy run`
/// calls) over the fixture models, and the comparisons with ComfyUI's files.
enum EndToEnd {
    static let e2e = SharedKit.expected.appendingPathComponent("e2e")
    static let inputs = SharedKit.expected.appendingPathComponent("inputs")

    /// The case names: every `e2e/<case>.api.json`.
    static let cases: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: e2e.path)) ?? []
        return files.filter { $0.hasSuffix(".api.json") }.map { String($0.dropLast(".api.json".count)) }.sorted()
    }()

    static func scratch(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-e2e-\(label)-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A runner over the fixture models folder (the names the prompts ask for; the kit's server had
    /// the same files under the same names), the kit's input folder and a fresh output folder.
    static func runner(extraPNGInfo: JSONObject = JSONObject()) throws -> WorkflowRunner {
        let output = try scratch("output")
        return WorkflowRunner(environment: RunEnvironment(
            models: ModelFolders(roots: [try TestFixtures.models]), outputDirectory: output,
            inputDirectory: inputs, tempDirectory: output.appendingPathComponent("temp"), extraPNGInfo: extraPNGInfo))
    }

    /// Per-channel pixel differences of two decoded PNGs.
    struct PixelDifference: CustomStringConvertible {
        var maxAbs: [Int]
        var meanAbs: [Double]
        var description: String {
            "max |diff| \(maxAbs), mean |diff| \(meanAbs.map { String(format: "%.4f", $0) })"
        }
    }

    static func pixelDifference(_ a: DecodedPNG, _ e: DecodedPNG) -> PixelDifference? {
        guard a.width == e.width, a.height == e.height, a.channels == e.channels else { return nil }
        var maxAbs = [Int](repeating: 0, count: e.channels), sum = [Int](repeating: 0, count: e.channels)
        for i in 0..<e.pixels.count {
            let d = abs(Int(a.pixels[i]) - Int(e.pixels[i])), c = i % e.channels
            maxAbs[c] = max(maxAbs[c], d)
            sum[c] += d
        }
        let n = Double(e.width * e.height)
        return PixelDifference(maxAbs: maxAbs, meanAbs: sum.map { Double($0) / n })
    }

    /// The largest |a - e| / max|e| over a tensor (the latent tolerance is stated against this).
    static func relativeToRange(_ a: Tensor, _ e: Tensor) -> Float {
        let range = e.scalars.reduce(Float(0)) { max($0, abs($1)) }
        var worst: Float = 0
        for (x, y) in zip(a.scalars, e.scalars) { worst = max(worst, abs(x - y)) }
        return range > 0 ? worst / range : worst
    }

    static func json(_ text: String?) throws -> JSONValue {
        try JSONParser.parse(try #require(text, "missing text"))
    }
}

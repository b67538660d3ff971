import Checkpoint
import Fixtures
import Foundation
import Models
import Testing
import TestSupport

/// Issue 12: weights stay in their file dtype. Oracle: the file's own header (dtype and byte size of
/// every tensor) and ComfyUI's CPU dtypes (UNet and VAE float32, computed from the stored values;
/// text encoder float16). The same SD1.5 fixture stored as F16, BF16 and F32 is loaded; the held
/// weights keep the stored dtype (mapped, not copied) except the text encoder of a F32 or BF16
/// file, rounded to fp16 once; their bytes are within 10% of the file's tensor bytes.
@Suite(.serialized) struct StoredDTypeTests {
    @Test(arguments: [FixtureDType.f16, .bf16, .f32])
    func loadKeepsTheStoredDtype(dtype: FixtureDType) throws {
        let url = try TestFixtures.checkpointSD15(storedAs: dtype)
        let file = try SafeTensorsFile(url: url)
        let fileBytes = file.keys.compactMap { file.info($0)?.byteRange.count }.reduce(0, +)
        let anonymousBefore = Self.residentAnonymousBytes()
        let checkpoint = try SD15Checkpoint.load(url: url)
        let anonymousGrowth = Self.residentAnonymousBytes().map { $0 - (anonymousBefore ?? $0) }

        var wrong: [String] = []
        for (key, t) in checkpoint.weights.tensors {
            let isCLIP = key.hasPrefix(SD15Checkpoint.clipPrefix + ".")
            let expected = isCLIP ? DType.f16 : dtype.dtype
            let mapped = !isCLIP || dtype == .f16
            if t.dtype != expected || t.isMapped != mapped { wrong.append("\(key): \(t.dtype) mapped \(t.isMapped)") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) tensors not held as stored, first: \(wrong.prefix(3))")

        let held = checkpoint.weights.storedBytes
        let total = held.mapped + held.owned
        #expect(abs(Double(total - fileBytes)) <= 0.1 * Double(fileBytes),
                "held \(held.mapped) mapped + \(held.owned) owned bytes for \(fileBytes) file bytes")
        #expect(held.owned == (dtype == .f16 ? 0 : Self.clipBytes(checkpoint) / 2))   // the fp16 text encoder

        // No Float32 copy was made: anonymous memory grew by far less than one (a Float32 copy is
        // 4 bytes per element). Loose, as other suites of the process may allocate meanwhile.
        let float32Copy = file.keys.compactMap { file.info($0)?.count }.reduce(0, +) * 4
        if let anonymousGrowth {
            #expect(anonymousGrowth < float32Copy / 2, "anonymous RSS grew by \(anonymousGrowth) bytes")
        }
    }

    /// Bytes the text encoder's tensors take in the file dtype of a F32 file (4 per element).
    static func clipBytes(_ checkpoint: SD15Checkpoint) -> Int {
        checkpoint.weights.tensors.filter { $0.key.hasPrefix(SD15Checkpoint.clipPrefix + ".") }.values
            .reduce(0) { $0 + $1.count * 4 }
    }

    /// `RssAnon` of /proc/self/status in bytes (nil where there is no such file).
    static func residentAnonymousBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
              let kB = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kB * 1024
    }
}

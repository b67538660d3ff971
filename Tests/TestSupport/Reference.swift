import Foundation
import TensorCore

/// Reads the F32 tensors of `../shared/reference/expected/*.safetensors` (ComfyUI 0.8.0's outputs).
/// Deliberately small and independent of `Checkpoint`, so that it can judge the real reader too.
public enum Reference {
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String), missing(String, file: String), notF32(String)
        public var description: String {
            switch self {
            case .unreadable(let f): return "reference file \(f) is unreadable"
            case let .missing(k, f): return "reference file \(f) has no tensor '\(k)'"
            case .notF32(let k): return "reference tensor '\(k)' is not F32"
            }
        }
    }

    nonisolated(unsafe) private static var cache: [String: [String: Tensor]] = [:]
    private static let lock = NSLock()

    /// Every tensor of `expected/<file>` (e.g. "noise.safetensors"), keyed as in the file.
    public static func tensors(_ file: String) throws -> [String: Tensor] {
        lock.lock(); defer { lock.unlock() }
        if let hit = cache[file] { return hit }
        let url = SharedKit.expected.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url), data.count >= 8 else { throw Failure.unreadable(url.path) }
        let n = data.prefix(8).withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self).littleEndian) }
        guard n <= data.count - 8,
              let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as? [String: Any]
        else { throw Failure.unreadable(url.path) }
        var out: [String: Tensor] = [:]
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int]
            else { throw Failure.notF32(key) }
            let start = 8 + n + offsets[0], count = (offsets[1] - offsets[0]) / 4
            var scalars = [Float](repeating: 0, count: count)
            _ = scalars.withUnsafeMutableBytes { dst in
                data.copyBytes(to: dst, from: start..<(start + count * 4))
            }
            out[key] = Tensor(shape: shape, scalars: scalars)
        }
        cache[file] = out
        return out
    }

    /// One tensor: `Reference.tensor("noise.safetensors", "prepare_noise/seed=0/shape=1x4x8x8")`.
    public static func tensor(_ file: String, _ key: String) throws -> Tensor {
        guard let t = try tensors(file)[key] else { throw Failure.missing(key, file: file) }
        return t
    }

    /// The JSON beside a reference file (e.g. "noise.json"), parsed with Foundation.
    public static func json(_ file: String) throws -> Any {
        let url = SharedKit.expected.appendingPathComponent(file)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}

/// Compares two tensors; returns nil when within tolerance, else a message with the worst element.
/// Passes where |a - e| <= absolute + relative * |e| for every element.
public func closeness(_ actual: Tensor, _ expected: Tensor, relative: Float = 0, absolute: Float = 0) -> String? {
    guard actual.shape == expected.shape else { return "shape \(actual.shape) != expected \(expected.shape)" }
    let a = actual.scalars, e = expected.scalars
    var worst = -1, worstExcess: Float = 0, maxAbs: Float = 0
    for i in 0..<a.count {
        let d = abs(a[i] - e[i])
        if !(d <= maxAbs) || d.isNaN { maxAbs = d.isNaN ? .nan : max(maxAbs, d) }
        let excess = d - (absolute + relative * abs(e[i]))
        if excess > worstExcess || d.isNaN { worst = i; worstExcess = d.isNaN ? .infinity : excess }
    }
    guard worst >= 0 else { return nil }
    return "max |diff| \(maxAbs); worst at flat index \(worst): \(a[worst]) vs expected \(e[worst]) "
        + "(tolerance \(absolute) + \(relative)·|e|)"
}

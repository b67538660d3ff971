// A weight in its stored element type, widened to Float32 by the ops that use it: whole when it
// is small, in row panels when it is large, so that a large weight is never held twice.
import Dispatch
import Foundation

/// The stored elements of a weight (row-major), valid while their owner is alive.
public struct WeightElements {
    public let type: ElementType
    public let base: UnsafeRawPointer
    public let count: Int
    /// Multiplies every widened element (a scaled-fp8 weight's `scale_weight`); 1 otherwise.
    public let scale: Float

    public init(type: ElementType, base: UnsafeRawPointer, count: Int, scale: Float = 1) {
        self.type = type
        self.base = base
        self.count = count
        self.scale = scale
    }

    /// The elements as Float32 where they are, when no conversion is needed.
    public var float32: UnsafePointer<Float>? {
        guard type == .float32 && scale == 1 && Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else { return nil }
        return base.assumingMemoryBound(to: Float.self)
    }

    /// Elements `range` as Float32 into `destination[0 ..< range.count]` (on all cores when large).
    public func widen(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        ElementConversion.widen(base + range.lowerBound * type.byteSize, type, count: range.count, scale: scale,
                                into: destination)
    }

    /// `widen` on the calling thread only (a panel worker).
    func widenSerially(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        ElementConversion.widenRange(base + range.lowerBound * type.byteSize, type, 0..<range.count, scale: scale,
                                     into: destination, level: .current)
    }
}

/// A weight matrix [rows, ...] in some element type: rows are output features (Linear) or output
/// channels (Conv2d), each row the rest of the shape flattened. `Tensor` is one (Float32, in place);
/// checkpoints' stored tensors are another.
public protocol WeightMatrix {
    var shape: [Int] { get }
    /// Calls `body` with the stored elements, valid only inside it.
    func withElements<R>(_ body: (WeightElements) throws -> R) rethrows -> R
}

extension Tensor: WeightMatrix {
    public func withElements<R>(_ body: (WeightElements) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { try body(WeightElements(type: .float32, base: UnsafeRawPointer($0.baseAddress!), count: count)) }
    }
}

extension WeightMatrix {
    /// All values widened to a Float32 tensor (a copy unless the weight already is one).
    public func float32() -> Tensor {
        if let t = self as? Tensor { return t }
        var out = Tensor(shape: shape, uninitialized: ())
        withElements { w in out.withUnsafeMutableBufferPointer { w.widen(0..<w.count, into: $0.baseAddress!) } }
        return out
    }
}

/// How ops read a weight's rows as Float32.
enum WeightRows {
    /// Floats per converted panel (4 MB: the last-level cache share of one core). A weight up to
    /// this size is converted whole, once per op call; a larger one panel by panel.
    static let panelBudget = 1 << 20

    /// Calls `body` with all elements as Float32: in place, or widened into a temporary buffer.
    static func withAll<R>(_ w: WeightElements, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        if let f = w.float32 { return try body(f) }
        return try Scratch.shared.with(w.count) { s in
            w.widen(0..<w.count, into: s)
            return try body(UnsafePointer(s))
        }
    }

    /// True when `w` is read in panels (large and not Float32 in place).
    static func isPanelled(_ w: WeightElements) -> Bool { w.float32 == nil && w.count > panelBudget }

    /// Covers rows 0..<rows (each `rowLength` floats) with panels of at most `panelBudget` floats
    /// (a multiple of 16 rows), each widened into a worker's buffer and passed to `body(rows, panel)`.
    /// Workers, one per core, take panels in turn; `body` runs single-threaded work (plain sgemm).
    static func forEachPanel(_ w: WeightElements, rows: Int, rowLength: Int,
                             _ body: (Range<Int>, UnsafePointer<Float>) -> Void) {
        let perPanel = max(16, (panelBudget / max(rowLength, 1)) & ~15)
        let panels = (rows + perPanel - 1) / perPanel
        let workers = min(Parallel.coreCount, panels)
        Parallel.concurrentPerform(iterations: workers) { worker in
            Scratch.shared.with(perPanel * rowLength) { s in
                var p = worker
                while p < panels {
                    let lo = p * perPanel, hi = min(rows, lo + perPanel)
                    w.widenSerially((lo * rowLength)..<(hi * rowLength), into: s)
                    body(lo..<hi, UnsafePointer(s))
                    p += workers
                }
            }
        }
    }
}

/// Reusable 64-byte aligned Float32 buffers for converted weights: panel-sized ones are kept for
/// the next op (one per core in use), larger ones are freed after use.
final class Scratch: @unchecked Sendable {
    static let shared = Scratch()

    // Safe to share: `free` is only touched under `lock`; a buffer belongs to one caller at a time.
    private let lock = NSLock()
    private var free: [UnsafeMutablePointer<Float>] = []

    func with<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let pooled = count <= WeightRows.panelBudget
        let buffer: UnsafeMutablePointer<Float>
        if pooled {
            lock.lock()
            let reused = free.popLast()
            lock.unlock()
            buffer = reused ?? Self.allocate(WeightRows.panelBudget)
        } else {
            buffer = Self.allocate(count)
        }
        defer {
            if pooled {
                lock.lock(); free.append(buffer); lock.unlock()
            } else {
                UnsafeMutableRawPointer(buffer).deallocate()
            }
        }
        return try body(buffer)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64).bindMemory(to: Float.self, capacity: max(count, 1))
    }
}

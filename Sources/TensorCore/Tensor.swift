/// A Float32 tensor: contiguous row-major storage, shapes up to 5-D.
///
/// Value semantics with copy-on-write: copies share one `TensorStorage` until one of them is
/// written through `withUnsafeMutableBufferPointer`. A tensor may be a window (`offset`, `count`)
/// into a larger storage, which is how `reshaped` and `batch(_:)` avoid copies.
// @unchecked Sendable: a value type whose storage is written only through
// withUnsafeMutableBufferPointer, which copies a shared storage first (copy-on-write), so a tensor
// sent to another thread never sees another value's writes.
public struct Tensor: @unchecked Sendable {
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage
    @usableFromInline var offset: Int

    /// Number of elements (product of the shape; 1 for a scalar of shape []).
    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let n = shape.reduce(1, *)
        self.shape = shape
        self.storage = TensorStorage(count: n)
        self.offset = 0
        storage.pointer.initialize(repeating: value, count: n)
    }

    /// A tensor of `shape` holding `scalars` (row-major).
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.init(shape: shape, uninitialized: ())
        scalars.withUnsafeBufferPointer { src in
            storage.pointer.update(from: src.baseAddress!, count: src.count)
        }
    }

    /// A tensor of `shape` whose values the caller writes (through `withUnsafeMutableBufferPointer`)
    /// before reading. Used by ops that produce every element.
    public init(shape: [Int], uninitialized: ()) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: shape.reduce(1, *))
        self.offset = 0
    }

    /// A tensor viewing `count(shape)` values of `storage` starting at `offset`.
    public init(shape: [Int], storage: TensorStorage, offset: Int = 0) {
        precondition(offset >= 0 && offset + shape.reduce(1, *) <= storage.count,
                     "view \(shape) at \(offset) exceeds storage of \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.offset = offset
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// A copy of the values, row-major.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Mutable access; copies the storage first if another tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) || offset != 0 || storage.count != count {
            let copy = TensorStorage(count: count)
            copy.pointer.initialize(from: storage.pointer + offset, count: count)
            storage = copy
            offset = 0
        }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// The same values under another shape; one dimension may be -1 (inferred). Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let inferred = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            dims[inferred] = count / known
        }
        precondition(dims.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: dims, storage: storage, offset: offset)
    }

    public func reshaped(_ newShape: Int...) -> Tensor { reshaped(newShape) }

    /// Items `range` of the first dimension, sharing storage (no copy).
    public func batch(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "batch \(range) out of \(shape)")
        let item = shape.dropFirst().reduce(1, *)
        var s = shape
        s[0] = range.count
        return Tensor(shape: s, storage: storage, offset: offset + range.lowerBound * item)
    }

    /// Item `index` of the first dimension, keeping that dimension (size 1).
    public func batch(_ index: Int) -> Tensor { batch(index..<(index + 1)) }

    /// Element access for tests and small setup code; never use in a hot loop.
    public subscript(_ indices: Int...) -> Float {
        get { withUnsafeBufferPointer { $0[flatIndex(indices)] } }
        set {
            let i = flatIndex(indices)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "\(indices.count) indices for shape \(shape)")
        var flat = 0
        for (i, d) in zip(indices, shape) {
            precondition(i >= 0 && i < d, "index \(indices) out of \(shape)")
            flat = flat * d + i
        }
        return flat
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = withUnsafeBufferPointer { Array($0.prefix(8)) }
        return "Tensor(\(shape), \(values)\(count > 8 ? "..." : ""))"
    }
}

/// 64-byte aligned Float32 storage, freed when the last tensor using it goes away.
// @unchecked Sendable: `pointer` and `count` are immutable; the elements are written only by a
// Tensor that owns the storage uniquely (copy-on-write), or by parallel loops on disjoint parts.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    public init(count: Int) {
        precondition(count >= 0, "negative element count")
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

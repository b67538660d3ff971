// Matches torchsde 0.2.6 BrownianTree (torchsde/_brownian/derived.py) = BrownianInterval with
// halfway_tree=True, tol=1e-6, pool_size=24, no Levy area (torchsde/_brownian/brownian_interval.py).
import Foundation
import TensorCore

/// A Brownian motion W on [t0, t1] whose values depend only on the entropy: a dyadic tree of
/// intervals, each split at its midpoint (rounded to 6 decimals, torchsde's `tol`), where a
/// child's increment is drawn from the Brownian bridge given its parent's increment, with a
/// torch generator seeded from numpy's SeedSequence(entropy, spawn_key=(node key, depth)).
///
/// Arithmetic follows torchsde's: times are Python floats (Double), increments float32 tensors,
/// and every Python scalar is rounded to Float32 where it meets a tensor.
final class BrownianTree {
    private final class Node {
        let start: Double, end: Double
        let parent: Node?, isLeft: Bool
        var midway: Double?
        var spawnKey: UInt64 = 0, depth: UInt64 = 0
        var wSeed: UInt32 = 0
        var left: Node?, right: Node?
        var increment: Tensor?

        init(start: Double, end: Double, parent: Node?, isLeft: Bool) {
            self.start = BrownianTree.round(start)
            self.end = BrownianTree.round(end)
            self.parent = parent
            self.isLeft = isLeft
        }
    }

    let shape: [Int]
    private let entropy: UInt64
    private let root: Node
    private static let poolSize = 24

    init(t0: Double, t1: Double, shape: [Int], entropy: UInt64) {
        self.shape = shape
        self.entropy = entropy
        root = Node(start: t0, end: t1, parent: nil, isLeft: false)
        let seeds = SeedSequence(entropy: entropy, poolSize: Self.poolSize).generateState(3)
        // seeds[1] (the space-time Levy area H) and seeds[2] (Levy area A) are unused without Levy area.
        var w = Self.randn(shape, seed: seeds[0])
        scale(&w, by: Float((t1 - t0).squareRoot()))
        root.increment = w
    }

    /// W(tb) - W(ta) (torchsde `BrownianTree(ta, tb)`); times outside [t0, t1] are clamped as
    /// torchsde clamps them (it warns), ta > tb is the caller's bug.
    func increment(from ta: Double, to tb: Double) -> Tensor {
        let ta = Self.round(min(max(ta, root.start), root.end))
        let tb = Self.round(min(max(tb, root.start), root.end))
        precondition(ta <= tb, "Brownian tree queried backwards: \(ta) > \(tb)")
        if ta == tb { return Tensor(shape: shape, repeating: 0) }
        var intervals: [Node] = []
        locate(root, ta, tb, into: &intervals)
        var w = increment(of: intervals[0])
        for node in intervals.dropFirst() { add(&w, increment(of: node)) }
        return w
    }

    /// torchsde's `_round`: Python's round(x, 6) (the double nearest the correctly rounded decimal).
    static func round(_ x: Double) -> Double {
        Double(String(format: "%.6f", x)) ?? x
    }

    private static func randn(_ shape: [Int], seed: UInt32) -> Tensor {
        var generator = TorchRandom(seed: UInt64(seed))
        return generator.randn(shape)
    }

    /// `_loc_inner`: the canonical decomposition of [ta, tb] into tree nodes, splitting leaves on
    /// the way (at ta, or at tb when ta is the leaf's start).
    private func locate(_ node: Node, _ ta: Double, _ tb: Double, into out: inout [Node]) {
        if ta == node.start && tb == node.end { out.append(node); return }
        if node.midway == nil { split(node, at: ta == node.start ? tb : ta) }
        guard let mid = node.midway, let left = node.left, let right = node.right else {
            preconditionFailure("split node without children")
        }
        if tb <= mid { return locate(left, ta, tb, into: &out) }
        if ta >= mid { return locate(right, ta, tb, into: &out) }
        locate(left, ta, mid, into: &out)
        locate(right, mid, tb, into: &out)
    }

    /// `_split` of the halfway tree: split at the middle, then keep splitting the child that
    /// contains `point` until `point` is a node boundary.
    private func split(_ node: Node, at point: Double) {
        var node = node
        while true {
            let mid = 0.5 * (node.end + node.start)
            splitExact(node, at: mid)
            guard let m = node.midway, point != m, let next = point > m ? node.right : node.left else { return }
            node = next
            if node.midway != nil { return }
        }
    }

    private func splitExact(_ node: Node, at mid: Double) {
        node.midway = Self.round(mid)
        if let parent = node.parent {
            node.spawnKey = 2 * parent.spawnKey + (node.isLeft ? 0 : 1)
            node.depth = parent.depth + 1
        }
        let seeds = SeedSequence(entropy: entropy, spawnKey: [node.spawnKey, node.depth],
                                 poolSize: Self.poolSize).generateState(4)
        node.wSeed = seeds[0]
        node.left = Node(start: node.start, end: mid, parent: node, isLeft: true)
        node.right = Node(start: mid, end: node.end, parent: node, isLeft: false)
    }

    /// The node's increment: the Brownian bridge between its parent's ends, sampled at the
    /// parent's midway with the parent's W seed (`_increment_and_space_time_levy_area`).
    private func increment(of node: Node) -> Tensor {
        if let w = node.increment { return w }
        guard let parent = node.parent, let mid = parent.midway else {
            preconditionFailure("Brownian tree node without parent increment")
        }
        let w = increment(of: parent)
        let hReciprocal = 1 / (parent.end - parent.start)
        let leftDiff = mid - parent.start, rightDiff = parent.end - mid
        let variance = leftDiff * rightDiff * hReciprocal
        let noise = Self.randn(shape, seed: parent.wSeed)
        let a = Float(leftDiff), h = Float(hReciprocal), s = Float(variance.squareRoot())
        var out = Tensor(shape: shape, uninitialized: ())
        w.withUnsafeBufferPointer { wp in
            noise.withUnsafeBufferPointer { np in
                out.withUnsafeMutableBufferPointer { op in
                    for i in 0..<op.count {
                        let leftW = (wp[i] * a) * h + np[i] * s
                        op[i] = node.isLeft ? leftW : wp[i] - leftW
                    }
                }
            }
        }
        node.increment = out
        return out
    }
}

private func scale(_ t: inout Tensor, by factor: Float) {
    t.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= factor } }
}

private func add(_ t: inout Tensor, _ other: Tensor) {
    other.withUnsafeBufferPointer { o in
        t.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] += o[i] } }
    }
}

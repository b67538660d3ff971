import Dispatch
import Foundation

/// Splits loops over the machine's cores with Dispatch. Ops that are not BLAS calls use this;
/// BLAS calls are made from one thread and OpenBLAS runs its own threads inside them, so the two
/// never run at the same time inside one op (no oversubscription).
public enum Parallel {
    /// Worker count: the cores this process may use.
    public static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on contiguous sub-ranges covering `0..<count`, in parallel when there are at
    /// least `2 * grain` items. `grain` is the smallest range worth a thread (in items).
    @inlinable
    public static func forEach(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let parts = min(coreCount, count / max(grain, 1))
        if parts <= 1 { body(0..<count); return }
        concurrentPerform(iterations: parts) { p in
            let lo = count * p / parts, hi = count * (p + 1) / parts
            if lo < hi { body(lo..<hi) }
        }
    }

    /// `DispatchQueue.concurrentPerform` for a body that is not `@Sendable` (it captures the
    /// unsafe pointers of the op's buffers). Safe by the ops' contract: each iteration reads
    /// shared inputs and writes only its own part of the output, and concurrentPerform returns
    /// only after every iteration has finished, so nothing the body captures outlives the call.
    @inlinable
    public static func concurrentPerform(iterations: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: iterations) { shared.value($0) }
        }
    }

    /// Elements below which a memory-bound loop runs on the calling thread only.
    public static let elementGrain = 1 << 15
}

/// A value handed to parallel iterations by `Parallel.concurrentPerform`, which states why that
/// is safe; not for general use.
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}

import TensorCore

/// Max absolute difference and share of bit-identical values between two same-shape tensors.
struct NoiseComparison: CustomStringConvertible {
    var maxAbs: Float = 0
    var exact = 0
    var total = 0

    mutating func add(_ actual: Tensor, _ expected: Tensor) {
        let a = actual.scalars, e = expected.scalars
        precondition(a.count == e.count, "compared tensors differ in size")
        for (x, y) in zip(a, e) {
            let d = abs(x - y)
            maxAbs = d.isNaN ? .nan : max(maxAbs, d)
            if x.bitPattern == y.bitPattern { exact += 1 }
        }
        total += a.count
    }

    var exactShare: Double { total == 0 ? 0 : Double(exact) / Double(total) }
    var description: String { "max |diff| \(maxAbs), bit-exact \(exact)/\(total) (\(exactShare))" }
}

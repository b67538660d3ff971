import Testing
@testable import TensorCore

@Test func reshapeSharesStorageAndCopiesOnWrite() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    var b = a.reshaped(3, -1)
    #expect(b.shape == [3, 2])
    b[2, 1] = 60
    #expect(a[1, 2] == 6)            // a unchanged: b copied before writing
    #expect(b.scalars == [1, 2, 3, 4, 5, 60])
    #expect(a.batch(1).scalars == [4, 5, 6])
}

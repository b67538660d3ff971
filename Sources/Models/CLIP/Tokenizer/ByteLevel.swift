// Matches OpenAI CLIP / GPT-2 `bytes_to_unicode`: every byte gets a printable stand-in character.

/// The byte-level alphabet of CLIP's BPE. Printable Latin-1 bytes stand for themselves; the other
/// 68 bytes (controls, space, U+00AD...) map to U+0100 onwards in byte order. The vocabulary lists
/// the 256 stand-ins in `vocabularyOrder` (printable bytes first), so a byte's id is its index there.
enum ByteLevel {
    /// Bytes in vocabulary order: ids 0...255 (and 256...511 for the `</w>` forms).
    static let vocabularyOrder: [UInt8] = {
        let printable = Array(33...126) + Array(161...172) + Array(174...255)
        let printableSet = Set(printable)
        let rest = (0...255).filter { !printableSet.contains($0) }
        return (printable + rest).map { UInt8($0) }
    }()

    /// How many bytes stand for themselves (the first entries of `vocabularyOrder`).
    static let printableCount = 188

    /// Stand-in character of each byte (indexed by byte value).
    static let standIn: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        for (index, byte) in vocabularyOrder.enumerated() {
            let code = index < printableCount ? UInt32(byte) : UInt32(256 + index - printableCount)
            table[Int(byte)] = Unicode.Scalar(code)!   // <= U+0143: always a valid scalar
        }
        return table
    }()

    /// Vocabulary id of each byte's stand-in (indexed by byte value); add 256 for the `</w>` form.
    static let id: [Int32] = {
        var table = [Int32](repeating: 0, count: 256)
        for (index, byte) in vocabularyOrder.enumerated() { table[Int(byte)] = Int32(index) }
        return table
    }()
}

// Matches the `Precompiled` normalizer of HF tokenizers (spm_precompiled), as T5TokenizerFast
// runs it from ComfyUI 0.8.0's comfy/text_encoders/t5_tokenizer/tokenizer.json: SentencePiece's
// compiled normalization rules (nmt_nfkc), a Darts double-array trie over UTF-8 bytes plus a pool
// of NUL-terminated replacement strings.
import Foundation

/// SentencePiece's precompiled character map.
struct PrecompiledCharsmap: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { "T5 tokenizer: bad precompiled_charsmap: \(reason)" }
    }

    /// The double-array units.
    private let units: [UInt32]
    /// The replacement strings, NUL-terminated, indexed by the trie's values.
    private let pool: [UInt8]

    /// The blob: a little-endian UInt32 trie size in bytes, the trie units, then the string pool.
    init(_ blob: [UInt8]) throws {
        guard blob.count >= 4 else { throw Failure(reason: "\(blob.count) bytes") }
        let size = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard size % 4 == 0, 4 + size <= blob.count, size >= 4 else { throw Failure(reason: "trie size \(size)") }
        units = stride(from: 4, to: 4 + size, by: 4).map {
            UInt32(blob[$0]) | UInt32(blob[$0 + 1]) << 8 | UInt32(blob[$0 + 2]) << 16 | UInt32(blob[$0 + 3]) << 24
        }
        pool = Array(blob[(4 + size)...])
    }

    /// The replacement of `chunk`: that of its shortest prefix in the trie (spm_precompiled takes
    /// the first common-prefix result, even when it does not cover the whole chunk), or nil.
    func transform(_ chunk: some Sequence<UInt8>) -> ArraySlice<UInt8>? {
        guard let value = firstPrefixValue(chunk) else { return nil }
        let start = Int(value)
        guard start < pool.count else { return nil }
        let end = pool[start...].firstIndex(of: 0) ?? pool.count
        return pool[start..<end]
    }

    /// Darts' common prefix search, stopped at the first match (or a NUL byte).
    private func firstPrefixValue(_ key: some Sequence<UInt8>) -> UInt32? {
        func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }
        var position = offset(units[0])
        for byte in key {
            if byte == 0 { break }
            position ^= Int(byte)
            guard position < units.count else { return nil }
            let unit = units[position]
            guard unit & ((1 << 31) | 0xFF) == UInt32(byte) else { return nil }
            position ^= offset(unit)
            if (unit >> 8) & 1 == 1 {
                guard position < units.count else { return nil }
                return units[position] & ((1 << 31) - 1)
            }
        }
        return nil
    }

    /// The normalized text: each grapheme cluster shorter than 6 UTF-8 bytes is replaced whole when
    /// the map has it; otherwise each of its scalars is replaced or kept.
    func normalize(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for grapheme in text {
            let bytes = Array(String(grapheme).utf8)
            if bytes.count < 6, let replacement = transform(bytes) {
                out += replacement
                continue
            }
            for scalar in grapheme.unicodeScalars {
                let part = Array(String(scalar).utf8)
                if let replacement = transform(part) { out += replacement } else { out += part }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

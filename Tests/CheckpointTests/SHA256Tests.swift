import Checkpoint
import Foundation
import Testing
import TestSupport

/// Oracle: FIPS 180-2 test vectors, so Checkpoint's SHA-256 (LoadImage's IS_CHANGED, and the tests'
/// fallback where `sha256sum` is absent) can be trusted.
@Suite struct SHA256Tests {
    static func digest(_ text: String) -> String {
        var h = SHA256()
        Array(text.utf8).withUnsafeBytes { h.update($0) }
        return h.finish()
    }

    @Test func knownVectors() throws {
        #expect(Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: 0x61, count: 1_000_000).write(to: url)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(try SHA256.hex(ofFile: url) == expected)
        #expect(try SHA256.hexOfLargeFile(url) == expected)
    }
}

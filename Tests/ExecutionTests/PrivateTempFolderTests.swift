import Foundation
import Testing
@testable import Execution

/// Oracle: the rules of `PrivateTempFolder` (a symlink or a folder open to others is refused; a
/// fresh 0700 folder per process), ComfyUI's "temp is cleared at start".
@Suite struct PrivateTempFolderTests {
    static func base() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftcomfy-tmptest-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func freshPrivateFolderClearedAtStart() throws {
        let base = try Self.base()
        let first = try PrivateTempFolder.make(in: base)
        try Data("old".utf8).write(to: first.appendingPathComponent("ComfyUI_temp_abcde_00001_.png"))
        let again = try PrivateTempFolder.make(in: base)
        #expect(again == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: again.path).isEmpty)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: again.path)[.posixPermissions] as? Int)
        #expect(mode == 0o700)
    }

    /// Before: previews went to `$TMPDIR/swiftcomfy` and followed a symlink planted there.
    @Test func plantedSymlinkIsRefused() throws {
        let base = try Self.base(), elsewhere = try Self.base()
        let parent = base.appendingPathComponent("swiftcomfy-\(getuid())")
        try FileManager.default.createSymbolicLink(at: parent, withDestinationURL: elsewhere)
        let error = try #require(throws: PrivateTempFolder.Unsafe.self) { try PrivateTempFolder.make(in: base) }
        #expect("\(error)" == "refusing the temp folder \(parent.path): it is a symbolic link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test func folderOpenToOthersIsRefused() throws {
        let base = try Self.base()
        let parent = base.appendingPathComponent("swiftcomfy-\(getuid())")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o777])
        chmod(parent.path, 0o777)
        let error = try #require(throws: PrivateTempFolder.Unsafe.self) { try PrivateTempFolder.make(in: base) }
        #expect("\(error)".hasSuffix("others may access it (mode 777, expected 700)"))
    }
}

import Foundation

/// Matches ComfyUI 0.8.0 folder_paths.py `get_save_image_path`: where SaveImage, PreviewImage and
/// SaveLatent put their files and which counter the first one gets.
///
/// - `%width%`, `%height%`, `%year%`, `%month%`, `%day%`, `%hour%`, `%minute%`, `%second%` are
///   replaced (local time, 2-digit fields but the year) only when the prefix contains `%`.
///   `%date:...%` is the frontend's business and stays literal here, as in ComfyUI.
/// - The prefix's `normpath` gives the subfolder (dirname) and the file base (basename); a subfolder
///   outside the output folder is refused with ComfyUI's message.
/// - Counter: the largest `N` over files named `<base>_N_...` (N parsed as Python `int` of the text
///   up to the next `_`), plus one; 1 when there is none. The folder is created when missing.
struct SaveNaming: Equatable {
    /// The folder the files go to.
    let folder: URL
    /// The file base (`%batch_num%` still in it).
    let filename: String
    let counter: Int
    /// The subfolder as ComfyUI reports it in the UI result ("" for the output folder itself).
    let subfolder: String

    /// ComfyUI's name for item `batch` with counter `counter`: `<base>_00001_.<ext>`.
    func name(batch: Int, counter: Int, extension ext: String) -> String {
        let base = filename.replacingOccurrences(of: "%batch_num%", with: String(batch))
        return base + "_" + Self.zeroPadded(counter) + "_." + ext
    }

    /// Python `f"{counter:05}"`.
    static func zeroPadded(_ n: Int) -> String {
        let digits = String(n.magnitude)
        let sign = n < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, 5 - sign.count - digits.count)) + digits
    }

    init(prefix: String, outputDirectory: URL, width: Int = 0, height: Int = 0, now: Date = Date()) throws {
        // Python's os functions refuse a NUL in a path (ComfyUI fails in open/listdir).
        guard !prefix.utf8.contains(0) else { throw EmbeddedNullByte(prefix: prefix) }
        let expanded = prefix.contains("%") ? Self.substitute(prefix, width: width, height: height, now: now) : prefix
        let normal = PythonPath.normpath(expanded)
        subfolder = PythonPath.dirname(normal)
        filename = PythonPath.basename(normal)
        let outputDir = PythonPath.normpath(outputDirectory.path)
        let full = PythonPath.join(outputDir, subfolder)
        let absolute = PythonPath.abspath(full)
        let common = PythonPath.commonpath(outputDir, absolute)
        guard common == outputDir else { throw SaveOutsideOutputFolder(full: absolute, output: outputDir, common: common) }
        folder = URL(fileURLWithPath: full)
        // Checked before any folder is created: mkdir -p of a too-long path fails part-way and
        // leaves the folders it made.
        try PathLength.check(folder: absolute, filename: filename)

        // Python slices and compares code points: so do we (no grapheme or canonical equivalence).
        let prefixLength = PythonPath.basename(expanded).unicodeScalars.count
        let base = Array(filename.unicodeScalars)
        var largest: Int?
        if let names = try? FileManager.default.contentsOfDirectory(atPath: full) {
            for name in names {
                let scalars = Array(name.unicodeScalars)
                guard scalars.count > prefixLength, scalars[prefixLength] == "_",
                      scalars[..<prefixLength].elementsEqual(base) else { continue }
                var rest = String.UnicodeScalarView()
                rest.append(contentsOf: scalars[(prefixLength + 1)...].prefix { $0 != "_" })
                let digits = PythonInt.parse(String(rest)) ?? 0
                largest = max(largest ?? digits, digits)
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true) } catch {
                throw SaveFolderUnwritable(folder: full, reason: error.localizedDescription)
            }
        }
        // A file named `<base>_9223372036854775807_.png` would make the next counter overflow
        // (Python's int just grows); leave room for a batch and for counters claimed by others.
        guard (largest ?? 0) < Self.maxCounter else { throw CounterExhausted(folder: folder.path, largest: largest ?? 0) }
        counter = (largest ?? 0) + 1
    }

    /// The largest counter SwiftComfy continues from: 2^62.
    static let maxCounter = 1 << 62

    static func substitute(_ prefix: String, width: Int, height: Int, now: Date) -> String {
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func two(_ v: Int?) -> String { let s = String(v ?? 0); return s.count < 2 ? "0" + s : s }
        var s = prefix
        for (key, value) in [("%width%", String(width)), ("%height%", String(height)), ("%year%", String(parts.year ?? 0)),
                             ("%month%", two(parts.month)), ("%day%", two(parts.day)), ("%hour%", two(parts.hour)),
                             ("%minute%", two(parts.minute)), ("%second%", two(parts.second))] {
            s = s.replacingOccurrences(of: key, with: value)
        }
        return s
    }
}

/// ComfyUI's run-time error for a prefix that leaves the output folder (`../x`, `/tmp/x`).
struct SaveOutsideOutputFolder: Error, CustomStringConvertible {
    let full: String, output: String, common: String
    var description: String {
        "**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: \(full)"
            + "\n         output_dir: \(output)\n         commonpath: \(common)"
    }
}

/// ComfyUI's `ValueError: embedded null byte` for a `filename_prefix` holding NUL.
struct EmbeddedNullByte: Error, CustomStringConvertible {
    let prefix: String
    var description: String {
        "embedded null byte: filename_prefix '\(prefix.replacingOccurrences(of: "\0", with: "\\x00"))' holds a NUL character, "
            + "which no file name can contain"
    }
}

/// Linux's limits on a file's path: 255 bytes per name (NAME_MAX), 4095 in all (PATH_MAX - 1).
enum PathLength {
    static let maxName = 255, maxPath = 4095
    /// Room for what a file name adds to the base: `_00001_.latent`, or a longer counter or batch number.
    static let suffixAllowance = 32

    static func check(folder: String, filename: String) throws {
        let tooLongName = folder.split(separator: "/").first { $0.utf8.count > maxName }
        if let name = tooLongName ?? (filename.utf8.count + suffixAllowance > maxName ? Substring(filename) : nil) {
            throw PathTooLong(path: folder + "/" + filename,
                              reason: "the name '\(name.prefix(40))...' has \(name.utf8.count) bytes (the limit is \(maxName) per name, "
                                  + "\(maxName - suffixAllowance) for the file base)")
        }
        let total = folder.utf8.count + 1 + filename.utf8.count + suffixAllowance
        guard total <= maxPath else {
            throw PathTooLong(path: folder + "/" + filename,
                              reason: "the path has \(total - suffixAllowance) bytes with the file base (the limit is \(maxPath - suffixAllowance))")
        }
    }
}

/// A save path past the file system's limits, refused before anything is created (ComfyUI:
/// `OSError: [Errno 36] File name too long`).
struct PathTooLong: Error, CustomStringConvertible {
    let path: String, reason: String
    var description: String { "[Errno 36] File name too long: the output path is too long: \(reason); nothing was created" }
}

struct CounterExhausted: Error, CustomStringConvertible {
    let folder: String, largest: Int
    var description: String {
        "cannot number the file: \(folder) holds a file with counter \(largest), past SwiftComfy's largest \(SaveNaming.maxCounter); "
            + "use another filename_prefix or folder"
    }
}

struct SaveFolderUnwritable: Error, CustomStringConvertible {
    let folder: String, reason: String
    var description: String { "cannot create the folder \(folder): \(reason)" }
}

/// Python's `int(text)` for the counter field: surrounding whitespace, an optional sign, ASCII
/// digits (underscores never reach here: the field is split at `_`). nil where Python raises.
enum PythonInt {
    static func parse(_ text: String) -> Int? {
        var t = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var sign = 1
        if let first = t.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            t = t.dropFirst()
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(t) else { return nil }
        return sign * v
    }
}

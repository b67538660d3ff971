import Foundation

/// The checks ComfyUI runs on a constant (non-link) input: unwrap `{"__value__": v}`, coerce by the
/// declared type, then min, max and list membership (or the node's own file check).
struct ConstantCheck {
    let nodeID: String
    let classType: String
    let spec: InputSpec
    let validator: PromptValidator
    let listings: FileListings
    /// The value to write back into the prompt, when it changed.
    private(set) var coerced: JSONValue?

    init(nodeID: String, classType: String, spec: InputSpec, validator: PromptValidator, listings: FileListings) {
        self.nodeID = nodeID
        self.classType = classType
        self.spec = spec
        self.validator = validator
        self.listings = listings
    }

    mutating func check(_ raw: JSONValue) -> NodeInputError? {
        var value = raw
        if case .object(let o) = value, let inner = o["__value__"] {
            value = inner
            coerced = inner
        }
        do {
            switch spec.type {
            case "INT": value = try PythonCoercion.int(value)
            case "FLOAT": value = try PythonCoercion.float(value)
            case "STRING": value = PythonCoercion.str(value)
            case "BOOLEAN": value = PythonCoercion.bool(value)
            default: break
            }
            if ["INT", "FLOAT", "STRING", "BOOLEAN"].contains(spec.type) { coerced = value }
        } catch let f as PythonCoercion.Failure {
            return problems.invalidType(value, f.message)
        } catch {
            return problems.invalidType(value, "\(error)")
        }
        if let kind = validator.types.inputFileInputs[classType]?[spec.name] {
            return inputFile(value, kind: kind)
        }
        if let min = spec.options["min"], NumberOrder.less(value, min) { return problems.smaller(value, min) }
        if let max = spec.options["max"], NumberOrder.less(max, value) { return problems.bigger(value, max) }
        if spec.type == "COMBO" { return combo(value) }
        return nil
    }

    private var problems: Problems { Problems(nodeID: nodeID, classType: classType, spec: spec) }

    private func combo(_ value: JSONValue) -> NodeInputError? {
        guard let key = validator.types.modelInputs[classType]?[spec.name] else {
            let choices = spec.choices ?? []
            return choices.contains(value) ? nil : problems.notInList(value, choices: choices, reason: nil)
        }
        let models = validator.files.models
        let files = listings.list(key)
        let choices = files.map { JSONValue.string($0) } + (spec.choices ?? [])
        if choices.contains(value) { return nil }
        guard case .string(let name) = value else {
            return problems.notInList(value, choices: choices, reason: nil)
        }
        do {
            let relative = try ModelName.normalised(name)
            if files.contains(relative) { return nil }
            let searched = models.folders(for: key).map(\.path)
            let reason = ModelFolders.LookupError.notFound(key: key, name: name, searched: searched).description
            return problems.notInList(value, choices: choices, reason: reason)
        } catch {
            return problems.notInList(value, choices: choices, reason: "\(error)")
        }
    }

    /// LoadImage / LoadLatent `VALIDATE_INPUTS`: the file must exist in the input folder.
    private func inputFile(_ value: JSONValue, kind: String) -> NodeInputError? {
        guard let directory = validator.files.inputDirectory else { return nil }
        let name = PythonText.str(value)
        var relative = name
        if relative.hasSuffix(" [input]") { relative.removeLast(" [input]".count) }
        let url = directory.appendingPathComponent(relative)
        var isDirectory: ObjCBool = false
        let inside = (try? ModelName.normalised(relative)) != nil
        if inside, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return nil
        }
        let message = "Invalid \(kind) file: \(name)"
        return NodeInputError(
            kind: .customValidationFailed, nodeID: nodeID, classType: classType, input: spec.name,
            reason: "\(kind) file '\(name)' not found in the input folder \(directory.path)",
            comfy: ComfyError(type: "custom_validation_failed", message: "Custom validation failed for node",
                              details: "\(spec.name) - \(message)", extraInfo: ["input_name": .string(spec.name)]))
    }
}

/// Python's `<` between numbers (ints exactly, otherwise as floats); false for non-numbers.
enum NumberOrder {
    static func less(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y
        case let (.uint(x), .uint(y)): return x < y
        case (.int, .uint): return true
        case (.uint, .int): return false
        case (.bigInt, _), (_, .bigInt):
            if let order = BigOrder.less(a, b) { return order }
            fallthrough
        default:
            guard a.isNumber || a.boolValue != nil, b.isNumber else { return false }
            let x = a.doubleValue ?? (a.boolValue == true ? 1 : 0)
            guard let y = b.doubleValue else { return false }
            return x < y
        }
    }
}

/// Exact order of integers when one is beyond 64 bits (`.bigInt`): nil when a double or a
/// non-number is involved (those compare as floats).
enum BigOrder {
    /// Sign and magnitude digits of an integer value.
    private static func parts(_ v: JSONValue) -> (negative: Bool, digits: Substring)? {
        let text: String
        switch v {
        case .int(let i): text = String(i)
        case .uint(let u): text = String(u)
        case .bigInt(let d): text = d
        case .bool(let b): text = b ? "1" : "0"
        default: return nil
        }
        return text.hasPrefix("-") ? (true, text.dropFirst()) : (false, Substring(text))
    }

    static func less(_ a: JSONValue, _ b: JSONValue) -> Bool? {
        guard let x = parts(a), let y = parts(b) else { return nil }
        if x.negative != y.negative { return x.negative }
        let magnitudeLess = x.digits.count != y.digits.count ? x.digits.count < y.digits.count : x.digits < y.digits
        let magnitudeEqual = x.digits == y.digits
        return x.negative ? (!magnitudeLess && !magnitudeEqual) : magnitudeLess
    }
}

import Workflow

/// The inputs of one node run: read them through their declarations, `try a[steps]`.
public struct Arguments: Sendable {
    let values: [String: InputArgument]
    let infos: [String: InputInfo]

    public init(values: [String: InputArgument], declaration: NodeDeclaration) {
        self.values = values
        var infos: [String: InputInfo] = [:]
        for input in declaration.inputs { infos[input.spec.name] = input.info }
        self.infos = infos
    }

    /// A required input's value (optional inputs: use `optional(_:)`).
    public subscript<T>(_ input: Input<T>) -> T {
        get throws {
            guard let v = values[input.name] else { throw ArgumentError.missing(input: input.name) }
            return try T.from(v, input: infos[input.name] ?? input.info)
        }
    }

    /// An optional input's value, nil when the prompt does not give it.
    public func optional<T>(_ input: Input<T>) throws -> T? {
        guard let v = values[input.name] else { return nil }
        return try T.from(v, input: infos[input.name] ?? input.info)
    }

    /// Whether the prompt gives a value (constant or link) for `input`.
    public func has<T>(_ input: Input<T>) -> Bool { values[input.name] != nil }
}

import Foundation

/// A value built on first use and then kept (thread-safe). A LoRA-patched model is built when it
/// first runs, as ComfyUI patches weights when the model is loaded for sampling, so a chain of
/// LoraLoaders builds only the final model.
final class Lazy<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private let make: @Sendable () throws -> Value

    init(_ make: @escaping @Sendable () throws -> Value) { self.make = make }
    init(built value: Value) { self.value = value; make = { value } }

    func get() throws -> Value {
        lock.lock(); defer { lock.unlock() }
        if let value { return value }
        let v = try make()
        value = v
        return v
    }
}

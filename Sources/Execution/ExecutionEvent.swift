import Foundation
import Workflow

/// What a run reports as it goes (the CLI prints them; the server turns them into ComfyUI's
/// WebSocket messages `execution_start`, `execution_cached`, `executing`, `progress`, `executed`).
public enum ExecutionEvent: Sendable {
    /// The run starts; `cached` lists every prompt node whose output is reused, in prompt order.
    case started(cached: [String])
    case nodeStarted(nodeID: String, classType: String)
    /// Step progress inside a node (sampler steps), `value` in 1...max.
    case progress(nodeID: String, value: Int, max: Int)
    case nodeFinished(nodeID: String, classType: String, seconds: Double, ui: JSONObject?)
    /// A cached output node: its earlier UI result is reported again (ComfyUI re-sends `executed`).
    case cachedOutput(nodeID: String, ui: JSONObject?)
}

public typealias ExecutionObserver = @Sendable (ExecutionEvent) -> Void

struct EventSink: Sendable {
    let observer: ExecutionObserver?
    func send(_ e: ExecutionEvent) { observer?(e) }
}

/// ComfyUI's interrupt flag: checked before each node and at each progress report; cleared when
/// the next run starts, so a stale interrupt never stops a later run.
// @unchecked Sendable: `requested` is only read and written under `lock`.
public final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() { lock.lock(); requested = true; lock.unlock() }
    func clear() { lock.lock(); requested = false; lock.unlock() }

    var isRequested: Bool { lock.lock(); defer { lock.unlock() }; return requested }

    func check(nodeID: String, classType: String) throws {
        if isRequested { throw Interrupted(nodeID: nodeID, classType: classType) }
    }
}

/// The run stopped because it was interrupted (before or inside this node).
public struct Interrupted: Error, CustomStringConvertible {
    public let nodeID: String
    public let classType: String
    public var description: String { "interrupted at node \(nodeID) (\(classType))" }
}

/// A node failed while running: the executor adds the node context once, here.
public struct NodeFailure: Error, CustomStringConvertible {
    public let nodeID: String
    public let classType: String
    public let underlying: any Error
    /// Nodes that completed in this run before the failure.
    public let executed: [String]

    public var description: String { "node \(nodeID) (\(classType)) failed: \(underlying)" }
}

/// The prompt cannot be scheduled (it should have failed validation).
public enum ScheduleError: Error, CustomStringConvertible, Equatable {
    case unknownNodeType(nodeID: String, classType: String)
    case missingNode(String)
    case dependencyCycle([String])

    public var description: String {
        switch self {
        case let .unknownNodeType(id, type): return "node \(id): SwiftComfy does not run node type '\(type)'"
        case .missingNode(let id): return "the prompt has no node \(id)"
        case .dependencyCycle(let ids): return "dependency cycle among nodes \(ids.joined(separator: ", "))"
        }
    }
}

import Foundation
import Workflow

/// What a run reports as it goes, in ComfyUI's order: the CLI prints them; the server turns them
/// into ComfyUI's WebSocket messages (named beside each case).
public enum ExecutionEvent: Sendable {
    /// The run starts (`execution_start`); `cached` lists every prompt node whose output is
    /// reused, in prompt order (`execution_cached`).
    case started(cached: [String])
    /// A node is about to run (`executing`); cached nodes get none.
    case nodeStarted(nodeID: String, classType: String)
    /// Step progress inside a node (sampler steps), `value` in 1...max (`progress`). `preview` is
    /// the step's picture of its result (samplers: `Nodes.LatentPreview`, the denoised latent),
    /// only when the run was asked for previews; ComfyUI sends its preview frame just before.
    case progress(nodeID: String, value: Int, max: Int, preview: (any ProgressPreview)? = nil)
    /// A node finished (`executed` when `ui` is not nil).
    case nodeFinished(nodeID: String, classType: String, seconds: Double, ui: JSONObject?)
    /// A cached output node: its earlier UI result is reported again (ComfyUI re-sends `executed`).
    case cachedOutput(nodeID: String, ui: JSONObject?)
    /// Every node ran (`execution_success`); the summary is what `run` returns.
    case succeeded(RunSummary)
    /// A node threw and the run stopped (`execution_error`: node_id, node_type, executed,
    /// exception_message, exception_type, current_inputs; traceback is `[]` and current_outputs
    /// the prompt's node ids, which the server has).
    case failed(NodeFailure)
    /// The run was interrupted before or inside a node (`execution_interrupted`: node_id,
    /// node_type, executed).
    case interrupted(Interrupted)
}

/// What a node can show of its work in progress, for live previews. Execution passes it through
/// without looking inside; the server knows the concrete types (`Nodes.LatentPreview`).
public protocol ProgressPreview: Sendable {}

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
    /// Nodes that completed in this run before the interrupt (filled in by the executor).
    public internal(set) var executed: [String] = []
    public var description: String { "interrupted at node \(nodeID) (\(classType))" }
}

/// A node failed while running: the executor adds the node context once, here. Carries what
/// ComfyUI's `execution_error` reports.
public struct NodeFailure: Error, CustomStringConvertible {
    public let nodeID: String
    public let classType: String
    public let underlying: any Error
    /// Nodes that completed in this run before the failure.
    public let executed: [String]
    /// The node's inputs as ComfyUI's `current_inputs` shows them: input name -> `[value]`, a
    /// constant as given, a linked value described (`str(x)` in Python); hidden inputs left out.
    public internal(set) var inputs = JSONObject()

    /// `exception_message`, without the "\n" ComfyUI appends.
    public var message: String { "\(underlying)" }
    /// `exception_type`: the error's type as module.Type (`Sampling.SamplingError`), as ComfyUI
    /// names a non-builtin exception (`module.Class`).
    public var exceptionType: String { String(reflecting: type(of: underlying)) }

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

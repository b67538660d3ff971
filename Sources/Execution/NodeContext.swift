import Foundation
import Workflow

/// Where a run reads and writes files, and the data ComfyUI passes to nodes as hidden inputs.
public struct RunEnvironment: Sendable {
    public var models: ModelFolders
    public var outputDirectory: URL
    public var inputDirectory: URL
    public var tempDirectory: URL
    /// `extra_data.extra_pnginfo` (normally `{"workflow": <UI graph>}`): hidden `EXTRA_PNGINFO`.
    public var extraPNGInfo: JSONObject

    public init(models: ModelFolders, outputDirectory: URL, inputDirectory: URL, tempDirectory: URL,
                extraPNGInfo: JSONObject = JSONObject()) {
        self.models = models
        self.outputDirectory = outputDirectory
        self.inputDirectory = inputDirectory
        self.tempDirectory = tempDirectory
        self.extraPNGInfo = extraPNGInfo
    }
}

/// What a running node may use besides its arguments: its identity, the run's folders, step
/// progress (which is also where an interrupt stops a long node), and its per-instance state.
public struct NodeContext: Sendable {
    public let nodeID: String
    public let classType: String
    public let environment: RunEnvironment
    /// ComfyUI's per-(node id, class) object: survives between runs (LoraLoader's loaded file,
    /// PreviewImage's random prefix).
    public let state: NodeState
    /// The run's observer wants previews in progress events (ComfyUI's preview method is not
    /// "none"); a node makes none otherwise.
    public let wantsPreviews: Bool
    let events: EventSink
    let interruption: Interruption

    init(nodeID: String, classType: String, environment: RunEnvironment, state: NodeState, events: EventSink,
         interruption: Interruption, wantsPreviews: Bool) {
        self.nodeID = nodeID
        self.classType = classType
        self.environment = environment
        self.state = state
        self.events = events
        self.interruption = interruption
        self.wantsPreviews = wantsPreviews
    }

    /// A context outside any executor, for calling a node's `execute` directly (node tests);
    /// `observer` receives its progress events (with previews when `previews`).
    public init(nodeID: String, classType: String, environment: RunEnvironment, observer: ExecutionObserver? = nil,
                previews: Bool = false) {
        self.init(nodeID: nodeID, classType: classType, environment: environment, state: NodeState(),
                  events: EventSink(observer: observer), interruption: Interruption(), wantsPreviews: previews)
    }

    /// Reports step `value` of `total` (sampler steps), with the step's preview if there is one,
    /// and stops here if the run was interrupted.
    public func progress(_ value: Int, of total: Int, preview: (any ProgressPreview)? = nil) throws {
        events.send(.progress(nodeID: nodeID, value: value, max: total, preview: preview))
        try interruption.check(nodeID: nodeID, classType: classType)
    }

    public func checkInterrupted() throws { try interruption.check(nodeID: nodeID, classType: classType) }

    /// The file a model combo names (first model folder holding it; Windows `\` accepted).
    public func path(of file: ModelFile) throws -> URL {
        try environment.models.resolve(file.folder, name: file.name)
    }
}

/// A small lock-protected store of values a node keeps between runs.
// @unchecked Sendable: `values` is only read and written under `lock`.
public final class NodeState: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: any Sendable] = [:]

    public init() {}

    public subscript(key: String) -> (any Sendable)? {
        get { lock.lock(); defer { lock.unlock() }; return values[key] }
        set { lock.lock(); defer { lock.unlock() }; values[key] = newValue }
    }
}

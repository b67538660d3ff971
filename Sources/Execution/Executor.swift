import Foundation
import Workflow

/// Runs validated prompts: only their good output nodes and the ancestors, in ComfyUI's order,
/// reusing cached outputs across runs of the same executor (see `InputSignature`, `OutputCache`).
// @unchecked Sendable: the mutable state (cache, table, states) is used only inside `run`, which
// holds `lock` throughout; `registry` and `interruption` are immutable (Interruption locks itself).
public final class Executor: @unchecked Sendable {
    public let registry: NodeRegistry
    public let interruption = Interruption()
    private var cache = OutputCache()
    private var table = SignatureTable()
    private var states: [String: NodeState] = [:]
    private let lock = NSLock()

    public init(registry: NodeRegistry) { self.registry = registry }

    /// Runs `prompt`'s outputs (validation's good outputs) and their ancestors. Once the run has
    /// started (`.started`), `observer` hears exactly one terminal event: `.succeeded`, `.failed`
    /// (also thrown as `NodeFailure`) or `.interrupted` (thrown as `Interrupted`). A prompt that
    /// cannot be scheduled (a type this registry lacks, a cycle) throws `ScheduleError` before it
    /// starts. `previews` asks nodes for progress previews (the sampler's denoised latents).
    public func run(_ prompt: ValidatedPrompt, environment: RunEnvironment, observer: ExecutionObserver? = nil,
                    previews: Bool = false) throws -> RunSummary {
        lock.lock()
        defer { lock.unlock() }
        interruption.clear()
        let events = EventSink(observer: observer)
        let graph = PromptNodes(prompt: prompt.prompt, registry: registry)
        for id in graph.order where graph.nodes[id]?.definition == nil {
            throw ScheduleError.unknownNodeType(nodeID: id, classType: graph.nodes[id]?.classType ?? "")
        }
        let setup = RunSetup(environment: environment, events: events, previews: previews)
        let (fingerprints, isChanged) = fingerprintAll(graph, setup)
        let signatures = InputSignature.compute(graph, fingerprints: fingerprints, table: &table)
        let used = Set(signatures.values)
        cache.retainOnly(used)
        table.retain(used)

        var summary = RunSummary()
        let isCached: (String) -> Bool = { [cache] id in signatures[id].map { cache[$0] != nil } ?? false }
        summary.cached = graph.order.filter(isCached)
        let targets = prompt.outputs
        let order = try ExecutionOrder.plan(graph, outputs: targets, isCached: isCached)
        events.send(.started(cached: summary.cached))
        for id in targets where isCached(id) {
            events.send(.cachedOutput(nodeID: id, ui: signatures[id].flatMap { cache[$0]?.ui }))
        }

        let run = PreparedRun(graph: graph, prompt: Self.recording(isChanged, in: prompt.prompt),
                              signatures: signatures, setup: setup)
        do {
            for id in order { try runNode(id, run, summary: &summary) }
        } catch var stop as Interrupted {
            stop.executed = summary.executed
            events.send(.interrupted(stop))
            throw stop
        } catch let failure as NodeFailure {
            events.send(.failed(failure))
            throw failure
        }
        for id in targets {
            guard let s = signatures[id], let output = cache[s] else { continue }
            summary.outputs += output.files
            if let ui = output.ui { summary.ui[id] = ui }
        }
        events.send(.succeeded(summary))
        return summary
    }

    /// Runs one node: its arguments from the prompt and the cache, the call, the timing, the cache
    /// entry. Failures get the node's id, type and inputs here, once.
    private func runNode(_ id: String, _ run: PreparedRun, summary: inout RunSummary) throws {
        guard let node = run.graph.nodes[id], let definition = node.definition else { throw ScheduleError.missingNode(id) }
        guard let signature = run.signatures[id] else { throw ScheduleError.dependencyCycle([id]) }
        try interruption.check(nodeID: id, classType: node.classType)
        let context = self.context(id, node.classType, run.setup)
        var arguments: Arguments?
        run.setup.events.send(.nodeStarted(nodeID: id, classType: node.classType))
        let start = DispatchTime.now().uptimeNanoseconds
        let output: NodeOutput
        do {
            let given = try self.arguments(id, run)
            arguments = given
            output = try definition.execute(given, context)
            let expected = definition.declaration.schema.outputs.count
            guard output.values.count == expected else {
                throw OutputCountMismatch(expected: expected, got: output.values.count)
            }
        } catch let e as Interrupted {
            throw e
        } catch {
            var failure = NodeFailure(nodeID: id, classType: node.classType, underlying: error, executed: summary.executed)
            failure.inputs = arguments?.currentInputs(definition.declaration) ?? JSONObject()
            throw failure
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        cache[signature] = output
        summary.executed.append(id)
        summary.seconds[id] = seconds
        run.setup.events.send(.nodeFinished(nodeID: id, classType: node.classType, seconds: seconds, ui: output.ui))
    }

    /// Asks each node with a fingerprint for it; a throwing fingerprint means "always run again".
    /// Also returns the fingerprint values themselves (ComfyUI records them in the prompt).
    private func fingerprintAll(_ graph: PromptNodes, _ setup: RunSetup) -> ([String: String], [String: JSONValue]) {
        var out: [String: String] = [:]
        var recorded: [String: JSONValue] = [:]
        for id in graph.order {
            guard let node = graph.nodes[id], let d = node.definition else { continue }
            var values: [String: InputArgument] = [:]
            for spec in d.declaration.schema.inputs {
                if let v = node.inputs[spec.name], v.arrayValue == nil { values[spec.name] = .constant(v) }
            }
            let arguments = Arguments(values: values, declaration: d.declaration)
            do {
                if let fp = try d.fingerprint(arguments, context(id, node.classType, setup)) {
                    out[id] = InputSignature.canonical(fp)
                    recorded[id] = fp
                }
            } catch {
                out[id] = "always-run:" + UUID().uuidString
            }
        }
        return (out, recorded)
    }

    /// ComfyUI's IsChangedCache writes each fingerprint into the prompt node as `"is_changed": [value]`,
    /// so the hidden PROMPT (SaveImage's `prompt` chunk) carries it: LoadImage's is the file's SHA-256.
    static func recording(_ isChanged: [String: JSONValue], in prompt: JSONObject) -> JSONObject {
        var prompt = prompt
        for (id, value) in isChanged {
            guard case .object(var node)? = prompt[id] else { continue }
            node["is_changed"] = .array([value])
            prompt[id] = .object(node)
        }
        return prompt
    }

    private func context(_ id: String, _ type: String, _ setup: RunSetup) -> NodeContext {
        let key = id + "\u{1}" + type
        let state = states[key] ?? NodeState()
        states[key] = state
        return NodeContext(nodeID: id, classType: type, environment: setup.environment, state: state,
                           events: setup.events, interruption: interruption, wantsPreviews: setup.previews)
    }

    /// Constants, linked outputs (from the cache) and hidden values of one node.
    private func arguments(_ id: String, _ run: PreparedRun) throws -> Arguments {
        let (graph, prompt, signatures, environment) = (run.graph, run.prompt, run.signatures, run.setup.environment)
        guard let node = graph.nodes[id], let d = node.definition else { throw ScheduleError.missingNode(id) }
        var values: [String: InputArgument] = [:]
        for spec in d.declaration.schema.inputs {
            if spec.section == .hidden {
                switch spec.type {
                case "PROMPT": values[spec.name] = .constant(.object(prompt))
                case "EXTRA_PNGINFO": values[spec.name] = .constant(.object(environment.extraPNGInfo))
                case "UNIQUE_ID": values[spec.name] = .constant(.string(id))
                default: break
                }
                continue
            }
            guard let value = node.inputs[spec.name] else { continue }
            if let link = graph.declaredLink(id, spec.name) {
                guard let s = signatures[link.source], let upstream = cache[s], link.slot >= 0,
                      link.slot < upstream.values.count else {
                    throw ScheduleError.missingNode(link.source)
                }
                values[spec.name] = .linked(upstream.values[link.slot])
            } else {
                values[spec.name] = .constant(value)
            }
        }
        return Arguments(values: values, declaration: d.declaration)
    }
}

/// What every node context of one run shares: folders, where events go, whether to make previews.
private struct RunSetup {
    let environment: RunEnvironment
    let events: EventSink
    let previews: Bool
}

/// One run's fixed facts: the graph, the prompt, every node's signature, the shared setup.
private struct PreparedRun {
    let graph: PromptNodes
    let prompt: JSONObject
    let signatures: [String: Int]
    let setup: RunSetup
}

extension Arguments {
    /// ComfyUI's `current_inputs`: each declared, non-hidden input given, as `[value]`.
    func currentInputs(_ declaration: NodeDeclaration) -> JSONObject {
        var out = JSONObject()
        for spec in declaration.schema.inputs where spec.section != .hidden {
            switch values[spec.name] {
            case .constant(let v)?: out[spec.name] = .array([v])
            case let linked?: out[spec.name] = .array([.string(linked.summary)])
            case nil: continue
            }
        }
        return out
    }
}

/// A node returned a different number of values than it declares outputs (a SwiftComfy bug).
struct OutputCountMismatch: Error, CustomStringConvertible {
    let expected: Int, got: Int
    var description: String { "returned \(got) values but declares \(expected) outputs" }
}

/// A prompt that passed ComfyUI's validation (execution.py validate_prompt) for at least one
/// output: the only thing `Executor.run` takes. Its initializer is internal to Workflow, so a
/// value comes from `PromptValidator` (through `ValidationReport.validated`) and nowhere else.
public struct ValidatedPrompt: Sendable {
    /// The prompt with coerced values (what history and the PNG `prompt` chunk record).
    public let prompt: JSONObject
    /// The output nodes that passed, in prompt order: they and their ancestors run.
    public let outputs: [String]
    /// The errors that failed the other outputs (ComfyUI's `node_errors` beside a queued prompt);
    /// empty when every output passed.
    public let nodeErrors: [ValidationReport.NodeErrors]

    init(prompt: JSONObject, outputs: [String], nodeErrors: [ValidationReport.NodeErrors]) {
        self.prompt = prompt
        self.outputs = outputs
        self.nodeErrors = nodeErrors
    }
}

// Matches ComfyUI 0.8.0 latent_preview.prepare_callback (pbar.update_absolute(step + 1, total_steps))
// and main.py hijack_progress (the interrupt flag checked at every progress report).
import Execution
import Sampling

/// Connects a sampler run to its node: one `progress` event per step (value 1...total, total =
/// the steps actually sampled, len(sigmas) - 1), and the run's interrupt flag polled between steps.
struct SamplingProgress {
    let context: NodeContext

    /// Sampler options reporting to `context`.
    func options(modelSampling: any ModelSampling) -> SamplingOptions {
        let context = self.context
        return SamplingOptions(
            // The sampler cannot throw from its callback; an interrupt seen here stops the run at
            // the start of the next step (or in `finish` after the last one).
            progress: { step in try? context.progress(step.index + 1, of: step.total) },
            isCancelled: { (try? context.checkInterrupted()) == nil },
            modelSampling: modelSampling)
    }

    /// Runs `body` (the sampler); a cancellation becomes the executor's `Interrupted` error, and an
    /// interrupt that arrived during the last step is honoured too.
    func run<T>(_ body: () throws -> T) throws -> T {
        do {
            let result = try body()
            try context.checkInterrupted()
            return result
        } catch SamplingError.cancelled(let step) {
            try context.checkInterrupted()
            throw SamplingError.cancelled(step: step)
        }
    }
}

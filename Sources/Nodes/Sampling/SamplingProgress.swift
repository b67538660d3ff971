// Matches ComfyUI 0.8.0 latent_preview.prepare_callback (pbar.update_absolute(step + 1, total_steps,
// preview)) and main.py hijack_progress (the interrupt flag checked at every progress report).
import Execution
import Sampling
import TensorCore

/// Connects a sampler run to its node: one `progress` event per step (value 1...total, total =
/// the steps actually sampled, len(sigmas) - 1), carrying the step's denoised latent when the
/// run's observer asked for previews, and the run's interrupt flag polled between steps.
struct SamplingProgress {
    let context: NodeContext

    /// Sampler options reporting to `context`.
    func options(modelSampling: any ModelSampling) -> SamplingOptions {
        let context = self.context
        let previews = context.wantsPreviews
        return SamplingOptions(
            // The sampler cannot throw from its callback; an interrupt seen here stops the run at
            // the start of the next step (or in `finish` after the last one).
            progress: { step in
                let preview = previews ? LatentPreview(denoised: step.denoised) : nil
                try? context.progress(step.index + 1, of: step.total, preview: preview)
            },
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

/// A sampler step's preview payload: the model's denoised prediction (x0) at that step, in the
/// model's latent space (before process_latent_out), which is what ComfyUI's latent2rgb and TAESD
/// previewers are given. The tensor is the sampler's own (no copy is made).
public struct LatentPreview: ProgressPreview {
    public let denoised: Tensor
}

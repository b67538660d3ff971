// Matches ComfyUI 0.8.0 comfy/samplers.py _calc_cond_batch (no areas, masks, hooks or ControlNets:
// every entry has strength 1 over the whole latent; batching by ModelConditioning, comfy/conds.py)
// and comfy/model_base.py BaseModel._apply_model.
import Sampling
import TensorCore

/// One conditioning entry's model inputs to evaluate, and which prediction it feeds (0 = cond, 1 = uncond).
struct CondRun {
    let entry: ModelConditioning
    let target: Int
}

/// The model evaluations of one sampler call: every entry of the positive (and negative) list,
/// batched as ComfyUI batches them, each prediction the average of its entries' denoised outputs.
struct CondBatch {
    let model: any DiffusionModel

    /// `calc_cond_batch(model, [cond, uncond], x, sigma)`: denoised predictions per list, in order.
    /// An empty (or skipped) list gives zeros, as ComfyUI's `out_conds / out_counts` does.
    func predictions(_ x: Tensor, sigma: Float, lists: [[ModelConditioning]]) throws -> [Tensor] {
        var sums = lists.map { _ in Tensor(shape: x.shape, repeating: 0) }
        // out_counts starts at 1e-37 and gains the mult (1 here) of each entry, in float32.
        var counts = lists.map { _ in Float(1e-37) }
        var toRun = lists.enumerated().flatMap { i, list in list.map { CondRun(entry: $0, target: i) } }
        while let first = toRun.first {
            // ComfyUI collects the entries that concatenate with the first, then runs them in
            // reverse list order (so uncond before cond: expected/unet.json `batch_order`).
            let batchIndices = toRun.indices.filter { $0 == 0 || toRun[$0].entry.canConcat(first.entry) }.reversed()
            let runs = batchIndices.map { toRun[$0] }
            for i in batchIndices { toRun.remove(at: i) }
            let outputs = try apply(x, sigma: sigma, runs.map(\.entry))
            for (run, output) in zip(runs, outputs) {
                sums[run.target] += output
                counts[run.target] += 1
            }
        }
        return zip(sums, counts).map { sum, count in count == 1 ? sum : sum / count }
    }

    /// `BaseModel.apply_model` on one batch: the latent repeated per entry, each entry's inputs
    /// repeated to the latent's batch size and concatenated; returns each entry's denoised prediction.
    private func apply(_ x: Tensor, sigma: Float, _ entries: [ModelConditioning]) throws -> [Tensor] {
        let b = x.shape[0], chunks = entries.count
        let input = chunks == 1 ? x : concat(Array(repeating: x, count: chunks), axis: 0)     // [chunks*B, C, h, w]
        let timestep = model.modelSampling.timestep(sigma)
        let output = try model.predict(calculateInput(input, sigma: sigma),
                                       timesteps: Tensor(shape: [chunks * b], repeating: timestep),
                                       conditioning: ModelConditioning.batched(entries, batch: b))
        guard output.shape == input.shape else {
            throw SamplingError.shapeMismatch(latent: input.shape, denoised: output.shape)
        }
        // calculate_denoised (EPS and CONST alike): x - model_output * sigma.
        let denoised = input - output * sigma
        return chunks == 1 ? [denoised] : chunk(denoised, parts: chunks, axis: 0)
    }

    /// `model_sampling.calculate_input`: EPS divides by sqrt(sigma^2 + 1) (float32, as the 0-dim
    /// sigma tensor computes it); CONST (flow) models take x as it is.
    private func calculateInput(_ x: Tensor, sigma: Float) -> Tensor {
        switch model.parametrization {
        case .eps: return x / (sigma * sigma + 1).squareRoot()
        case .const: return x
        }
    }
}

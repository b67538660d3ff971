// Matches ComfyUI 0.8.0 comfy/samplers.py _calc_cond_batch (no areas, masks, hooks or ControlNets:
// every entry has strength 1 over the whole latent), comfy/conds.py CONDCrossAttn.can_concat/concat
// and CONDRegular, and comfy/model_base.py BaseModel._apply_model.
import Sampling
import TensorCore

/// One conditioning entry to evaluate, and which prediction it feeds (0 = cond, 1 = uncond).
struct CondRun {
    let entry: ConditioningValue.Entry
    let target: Int
}

/// The model evaluations of one sampler call: every entry of the positive (and negative) list,
/// batched as ComfyUI batches them, each prediction the average of its entries' denoised outputs.
struct CondBatch {
    let model: any DiffusionModel

    /// `calc_cond_batch(model, [cond, uncond], x, sigma)`: denoised predictions per list, in order.
    /// An empty (or skipped) list gives zeros, as ComfyUI's `out_conds / out_counts` does.
    func predictions(_ x: Tensor, sigma: Float, lists: [[ConditioningValue.Entry]]) throws -> [Tensor] {
        var sums = lists.map { _ in Tensor(shape: x.shape, repeating: 0) }
        // out_counts starts at 1e-37 and gains the mult (1 here) of each entry, in float32.
        var counts = lists.map { _ in Float(1e-37) }
        var toRun = lists.enumerated().flatMap { i, list in list.map { CondRun(entry: $0, target: i) } }
        while let first = toRun.first {
            // ComfyUI collects the entries that concatenate with the first, then runs them in
            // reverse list order (so uncond before cond: expected/unet.json `batch_order`).
            let batchIndices = toRun.indices.filter { $0 == 0 || Self.canConcat(toRun[$0].entry, first.entry) }.reversed()
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

    /// `BaseModel.apply_model` on one batch: the latent repeated per entry, each entry's tensors
    /// repeated to the latent's batch size; returns each entry's denoised prediction.
    private func apply(_ x: Tensor, sigma: Float, _ entries: [ConditioningValue.Entry]) throws -> [Tensor] {
        let b = x.shape[0], chunks = entries.count
        let input = chunks == 1 ? x : concat(Array(repeating: x, count: chunks), axis: 0)     // [chunks*B, C, h, w]
        let context = Self.crossAttention(entries.map { Self.repeatToBatch($0.cond, b) })
        let pooled = entries.allSatisfy { $0.pooled != nil }
            ? concat(entries.compactMap { $0.pooled.map { Self.repeatToBatch($0, b) } }, axis: 0) : nil
        let guidance = entries.allSatisfy { $0.guidance != nil }
            ? Tensor(shape: [chunks * b], scalars: entries.flatMap { Array(repeating: Float($0.guidance ?? 0), count: b) })
            : nil
        let timestep = model.modelSampling.timestep(sigma)
        let output = try model.predict(calculateInput(input, sigma: sigma),
                                       timesteps: Tensor(shape: [chunks * b], repeating: timestep),
                                       context: context, pooled: pooled, guidance: guidance)
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

    /// `can_concat_cond` for entries without areas or ControlNets: cross-attention widths and
    /// token counts compatible (the longer a multiple of at most 4 of the LCM), and the same
    /// other model inputs (pooled output shape, guidance present or not).
    static func canConcat(_ a: ConditioningValue.Entry, _ b: ConditioningValue.Entry) -> Bool {
        let s1 = a.cond.shape, s2 = b.cond.shape
        guard s1.count == 3, s2.count == 3, s1[0] == s2[0], s1[2] == s2[2] else { return false }
        if s1[1] != s2[1], lcm(s1[1], s2[1]) / min(s1[1], s2[1]) > 4 { return false }
        guard a.pooled?.shape == b.pooled?.shape, (a.guidance == nil) == (b.guidance == nil) else { return false }
        return true
    }

    /// `CONDCrossAttn.concat`: token counts brought to their LCM by repeating each context
    /// (tiling: "padding with repeat doesn't change result"), then concatenated along the batch.
    static func crossAttention(_ conds: [Tensor]) -> Tensor {
        let length = conds.map { $0.shape[1] }.reduce(conds[0].shape[1], lcm)
        let tiled = conds.map { c in c.shape[1] == length ? c : concat(Array(repeating: c, count: length / c.shape[1]), axis: 1) }
        return tiled.count == 1 ? tiled[0] : concat(tiled, axis: 0)
    }

    /// comfy/utils.py `repeat_to_batch_size` along dim 0: truncated when larger, tiled when smaller.
    static func repeatToBatch(_ t: Tensor, _ batch: Int) -> Tensor {
        let n = t.shape[0]
        if n == batch { return t }
        if n > batch { return t.batch(0..<batch) }
        let tiled = concat(Array(repeating: t, count: (batch + n - 1) / n), axis: 0)
        return tiled.shape[0] == batch ? tiled : tiled.batch(0..<batch)
    }

    private static func lcm(_ a: Int, _ b: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        return a / gcd(a, b) * b
    }
}

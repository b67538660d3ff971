// Matches ComfyUI 0.8.0 comfy/sd1_clip.py ClipTokenWeightEncoder.encode_token_weights: how
// CLIPTextEncode turns weighted token windows into conditioning and a pooled output.
import TensorCore

/// CLIPTextEncode's result: `cond` [1, 77*windows, width] and `pooled` [1, width].
public struct CLIPConditioning {
    public let cond: Tensor
    public let pooled: Tensor
}

extension CLIPTextEncoder {
    /// Encodes every window (one batch), mixes weighted tokens with the empty sequence's vector at
    /// the same position, `(z - e) * w + e`, and concatenates the windows. The pooled output is the
    /// first window's, unweighted. `stopAtClipLayer` is CLIPSetLastLayer's value (nil: last layer).
    public func encode(_ windows: [TokenWindow], stopAtClipLayer: Int? = nil) throws -> CLIPConditioning {
        for w in windows where w.items.count != w.weights.count {
            throw CLIPInputError.weightsMismatch(tokens: w.items.count, weights: w.weights.count)
        }
        let weighted = windows.contains { $0.hasWeights }
        var batch = windows
        if weighted || batch.isEmpty {
            batch.append(emptyWindow(length: windows.map(\.items.count).max() ?? config.positions))
        }
        let layer = hiddenLayer(stopAtClipLayer: stopAtClipLayer)
        let out = try self(batch, hiddenLayer: layer)
        let z = layer == nil ? out.last : (out.hidden ?? out.last)    // [B, N, width]
        let pooled = out.pooled.batch(0)                               // [1, width]
        guard !windows.isEmpty else { return CLIPConditioning(cond: z.batch(batch.count - 1), pooled: pooled) }
        let parts = windows.indices.map { k in
            weighted ? Self.mix(z.batch(k), empty: z.batch(batch.count - 1), weights: windows[k].weights)
                     : z.batch(k)
        }
        return CLIPConditioning(cond: concat(parts, axis: 1), pooled: pooled)
    }

    /// CLIPTextEncode on a tokenized prompt (`CLIPTokenizer.tokenizeWithWeights`).
    public func encode(_ prompt: TokenizedPrompt, stopAtClipLayer: Int? = nil) throws -> CLIPConditioning {
        try encode(prompt.windows, stopAtClipLayer: stopAtClipLayer)
    }

    /// [start, end, pad, pad, ...] (sd1_clip.py gen_empty_tokens; SD1 pads with the end token).
    func emptyWindow(length: Int) -> TokenWindow {
        let ids = ([config.startToken, config.endToken] + Array(repeating: config.endToken, count: max(0, length - 2)))
            .prefix(length)
        return TokenWindow(items: ids.map { .token($0) }, weights: Array(repeating: 1, count: ids.count),
                           wordIDs: Array(repeating: 0, count: ids.count))
    }

    /// Position j becomes (z[j] - e[j]) * w[j] + e[j] where w[j] != 1; in float32 like torch.
    static func mix(_ z: Tensor, empty e: Tensor, weights: [Double]) -> Tensor {   // [1, N, C]
        let c = z.shape[2]
        var out = z
        e.withUnsafeBufferPointer { ep in
            out.withUnsafeMutableBufferPointer { zp in
                for (j, w) in weights.enumerated() where w != 1.0 {
                    let wf = Float(w)
                    for i in (j * c)..<((j + 1) * c) { zp[i] = (zp[i] - ep[i]) * wf + ep[i] }
                }
            }
        }
        return out
    }
}

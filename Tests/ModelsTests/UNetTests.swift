import Foundation
import Models
import TensorCore
import Testing
import TestSupport

/// Oracle: ../shared/reference/expected/unet.safetensors: the raw UNet output (eps) of ComfyUI 0.8.0
/// for c_in_x, the timestep and the positive/negative conditioning, run as one batch [uncond, cond]
/// like calc_cond_batch. Tolerance: |a - e| <= 2e-5·max|e| + 1e-5·|e| (measured max |diff| 3.6e-6 on
/// values up to 1.8): fp32 vs fp32 through ~100 layers with other summation orders (ComfyUI uses
/// attention_sub_quad; we use banded attention).
@Suite struct UNetTests {
    @Test(arguments: ["first_step", "mid_step"])
    func epsMatchesComfyUI(_ point: String) throws {
        let unet = try ModelFixtures.checkpoint().unet
        let r = { (key: String) in try Reference.tensor("unet.safetensors", key) }
        let x = try r("\(point)/c_in_x"), t = try r("\(point)/timestep")
        let context = concat([try r("negative/cond"), try r("positive/cond")], axis: 0)   // [2, 77, 768]
        let eps = try unet(concat([x, x], axis: 0), timesteps: concat([t, t], axis: 0), context: context)
        for (i, name) in ["uncond", "cond"].enumerated() {
            let expected = try r("\(point)/base/\(name)/eps")
            let (d, s) = maxAbsDiff(eps.batch(i), expected)
            print("unet \(point) \(name): eps max|diff| \(d) (max|e| \(s))")
            #expect(closeness(eps.batch(i), expected, relative: 1e-5, absolute: 2e-5 * s) == nil, "\(point) \(name)")
        }
    }

    /// A latent whose sides are not multiples of 8 (a 72x56 px image gives 9x7): the downsampled
    /// levels round up and the upsampled ones are cut back to the skip sizes (ComfyUI's output_shape).
    /// Oracle: ComfyUI returns eps of the input's shape; batch items are independent. A [1, 77, 768]
    /// context serves the whole batch.
    @Test func oddLatentKeepsItsShapeAndBatchItemsAreIndependent() throws {
        let unet = try ModelFixtures.checkpoint().unet
        let cond = try Reference.tensor("unet.safetensors", "positive/cond")
        var x = Tensor(shape: [2, 4, 9, 7], repeating: 0)
        x.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = Float(i % 13) / 13 - 0.5 } }
        let eps = try unet(x, timesteps: Tensor(shape: [2], scalars: [500, 500]), context: cond)
        #expect(eps.shape == [2, 4, 9, 7])
        let single = try unet(x.batch(1), timesteps: Tensor(shape: [1], scalars: [500]), context: cond)
        // Same tolerance as the parity test: batching changes only the GEMM blocking (2e-6 measured).
        #expect(closeness(eps.batch(1), single, relative: 1e-5, absolute: 2e-5) == nil)
    }

    @Test func latentWithWrongChannelsIsAnError() throws {
        let unet = try ModelFixtures.checkpoint().unet
        #expect(throws: UNetInputError.latent([1, 3, 8, 8], channels: 4)) {
            try unet(Tensor.zeros([1, 3, 8, 8]), timesteps: Tensor.zeros([1]), context: Tensor.zeros([1, 77, 768]))
        }
    }
}

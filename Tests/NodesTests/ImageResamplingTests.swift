import Execution
import Foundation
@testable import Nodes
import Testing
import TensorCore

/// common_upscale and the nodes around it. Oracles: values computed by hand from PyTorch's CPU
/// interpolate formulas (align_corners=False: source = scale·(dst + 0.5) − 0.5; bicubic A = −0.75;
/// area = adaptive average pooling), from ComfyUI's `bislerp` and Pillow's Resample.c, and
/// ComfyUI 0.8.0 nodes.py for the size rules. Tolerance 1e-6 (float32 rounding of the weights).
@Suite struct ImageResamplingTests {
    static func row(_ values: [Float]) -> Tensor { Tensor(shape: [1, 1, values.count], scalars: values) }

    static func expectNear(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6, _ note: String = "") {
        #expect(a.count == b.count, "\(note)")
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= tolerance, "\(note): \(a) vs \(b)") }
    }

    @Test func nearestExact() {
        // 2 -> 3: scale 2/3, floor((o + 0.5)·scale) = 0, 1, 1.  4 -> 2: scale 2: 1, 3.
        #expect(Interpolation.nearestExact.resize(Self.row([5, 7]), height: 1, width: 3).scalars == [5, 7, 7])
        #expect(Interpolation.nearestExact.resize(Self.row([1, 2, 3, 4]), height: 1, width: 2).scalars == [2, 4])
    }

    @Test func bilinear() {
        // [0, 4] -> 4: sources -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper index clamped).
        Self.expectNear(Interpolation.bilinear.resize(Self.row([0, 4]), height: 1, width: 4).scalars, [0, 1, 3, 4])
        // 2x2 -> 3x3 centre = mean of the four.
        let grid = Tensor(shape: [1, 2, 2], scalars: [0, 2, 4, 6])
        Self.expectNear([Interpolation.bilinear.resize(grid, height: 3, width: 3).scalars[4]], [3])
    }

    @Test func bicubic() {
        // [0, 4] -> 4. o = 0: source -0.25, floor -1, t = 0.75, taps clamp to [0, 0, 0, 1]: 4·w3(1.25)
        // = -0.421875. o = 1: t = 0.25, taps [0, 0, 1, 1]: 4·(w(0.75) + w(1.75)) = 0.90625. Symmetric.
        Self.expectNear(Interpolation.bicubic.resize(Self.row([0, 4]), height: 1, width: 4).scalars,
                        [-0.421875, 0.90625, 3.09375, 4.421875])
        Self.expectNear(Interpolation.cubicWeights(0.5), [-0.09375, 0.59375, 0.59375, -0.09375])
    }

    @Test func area() {
        // 3 -> 2: windows [0, 2) and [1, 3).  4 -> 2 in both directions: 2x2 means.
        Self.expectNear(Interpolation.area.resize(Self.row([1, 2, 6]), height: 1, width: 2).scalars, [1.5, 4])
        let grid = Tensor(shape: [1, 2, 4], scalars: [1, 3, 5, 7, 2, 4, 6, 8])
        Self.expectNear(Interpolation.area.resize(grid, height: 1, width: 2).scalars, [2.5, 6.5])
    }

    /// Channel vectors (1, 0) and (0, 1), width 2 -> 4: ratios 0, 0.25, 0.75 and the clamped end;
    /// slerp at 0.25 of a right angle = (cos 22.5°, sin 22.5°), norms stay 1.
    @Test func bislerp() {
        let x = Tensor(shape: [1, 2, 1, 2], scalars: [1, 0, 0, 1])    // channel 0: [1, 0], channel 1: [0, 1]
        let out = Bislerp.resize(x, height: 1, width: 4)
        let (c, s) = (Float(cos(Double.pi / 8)), Float(sin(Double.pi / 8)))
        Self.expectNear(out.scalars, [1, c, s, 0, 0, s, c, 1])
        #expect(out.shape == [1, 2, 1, 4])
        // Opposite vectors are blended linearly; equal directions return the first.
        var r = [Float](repeating: 0, count: 2)
        Bislerp.slerp([1, 0], [-1, 0], 0.25, into: &r)
        Self.expectNear(r, [0.5, 0])
        Bislerp.slerp([1, 1], [2, 2], 0.5, into: &r)
        Self.expectNear(r, [1, 1])
    }

    /// Pillow: same size is the 8-bit image unchanged; a constant stays constant whatever the
    /// size; 2x upscale of a step follows lanczos-3 weights (checked against a double-precision
    /// evaluation of the same weights, within one 8-bit level).
    @Test func lanczos() {
        let same = Lanczos.resize(Self.row([0.5, 0.25, 1]), height: 1, width: 3)
        #expect(same.scalars == [127, 63, 255].map { Float($0) / 255 })
        let flat = Tensor(shape: [1, 3, 5], repeating: 200 / 255)
        #expect(Lanczos.resize(flat, height: 7, width: 2).scalars.allSatisfy { $0 == Float(200) / 255 })
        let step: [Float] = [0, 0, 0, 1, 1, 1]
        let out = Lanczos.resize(Self.row(step), height: 1, width: 12).scalars.map { $0 * 255 }
        for o in 0..<12 {
            let center = (Double(o) + 0.5) * 0.5
            var num = 0.0, den = 0.0
            for i in 0..<6 {
                let w = Lanczos.lanczos3(Double(i) - center + 0.5)
                num += w * Double(step[i]) * 255
                den += w
            }
            let expected = min(max(num / den, 0), 255)
            #expect(abs(Double(out[o]) - expected) <= 1, "output \(o): \(out[o]) vs \(expected)")
        }
    }

    /// ComfyUI: centre crop to the target aspect first (x = round((4 - 4·0.5)/2) = 1).
    @Test func centerCropThenResize() throws {
        let x = Tensor(shape: [1, 1, 2, 4], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
        let out = try CommonUpscale.resize(x, width: 2, height: 2, method: .nearestExact, crop: .center)
        #expect(out.scalars == [1, 2, 5, 6])
    }

    static func latent(_ h: Int, _ w: Int) -> LatentValue {
        LatentValue(samples: Tensor(shape: [1, 4, h, w], scalars: (0..<(4 * h * w)).map(Float.init)), batchIndex: [3])
    }

    static func upscale(_ l: LatentValue, _ w: Int, _ h: Int) throws -> LatentValue {
        let out = try ImageSaveTests.run(LatentUpscale.self, ["samples": .linked(l), "upscale_method": .constant("bilinear"),
                                                              "width": .constant(.int(Int64(w))), "height": .constant(.int(Int64(h))),
                                                              "crop": .constant("disabled")], try ImageSaveTests.folders())
        return try #require(out.values.first as? LatentValue)
    }

    /// nodes.py LatentUpscale: both 0 passthrough; one 0 keeps aspect; each side at least 64 px.
    @Test func latentUpscaleSizeRules() throws {
        let l = Self.latent(8, 12)     // a 64x96 image
        #expect(try Self.upscale(l, 0, 0).samples.shape == [1, 4, 8, 12])
        #expect(try Self.upscale(l, 0, 128).samples.shape == [1, 4, 16, 24])   // w = round(12·128/8) = 192
        #expect(try Self.upscale(l, 16, 16).samples.shape == [1, 4, 8, 8])     // clamped to 64
        #expect(try Self.upscale(l, 100, 0).samples.shape == [1, 4, 8, 12])    // h = round(8·100/12) = 67 -> 8
        #expect(try Self.upscale(l, 0, 0).batchIndex == [3] && Self.upscale(l, 128, 128).batchIndex == [3])
    }

    /// LatentUpscaleBy: round(dim·scale), halves to even (5·0.5 = 2.5 -> 2); size 0 is an error.
    @Test func latentUpscaleBySizes() throws {
        let env = try ImageSaveTests.folders()
        func by(_ l: LatentValue, _ s: Double) throws -> [Int] {
            let out = try ImageSaveTests.run(LatentUpscaleBy.self, ["samples": .linked(l), "upscale_method": .constant("bislerp"),
                                                                    "scale_by": .constant(.double(s))], env)
            return try #require(out.values.first as? LatentValue).samples.shape
        }
        #expect(try by(Self.latent(8, 12), 1.5) == [1, 4, 12, 18])
        #expect(try by(Self.latent(5, 7), 0.5) == [1, 4, 2, 4])
        #expect(throws: UpscaleError.self) { try by(Self.latent(8, 8), 0.01) }
        #expect(throws: UpscaleError.self) { try by(Self.latent(8, 8), .nan) }
        #expect(throws: UpscaleError.self) { try by(LatentValue(samples: Tensor(shape: [1, 4, 0, 8])), 2) }
    }

    @Test func imageScaleKeepsChannelsLastAndAspect() throws {
        let env = try ImageSaveTests.folders()
        let image = ImageValue(pixels: Tensor(shape: [1, 2, 4, 3], scalars: (0..<24).map { Float($0) / 24 }))
        let out = try ImageSaveTests.run(ImageScale.self, ["image": .linked(image), "upscale_method": .constant("nearest-exact"),
                                                           "width": .constant(8), "height": .constant(0),
                                                           "crop": .constant("disabled")], env)
        let scaled = try #require(out.values.first as? ImageValue).pixels
        #expect(scaled.shape == [1, 4, 8, 3])
        // nearest 2x: output (y, x) takes input (y/2, x/2), channels untouched.
        #expect(scaled[0, 3, 5, 2] == image.pixels[0, 1, 2, 2])
    }
}

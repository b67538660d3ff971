// Spatial crop of an NCHW map, used where torch resamples to an explicit size.
import TensorCore

/// The top-left `height` x `width` window of x [B, C, H, W] (height <= H, width <= W).
func cropTopLeft(_ x: Tensor, height: Int, width: Int) -> Tensor {
    cropNCHW(x, top: 0, left: 0, height: height, width: width)
}

/// The window of x [B, C, H, W] starting at (top, left), as a contiguous copy.
func cropNCHW(_ x: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(top >= 0 && left >= 0 && top + height <= h && left + width <= w,
                 "crop \(top),\(left) \(height)x\(width) outside \(x.shape)")
    var out = Tensor(shape: [b, c, height, width], uninitialized: ())
    x.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for plane in 0..<(b * c) {
                for y in 0..<height {
                    let s = plane * h * w + (top + y) * w + left, d = (plane * height + y) * width
                    for i in 0..<width { dst[d + i] = src[s + i] }
                }
            }
        }
    }
    return out
}

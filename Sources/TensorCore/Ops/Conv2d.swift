import TensorKernels

/// 2-D convolution (F.conv2d, NCHW, groups 1). 3x3 stride-1 convolutions on rows of 32+ pixels run
/// a direct AVX-512 kernel where the CPU has one (measured 5-30% faster than im2col + sgemm on SD's
/// UNet and VAE shapes, and no unfold buffer); otherwise as GEMM: 1x1 convolutions multiply
/// directly; other kernels unfold (im2col) a band of output rows at a time into a buffer of bounded size, so the
/// VAE's 128-channel 512x512 3x3 convolution needs 16 MB, not the 1.2 GB of a full unfold.

/// Largest unfold buffer, in floats (16 MB: wide enough that sgemm's packing of the weights is
/// amortized, small enough to stay in the last-level cache; measured best of 4, 16 and 64 MB).
let im2colBudget = 1 << 22

/// x [B, Cin, H, W], weight [Cout, Cin, kh, kw] (any stored element type), bias [Cout] ->
/// [B, Cout, Hout, Wout] with Hout = (H + 2 padding - kh) / stride + 1 (likewise W).
public func conv2d(_ x: Tensor, weight: some WeightMatrix, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, direct: true)
}

/// `direct: false` keeps 3x3 convolutions on the im2col path (tests and benchmarks compare both).
/// A weight not stored as Float32 is widened whole for the direct kernel (one layer at a time) and
/// when small; a large one on the GEMM paths in panels of output channels.
public func conv2d(_ x: Tensor, weight: some WeightMatrix, bias: Tensor?, stride: Int, padding: Int,
                   direct: Bool) -> Tensor {
    let wShape = weight.shape
    precondition(x.rank == 4 && wShape.count == 4 && x.shape[1] == wShape[1],
                 "conv2d: input \(x.shape) does not fit weight \(wShape)")
    precondition(stride >= 1 && padding >= 0, "conv2d: stride \(stride), padding \(padding)")
    let (h, w) = (x.shape[2], x.shape[3])
    let (cout, kh, kw) = (wShape[0], wShape[2], wShape[3])
    precondition(bias.map { $0.count == cout } ?? true, "conv2d: bias size != \(cout)")
    let ho = (h + 2 * padding - kh) / stride + 1, wo = (w + 2 * padding - kw) / stride + 1
    precondition(ho > 0 && wo > 0, "conv2d: kernel \(kh)x\(kw) larger than padded input \(x.shape)")
    var out = Tensor(shape: [x.shape[0], cout, ho, wo], uninitialized: ())
    weight.withElements { we in
        if direct && kh == 3 && kw == 3 && stride == 1 && wo >= 32 && String(cString: tk_isa()) == "avx512" {
            let done = WeightRows.withAll(we) { wp in
                directConv3x3(x, weight: wp, bias: bias, padding: padding, into: &out)
            }
            if done { return }
        }
        let g = ConvGeometry(cin: x.shape[1], h: h, w: w, kh: kh, kw: kw, stride: stride, padding: padding, ho: ho, wo: wo)
        if WeightRows.isPanelled(we) {
            g.gemm(x, rows: .panels(we), cout: cout, bias: bias, into: &out)
        } else {
            WeightRows.withAll(we) { wp in g.gemm(x, rows: .all(wp), cout: cout, bias: bias, into: &out) }
        }
    }
    return out
}

/// The weight operand of a convolution's GEMM: all rows as Float32, or panels of rows to widen.
enum ConvWeight {
    case all(UnsafePointer<Float>)
    case panels(WeightElements)
}

extension ConvGeometry {
    /// The convolution as GEMM: 1x1 convolutions multiply the image directly; other kernels unfold
    /// (im2col) a band of output rows at a time into a buffer of bounded size.
    func gemm(_ x: Tensor, rows weight: ConvWeight, cout: Int, bias: Tensor?, into out: inout Tensor) {
        let batch = x.shape[0]
        let k = cin * kh * kw, plane = ho * wo
        let direct = kh == 1 && kw == 1 && stride == 1 && padding == 0
        let bandRows = direct ? ho : max(1, min(ho, im2colBudget / max(k * wo, 1)))
        var col = [Float](repeating: 0, count: direct ? 0 : k * bandRows * wo)
        let biasValues = bias?.scalars
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                col.withUnsafeMutableBufferPointer { cp in
                    for b in 0..<batch {
                        let src = xp.baseAddress! + b * cin * h * w, dst = op.baseAddress! + b * cout * plane
                        for r0 in Swift.stride(from: 0, to: ho, by: bandRows) {
                            let rows = min(bandRows, ho - r0), n = rows * wo
                            let c = dst + r0 * wo
                            if let biasValues {
                                for co in 0..<cout { (c + co * plane).update(repeating: biasValues[co], count: n) }
                            }
                            let bmat: UnsafePointer<Float>
                            if direct {
                                bmat = src
                            } else {
                                unfold(src, rows: r0..<(r0 + rows), into: cp.baseAddress!)
                                bmat = UnsafePointer(cp.baseAddress!)
                            }
                            let beta: Float = bias == nil ? 0 : 1
                            switch weight {
                            case .all(let wp):
                                parallelSgemm(m: cout, n: n, k: k, a: wp, lda: k, b: bmat, ldb: n, beta: beta, c: c, ldc: plane)
                            case .panels(let we):
                                WeightRows.forEachPanel(we, rows: cout, rowLength: k) { panel, wp in
                                    sgemm(m: panel.count, n: n, k: k, a: wp, lda: k, b: bmat, ldb: n, beta: beta,
                                          c: c + panel.lowerBound * plane, ldc: plane)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// 3x3 stride-1 convolution by TensorKernels' direct AVX-512 kernel, parallel over output rows;
/// false (out untouched) when the CPU has no such kernel. Rows narrower than 32 pixels would waste
/// most of its 32-pixel tiles, so callers keep those on the im2col path.
func directConv3x3(_ x: Tensor, weight: UnsafePointer<Float>, bias: Tensor?, padding: Int, into out: inout Tensor) -> Bool {
    guard String(cString: tk_isa()) == "avx512" else { return false }
    let (batch, cin, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, ho, wo) = (out.shape[1], out.shape[2], out.shape[3])
    let biasValues = bias ?? Tensor(shape: [cout], repeating: 0)
    // One flag per part, at its first row: the parallel parts never write the same memory.
    var failed = [Bool](repeating: false, count: batch * ho)
    x.withUnsafeBufferPointer { xp in biasValues.withUnsafeBufferPointer { bp in
    out.withUnsafeMutableBufferPointer { op in failed.withUnsafeMutableBufferPointer { fp in
        Parallel.forEach(batch * ho) { rows in
            var r = rows.lowerBound
            while r < rows.upperBound {              // split the range at image boundaries
                let b = r / ho, y0 = r % ho, y1 = min(ho, y0 + rows.upperBound - r)
                if tk_conv3x3(xp.baseAddress! + b * cin * h * w, cin, h, w, padding, weight, cout,
                              bp.baseAddress!, op.baseAddress! + b * cout * ho * wo, y0, y1) == 0 { fp[rows.lowerBound] = true }
                r += y1 - y0
            }
        }
    }}}}
    return !failed.contains(true)
}

/// Sizes of one convolution, and the im2col unfold of one image.
struct ConvGeometry {
    let cin, h, w, kh, kw, stride, padding, ho, wo: Int

    /// Writes col[(ci*kh + ky)*kw + kx][(r - rows.lowerBound)*wo + c] = x[ci, r*stride - padding + ky,
    /// c*stride - padding + kx] (0 outside the image) for output rows `rows`.
    func unfold(_ x: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>) {
        let n = rows.count * wo
        Parallel.forEach(cin * kh * kw, grain: max(1, 4096 / max(n, 1))) { range in
            for row in range {
                let kx = row % kw, ky = (row / kw) % kh, ci = row / (kw * kh)
                let plane = x + ci * h * w
                // Output columns whose input column lies inside the image.
                let cLo = max(0, (padding - kx + stride - 1) / stride)
                let last = w - 1 + padding - kx
                let cHi = last < 0 ? 0 : min(wo, last / stride + 1)
                for (t, r) in rows.enumerated() {
                    let dst = col + row * n + t * wo
                    let iy = r * stride - padding + ky
                    guard iy >= 0 && iy < h && cLo < cHi else { dst.update(repeating: 0, count: wo); continue }
                    let line = plane + iy * w
                    dst.update(repeating: 0, count: cLo)
                    if stride == 1 {
                        (dst + cLo).update(from: line + cLo - padding + kx, count: cHi - cLo)
                    } else {
                        for c in cLo..<cHi { dst[c] = line[c * stride - padding + kx] }
                    }
                    (dst + cHi).update(repeating: 0, count: wo - cHi)
                }
            }
        }
    }
}

import TensorCore

/// Matches ComfyUI 0.8.0 comfy/utils.py `common_upscale` for `[N, C, H, W]`: with crop "center"
/// the input is first cut to the target aspect (`x`/`y` margins by Python's `round`, halves to
/// even), then resized by `bislerp`, `lanczos` or torch `interpolate`.
enum CommonUpscale {
    enum Method: String {
        case nearestExact = "nearest-exact", bilinear, area, bicubic, bislerp, lanczos
    }

    static func resize(_ samples: Tensor, width: Int, height: Int, method: Method, crop: CropMode) throws -> Tensor {
        guard samples.rank == 4, samples.count > 0 else { throw UpscaleError.shape(samples.shape) }
        guard width > 0, height > 0 else { throw UpscaleError.size(width: width, height: height) }
        let s = crop == .center ? centerCrop(samples, aspect: Double(width) / Double(height)) : samples
        let (n, c, h, w) = (s.shape[0], s.shape[1], s.shape[2], s.shape[3])
        let planes = s.reshaped([n * c, h, w])
        let out: Tensor
        switch method {
        case .bislerp: return Bislerp.resize(s, height: height, width: width)
        case .lanczos: out = Lanczos.resize(planes, height: height, width: width)
        case .nearestExact: out = Interpolation.nearestExact.resize(planes, height: height, width: width)
        case .bilinear: out = Interpolation.bilinear.resize(planes, height: height, width: width)
        case .bicubic: out = Interpolation.bicubic.resize(planes, height: height, width: width)
        case .area: out = Interpolation.area.resize(planes, height: height, width: width)
        }
        return out.reshaped([n, c, height, width])
    }

    static func centerCrop(_ x: Tensor, aspect newAspect: Double) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oldAspect = Double(w) / Double(h)
        var (cx, cy) = (0, 0)
        if oldAspect > newAspect {
            cx = Int(((Double(w) - Double(w) * (newAspect / oldAspect)) / 2).rounded(.toNearestOrEven))
        } else if oldAspect < newAspect {
            cy = Int(((Double(h) - Double(h) * (oldAspect / newAspect)) / 2).rounded(.toNearestOrEven))
        }
        if cx == 0 && cy == 0 { return x }
        let (nh, nw) = (h - 2 * cy, w - 2 * cx)
        var out = Tensor(shape: [n, c, nh, nw], uninitialized: ())
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for p in 0..<(n * c) {
                    for y in 0..<nh {
                        for xx in 0..<nw { dst[(p * nh + y) * nw + xx] = src[(p * h + y + cy) * w + xx + cx] }
                    }
                }
            }
        }
        return out
    }

    /// Python's `round(x)` for the sizes the nodes compute (halves to even).
    static func pythonRound(_ x: Double) -> Int { Int(x.rounded(.toNearestOrEven)) }
}

enum UpscaleError: Error, CustomStringConvertible {
    case shape([Int])
    case size(width: Int, height: Int)
    case method(String)
    case scale(Double)

    var description: String {
        switch self {
        case .shape(let s): return "cannot resize a tensor of shape \(s): expected [N, C, H, W] with values"
        case let .size(w, h): return "cannot resize to \(w)x\(h): both sides must be at least 1"
        case .method(let m): return "unknown upscale method '\(m)'"
        case .scale(let s): return "cannot scale by \(s)"
        }
    }
}

extension CommonUpscale.Method {
    /// The method a node's combo names (the node enums share these raw values).
    static func from(_ name: String) throws -> Self {
        guard let m = Self(rawValue: name) else { throw UpscaleError.method(name) }
        return m
    }
}

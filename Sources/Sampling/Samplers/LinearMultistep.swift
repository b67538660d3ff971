// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_lms and linear_multistep_coeff
// (order 4), including how its coefficients are computed: scipy.integrate.quad of a Lagrange basis
// polynomial that NumPy 2 evaluates in float32 (the sigmas are a float32 array and Python floats
// are "weak" scalars under NEP 50).

enum LinearMultistep {
    static func lms(_ x: Latent, _ run: SamplerRun, order: Int = 4) throws -> Latent {
        var x = x
        var ds: [Latent] = []
        for i in 0..<run.steps {
            try run.begin(i)
            let sigma = run.sigmas[i]
            let denoised = try run.model(x, sigma)
            ds.append(derivative(x, sigma, denoised))
            if ds.count > order { ds.removeFirst() }
            run.report(i, x: x, denoised: denoised)
            if run.sigmas[i + 1] == 0 {
                x = denoised
            } else {
                let currentOrder = min(i + 1, order)
                let coefficients = (0..<currentOrder).map { coefficient(order: currentOrder, run.sigmas, i, $0) }
                // Python's sum() starts at 0 and adds coeff * d, newest derivative first.
                var total = Latent.zeros(like: x)
                for (c, d) in zip(coefficients, ds.reversed()) { total = total + Float(c) * d }
                x = x + total
            }
        }
        return x
    }

    /// ∫ from t[i] to t[i+1] of the Lagrange basis polynomial of node t[i-j] over t[i], ..., t[i-order+1].
    static func coefficient(order: Int, _ t: [Float], _ i: Int, _ j: Int) -> Double {
        func basis(_ tau: Double) -> Double {
            var product: Float = 1
            for k in 0..<order where k != j {
                product = product * ((Float(tau) - t[i - k]) / (t[i - j] - t[i - k]))
            }
            return Double(product)
        }
        return GaussKronrod21.integrate(basis, from: Double(t[i]), to: Double(t[i + 1]))
    }
}

/// QUADPACK's 21-point Gauss-Kronrod rule (dqk21), the first and, for these cubic integrands,
/// only pass of scipy.integrate.quad (its error estimate is far below epsrel = 1e-4).
enum GaussKronrod21 {
    static let nodes: [Double] = [
        0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
        0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
        0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
        0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
        0.294392862701460198131126603103866, 0.148874338981631210884826001129720, 0,
    ]
    static let kronrodWeights: [Double] = [
        0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
        0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
        0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
        0.123491976262065851077958109831074, 0.134709217311473325928054001771707,
        0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
        0.149445554002916905664936468389821,
    ]

    static func integrate(_ f: (Double) -> Double, from a: Double, to b: Double) -> Double {
        let center = 0.5 * (a + b), halfLength = 0.5 * (b - a)
        var kronrod = kronrodWeights[10] * f(center)
        // QUADPACK sums the Gauss nodes (odd 0-based indices) first, then the Kronrod-only ones.
        for index in [1, 3, 5, 7, 9] + [0, 2, 4, 6, 8] {
            let offset = halfLength * nodes[index]
            kronrod = kronrod + kronrodWeights[index] * (f(center - offset) + f(center + offset))
        }
        return kronrod * halfLength
    }
}

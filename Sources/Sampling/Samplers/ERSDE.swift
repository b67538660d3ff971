// Matches ComfyUI 0.8.0 comfy/k_diffusion/sampling.py sample_er_sde (VP ER-SDE-Solver-3,
// max_stage 3, the default noise scaler x (e^(x^0.3) + 10), 200 integration points) for eps
// models, with default_noise_sampler (seed + 1). The two 200-term float32 sums are summed
// pairwise here; torch's reduction order differs, so they may differ in the last bits.
import Foundation

enum ERSDE {
    private static func noiseScaler(_ x: Float) -> Float { x * (exp(powf(x, 0.3)) + 10) }

    static func sample(_ x: Latent, _ run: SamplerRun, maxStage: Int = 3) throws -> Latent {
        var noise = try run.ancestralNoise(like: x)
        let points = 200
        // er_lambda = exp(-(-log sigma)): sigma/alpha, rounded through log and exp as in torch.
        let erLambdas = run.sigmas.map { exp(-(-log($0))) }
        var oldDenoised: Latent?, oldDenoisedD: Latent?
        return try run.eachStep(from: x) { step, x in
            let (i, sigma, next, denoised) = (step.index, step.sigma, step.next, step.denoised)
            defer { oldDenoised = denoised }
            let stage = min(maxStage, i + 1)
            if next == 0 { return denoised }
            let lambdaS = erLambdas[i], lambdaT = erLambdas[i + 1]
            let alphaS = sigma / lambdaS, alphaT = next / lambdaT
            let rAlpha = alphaT / alphaS
            let r = noiseScaler(lambdaT) / noiseScaler(lambdaS)
            var x = rAlpha * r * x + alphaT * (1 - r) * denoised
            if stage >= 2, let old = oldDenoised {
                let dt = lambdaT - lambdaS
                let stepSize = -dt / Float(points)
                let positions = (0..<points).map { lambdaT + Float($0) * stepSize }
                let scaled = positions.map(noiseScaler)
                let s = pairwiseSum(scaled.map { 1 / $0 }) * stepSize
                let denoisedD = (denoised - old) / (lambdaS - erLambdas[i - 1])
                x = x + alphaT * (dt + s * noiseScaler(lambdaT)) * denoisedD
                if stage >= 3, let oldD = oldDenoisedD {
                    let su = pairwiseSum(zip(positions, scaled).map { ($0 - lambdaS) / $1 }) * stepSize
                    let denoisedU = (denoisedD - oldD) / ((lambdaS - erLambdas[i - 2]) / 2)
                    x = x + alphaT * ((dt * dt) / 2 + su * noiseScaler(lambdaT)) * denoisedU
                }
                oldDenoisedD = denoisedD
            }
            var spread = (lambdaT * lambdaT - lambdaS * lambdaS * (r * r)).squareRoot()
            if spread.isNaN { spread = 0 }
            return x + alphaT * Latent(noise.noise(sigma: sigma, sigmaNext: next)) * spread
        }
    }

    private static func pairwiseSum(_ v: [Float]) -> Float {
        if v.count <= 8 { return v.reduce(0, +) }
        let half = v.count / 2
        return pairwiseSum(Array(v[..<half])) + pairwiseSum(Array(v[half...]))
    }
}

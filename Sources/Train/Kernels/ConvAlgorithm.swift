/// Which algorithm a convolution layer runs: Winograd F(2x2, 3x3) or im2col + GEMM.
///
/// The choice is a fixed rule on the layer's shape (never a timing taken at run time, so two
/// runs of one model always take the same path and give the same bits). Measured per layer,
/// one thread, im2col vs Winograd forward/backward ms per step, medians of 3 interleaved
/// `train-bench --profile --conv …` runs on a loaded 2-core AMD EPYC Zen 4 (family 25 model 17):
/// - few input channels lose: cifar-cnn conv 32x32x3 1.8/2.2 vs 2.7/2.0, fashion-alexnet
///   28x28x1 3.9/4.3 vs 6.6/5.8, dogs-cats 80x80x1 8.6/9.7 vs 11.2/9.8 (a `tiles x C` by
///   `C x O` product with C ≤ 3 is all transform and no GEMM). C ≥ 32 won everywhere it kept
///   most of its outputs: cifar-cnn 30x30x32 6.9/16.0 vs 5.1/8.9, 15x15x64 4.5/9.9 vs 3.5/6.3;
///   dogs-cats 39x39x32 18.9/42.0 vs 13.1/23.1; fashion-alexnet 14x14x32 10.2/21.9 vs 8.1/13.8.
///   The channel threshold between those, 16, is not measured.
/// - tiny outputs break even: a 3x3 output is 2x2 tiles computing 16 pixels to keep 9
///   (fashion-alexnet 5x5x128 valid 4.5/11.8 vs 4.7/11.6, 3x3x128 same 1.9/5.0 vs 2.3/5.1),
///   while 5x5 outputs (25 of 36 kept) won, 5.3/11.6 vs 4.7/10.1. Winograd saves 2.25x the
///   multiplications of the pixels it computes, so the rule asks that at least 60% of them
///   are kept (2.25 x 0.6 = 1.35x fewer).
/// A second sitting (README, training speed) gave the same verdict on every layer.
enum ConvAlgorithm {
    /// Whether `g` with `filters` outputs runs on Winograd under `choice`.
    static func usesWinograd(_ g: ConvGeometry, filters: Int, choice: ConvAlgorithmChoice) -> Bool {
        guard Winograd.applies(to: g) else { return false }
        switch choice {
        case .im2col: return false
        case .winograd: return true
        case .byShape:
            let t = Winograd.Tiles(g)
            let kept = Double(g.outHeight * g.outWidth) / Double(4 * t.perSample)
            return g.channels >= 16 && filters >= 16 && kept >= 0.6
        }
    }
}

/// Which algorithm a convolution layer runs: Winograd F(2x2, 3x3) or im2col + GEMM.
///
/// The choice is a fixed rule on the layer's shape (never a timing taken at run time, so two
/// runs of one model always take the same path and give the same bits).
enum ConvAlgorithm {
    /// Whether `g` with `filters` outputs runs on Winograd under `choice`.
    static func usesWinograd(_ g: ConvGeometry, filters: Int, choice: ConvAlgorithmChoice) -> Bool {
        guard Winograd.applies(to: g) else { return false }
        switch choice {
        case .im2col: return false
        case .winograd: return true
        case .byShape: return g.channels >= 16 && filters >= 16
        }
    }
}

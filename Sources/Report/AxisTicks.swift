import Foundation

/// Round tick positions for a chart axis: steps of 1, 2 or 5 times a power of ten, spanning
/// the data ("nice numbers", Heckbert, *Graphics Gems* I, 1990).
public struct AxisTicks: Equatable, Sendable {
    /// The axis range, widened to whole steps around the data.
    public var lower: Double
    public var upper: Double
    public var step: Double

    /// Ticks for values in `low...high`, about `target` of them (at least 2).
    ///
    /// - Parameters:
    ///   - integral: only whole-number steps (epochs).
    public init(low: Double, high: Double, target: Int = 5, integral: Bool = false) {
        precondition(low.isFinite && high.isFinite && low <= high, "tick range must be finite and ordered, got \(low)...\(high)")
        var low = low, high = high
        if high - low < 1e-12 {
            // One value: give it room on both sides.
            let pad = max(abs(low) * 0.1, integral ? 1 : 0.1)
            low -= pad; high += pad
        }
        var step = Self.nice((high - low) / Double(max(1, target - 1)))
        if integral { step = max(1, step.rounded()) }
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`.
    public var values: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { lower + Double($0) * step }
    }

    /// Decimals that print every tick exactly at this step (0 for steps ≥ 1).
    public var decimals: Int { max(0, Int((-log10(step)).rounded(.up))) }

    /// A tick value as printed on the axis.
    public func label(_ value: Double) -> String {
        // Adding 0 turns -0.0 into 0.0, so a tick at zero never prints as "-0".
        String(format: "%.\(decimals)f", (value / step).rounded() * step + 0)
    }

    /// The nice number (1, 2, 5 × 10^k) closest above `x`'s scale.
    static func nice(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let exponent = floor(log10(x)), fraction = x / pow(10, exponent)
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return niceFraction * pow(10, exponent)
    }
}

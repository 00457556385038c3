internal import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Elementwise (or, for softmax, per-row) output functions, fused into the output pass of the
/// layer that owns them.
public enum Activation: String, Codable, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, softmax

    /// `y[r, :] = act(y[r, :] + bias)` for `rows` rows of `cols` values: the single pass over a
    /// GEMM's output that adds the bias and applies the activation. `bias` may be nil.
    ///
    /// // y (rows, cols), bias (cols) -> y (rows, cols)
    public func applyForward(_ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                             bias: UnsafePointer<Float>?, workers: Workers) {
        let parts = Workers.parts(count: rows, costPerItem: cols)
        workers.run(parts) { p in
            let r = Workers.range(p, of: parts, count: rows)
            Self.forwardRows(self, y + r.lowerBound &* cols, rows: r.count, cols: cols, bias: bias, isa: workers.isa)
        }
    }

    /// Replaces `dy` by the gradient before the activation, from the activation's output `y`.
    ///
    /// // y (rows, cols), dy (rows, cols) -> dy := dL/dz (rows, cols)
    public func applyBackward(_ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                              workers: Workers) {
        if self == .linear { return }
        let parts = Workers.parts(count: rows, costPerItem: cols)
        workers.run(parts) { p in
            let r = Workers.range(p, of: parts, count: rows)
            let offset = r.lowerBound &* cols
            Self.backwardRows(self, y + offset, dy + offset, rows: r.count, cols: cols, isa: workers.isa)
        }
    }

    /// `isa`: the instruction-set level of the bias and ReLU loops (C, `CKernels`; the same bits
    /// at every level). Sigmoid, tanh and softmax call libm here.
    static func forwardRows(_ act: Activation, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                            bias: UnsafePointer<Float>?, isa: KernelISA) {
        let total = rows &* cols
        if let bias {
            // Bias and ReLU in one pass over the GEMM output (it is read once, not twice):
            // `v = y + bias; y = v > 0 ? v : 0`.
            ck_bias_activation(isa.code, y, rows, cols, bias, act == .relu ? 1 : 0)
            if act == .relu { return }
        }
        switch act {
        case .linear: break
        case .relu:
            ck_relu(isa.code, y, total)   // max(y, 0)
        case .sigmoid:
            for i in 0..<total { y[i] = 1 / (1 + expf(-y[i])) }
        case .tanh:
            for i in 0..<total { y[i] = tanhf(y[i]) }
        case .softmax:
            for r in 0..<rows {
                let row = y + r &* cols
                var peak = -Float.infinity
                for c in 0..<cols { peak = max(peak, row[c]) }
                var sum: Float = 0
                for c in 0..<cols { let e = expf(row[c] - peak); row[c] = e; sum += e }
                let inv = 1 / sum
                for c in 0..<cols { row[c] *= inv }
            }
        }
    }

    static func backwardRows(_ act: Activation, _ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>,
                             rows: Int, cols: Int, isa: KernelISA) {
        let total = rows &* cols
        switch act {
        case .linear: break
        case .relu:
            ck_relu_backward(isa.code, y, dy, total)   // dy = y > 0 ? dy : 0
        case .sigmoid:
            for i in 0..<total { dy[i] = dy[i] * y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<total { dy[i] = dy[i] * (1 - y[i] * y[i]) }
        case .softmax:
            // dz_i = y_i * (dy_i - sum_j dy_j y_j)
            for r in 0..<rows {
                let o = r &* cols
                var dot: Float = 0
                for c in 0..<cols { dot += dy[o &+ c] * y[o &+ c] }
                for c in 0..<cols { dy[o &+ c] = y[o &+ c] * (dy[o &+ c] - dot) }
            }
        }
    }
}

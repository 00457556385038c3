/// Keras kernel regularizers: `l1 * sum|w| + l2 * sum w^2` per regularized tensor, added to the
/// loss; their gradients `l1 * sign(w) + 2 * l2 * w` added to the weight gradients.
public enum Regularization {
    /// The penalty of every trainable regularized tensor of `store`: Keras's `model.losses`,
    /// which `Layer._get_regularization_losses` collects over `trainable_weights` only, so a
    /// frozen layer's regularizer adds nothing (keras/src/layers/layer.py).
    public static func penalty(_ store: ParameterStore) -> Double {
        var total = 0.0
        for t in store.tensors where t.trainable && (t.l1 != 0 || t.l2 != 0) {
            let w = store.values + t.offset
            var l1 = 0.0, l2 = 0.0
            for i in 0..<t.count { l1 += Double(abs(w[i])); l2 += Double(w[i] * w[i]) }
            total += Double(t.l1) * l1 + Double(t.l2) * l2
        }
        return total
    }

    /// Adds the penalty's gradient to `store.gradients` (trainable tensors only).
    static func addGradients(_ store: ParameterStore) {
        for t in store.tensors where t.trainable && (t.l1 != 0 || t.l2 != 0) {
            let w = store.values + t.offset, g = store.gradients + t.offset
            let l1 = t.l1, twoL2 = 2 * t.l2
            for i in 0..<t.count {
                let sign: Float = w[i] > 0 ? 1 : (w[i] < 0 ? -1 : 0)
                g[i] += l1 * sign + twoL2 * w[i]
            }
        }
    }
}

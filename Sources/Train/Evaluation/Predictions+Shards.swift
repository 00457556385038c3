/// Joining the predictions of contiguous shards evaluated apart (one per MPI rank).
extension Predictions {
    /// `parts` one after another, as one pass over their samples in that order would have made
    /// them: rows are copied as they are, and the mean loss is the sum of every batch's loss term
    /// (`lossTerms[p]` for part `p`, from `run(…lossTerms:)`), from 0 in part and batch order,
    /// over the total count. When each part holds whole batches of the single pass (its first
    /// sample at a multiple of the batch size), the result equals that pass bit for bit.
    public static func concatenating(_ parts: [Predictions], lossTerms: [[Double]]) -> Predictions {
        precondition(parts.count == lossTerms.count, "\(parts.count) parts but \(lossTerms.count) lists of loss terms")
        let classes = parts.first?.classes ?? 0
        precondition(parts.allSatisfy { $0.classes == classes }, "parts disagree on the class count: \(parts.map(\.classes))")
        let count = parts.reduce(0) { $0 + $1.count }
        var lossSum = 0.0
        for terms in lossTerms { for term in terms { lossSum += term } }
        return Predictions(classes: classes, labels: parts.flatMap(\.labels), predicted: parts.flatMap(\.predicted),
                           probabilities: parts.flatMap(\.probabilities), loss: lossSum / Double(max(1, count)))
    }
}

import Foundation

/// Which layers a fine-tune freezes: the first N, as Keras's `for layer in model.layers[:N]:
/// layer.trainable = False`, or layers named as `dataprep model summary` prints them
/// (`conv2d`, `conv2d_1`, `batch_normalization`, …).
///
/// Counting follows Keras: every layer of the summary counts, pooling, dropout, flatten and
/// activation layers included, so `--freeze 5` means the same five rows a Keras user sees.
public enum FreezeSelection: Equatable, Sendable {
    case first(Int)
    case named([String])

    /// Parses `--freeze`: a count (`5`) or comma-separated layer names (`conv2d,conv2d_1`).
    ///
    /// - Throws: `TrainError.invalidConfiguration` for a negative count or an empty name.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(trimmed) {
            guard n >= 0 else { throw TrainError.invalidConfiguration(reason: "--freeze N must be 0 or more, got \(n)") }
            self = .first(n)
            return
        }
        let names = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw TrainError.invalidConfiguration(reason: "--freeze takes a layer count or comma-separated layer names, got \"\(text)\"")
        }
        self = .named(names)
    }

    /// The 0-based indices, ascending, of the layers to freeze in a model whose summary rows
    /// are named `layerNames` (in layer order).
    ///
    /// - Throws: `TrainError.invalidConfiguration` for a count beyond the model's layers, or an
    ///   unknown name (the message lists every valid one).
    public func layerIndices(layerNames: [String]) throws -> [Int] {
        switch self {
        case .first(let n):
            guard n <= layerNames.count else {
                throw TrainError.invalidConfiguration(
                    reason: "--freeze \(n): the model has only \(layerNames.count) layers (\(layerNames.joined(separator: ", ")))")
            }
            return Array(0..<n)
        case .named(let names):
            var indices = Set<Int>()
            for name in names {
                guard let i = layerNames.firstIndex(of: name) else {
                    throw TrainError.invalidConfiguration(
                        reason: "--freeze: no layer named \"\(name)\"; the model's layers are: \(layerNames.joined(separator: ", "))")
                }
                indices.insert(i)
            }
            return indices.sorted()
        }
    }
}

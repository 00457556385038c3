/// A layer as written, before its kind has checked it: the JSON object of a layer (`type` plus
/// whichever fields were given) and what the text form's words fill in.
///
/// Kept apart from the typed `LayerSpec` because both forms must read back exactly as before:
/// the JSON keys, which fields are left out, and the text errors print for a layer that is
/// not valid yet (`conv 9 [] same softmax`).
struct LayerFields: Codable, Equatable, Sendable {
    var type: LayerSpec.Kind
    var filters: Int?
    var units: Int?
    var kernel: [Int]?
    var stride: [Int]?
    var padding: Padding?
    var activation: Activation?
    var rate: Float?
    var l1: Float?
    var l2: Float?
    var initializer: Initializer?
    var momentum: Float?
    var epsilon: Float?
    var trainable: Bool?

    init(type: LayerSpec.Kind) { self.type = type }

    /// The optional words of the text form, by what a kind accepts.
    struct TextOptions: OptionSet, Sendable {
        let rawValue: Int
        /// `relu`, `softmax`, … on the layer itself.
        static let activation = TextOptions(rawValue: 1)
        /// `same` / `valid`, `stride S`.
        static let window = TextOptions(rawValue: 2)
        /// `l1=`, `l2=`, `init=`.
        static let weights = TextOptions(rawValue: 4)
        /// `momentum=`, `epsilon=`.
        static let statistics = TextOptions(rawValue: 8)
    }

    /// The range checks of the optional fields, in this order, for every kind: JSON may carry a
    /// field its kind ignores, and it was always checked (so an old spec file is refused, or
    /// accepted, as before).
    func checkOptionRanges(_ fail: (String) -> TrainError) throws {
        if let s = stride, s.count != 2 || s.contains(where: { $0 <= 0 }) { throw fail("stride must be two positive numbers") }
        if let l1, l1 < 0 { throw fail("l1 must be ≥ 0") }
        if let l2, l2 < 0 { throw fail("l2 must be ≥ 0") }
        if let m = momentum, !(0...1).contains(m) { throw fail("momentum must be in [0, 1]") }
        if let e = epsilon, e <= 0 { throw fail("epsilon must be > 0") }
    }

    /// The canonical text (what `LayerSpec.text` prints); also names a layer that is not valid.
    var text: String {
        // JSON can hold any list (`"kernel": []`), and a layer is named by this text before it
        // is refused: a list that is not [h, w] prints as a list (found by the modelspec fuzz
        // target, which trapped here on `[]`).
        func sizeText(_ s: [Int]?) -> String {
            guard let s else { return "?" }
            guard s.count == 2 else { return "\(s)" }
            return s[0] == s[1] ? "\(s[0])" : "\(s[0])x\(s[1])"
        }
        var words: [String]
        switch type {
        case .conv:
            words = ["conv", "\(filters ?? 0)", sizeText(kernel)]
            if let s = stride, s != [1, 1] { words += ["stride", sizeText(s)] }
            words.append((padding ?? .valid).rawValue)
            if let a = activation, a != .linear { words.append(a.rawValue) }
        case .dense:
            words = ["dense", "\(units ?? 0)"]
            if let a = activation, a != .linear { words.append(a.rawValue) }
        case .maxpool, .avgpool:
            words = [type.rawValue, sizeText(kernel)]
            if let s = stride, s != kernel { words += ["stride", sizeText(s)] }
            if padding == .same { words.append("same") }
        case .dropout: words = ["dropout", "\(rate ?? 0)"]
        case .flatten: words = ["flatten"]
        case .batchnorm:
            words = ["batchnorm"]
            if let m = momentum { words.append("momentum=\(m)") }
            if let e = epsilon { words.append("epsilon=\(e)") }
        case .activation: words = [(activation ?? .linear).rawValue]
        }
        if let l1 { words.append("l1=\(l1)") }
        if let l2 { words.append("l2=\(l2)") }
        if let i = initializer { words.append("init=\(i.rawValue)") }
        if trainable == false { words.append("frozen") }
        return words.joined(separator: " ")
    }
}

/// A kernel or stride: (height, width), both positive.
public struct SpatialSize: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        precondition(height > 0 && width > 0, "a window is positive, got \(height)x\(width)")
        self.height = height; self.width = width
    }

    /// A square window.
    public init(integerLiteral side: Int) { self.init(side, side) }

    /// `[h, w]` as JSON writes it; nil unless it is two positive numbers.
    init?(_ list: [Int]?) {
        guard let list, list.count == 2, list[0] > 0, list[1] > 0 else { return nil }
        self.init(list[0], list[1])
    }

    var list: [Int] { [height, width] }
    public var description: String { height == width ? "\(height)" : "\(height)x\(width)" }
}

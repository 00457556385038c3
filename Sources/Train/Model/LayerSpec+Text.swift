/// One item of the text form (`conv 32 3 same relu`), split into the words every kind shares;
/// each kind reads its positional words (`LayerKindSpec.readPositional`).
struct LayerTextItem {
    let item: String
    let spec: String
    /// The first word as written (`conv2d`, `bn`, …), lower-cased.
    let head: String
    var fields: LayerFields
    var positional: [String] = []

    func fail(_ reason: String) -> TrainError { .invalidSpec(spec: spec, item: item, reason: reason) }

    func number<T: LosslessStringConvertible>(_ text: String, _ what: String) throws -> T {
        guard let v = T(text) else { throw fail("\(what) \"\(text)\" is not a number") }
        return v
    }

    /// `K` or `HxW`, positive.
    func size(_ text: String) throws -> [Int] {
        let parts = text.split(separator: "x").map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) > 0 }) else { throw fail("bad size \"\(text)\"") }
        return parts.count == 1 ? [parts[0]!, parts[0]!] : [parts[0]!, parts[1]!]
    }

    func expectNoPositional() throws {
        guard positional.isEmpty else { throw fail("\(head) takes no positional arguments") }
    }

    /// Splits the words after the head into options (into `fields`) and positional words.
    mutating func readWords(_ words: ArraySlice<String>) throws {
        var words = words
        while let w = words.popFirst() {
            if let p = Padding(rawValue: w) { fields.padding = p }
            else if let a = Activation(rawValue: w) { fields.activation = a }
            else if w == "frozen" { fields.trainable = false }
            else if w == "stride" {
                guard let value = words.popFirst() else { throw fail("stride needs a value") }
                let s: Int = try number(value, "stride"); fields.stride = [s, s]
            } else if w.hasPrefix("s"), let s = Int(w.dropFirst()) { fields.stride = [s, s] }
            else if let eq = w.firstIndex(of: "=") {
                let key = String(w[..<eq]), value = String(w[w.index(after: eq)...])
                switch key {
                case "l1": fields.l1 = try number(value, "l1")
                case "l2": fields.l2 = try number(value, "l2")
                case "stride": let s: Int = try number(value, "stride"); fields.stride = [s, s]
                case "momentum": fields.momentum = try number(value, "momentum")
                case "epsilon": fields.epsilon = try number(value, "epsilon")
                case "init":
                    guard let v = Initializer(rawValue: value) else { throw fail("unknown initializer \"\(value)\" (he, glorot)") }
                    fields.initializer = v
                default: throw fail("unknown option \"\(key)\"")
                }
            } else { positional.append(w) }
        }
    }

    /// An option the layer does not use would be silently dropped (and missing from `text`):
    /// `maxpool 2 relu` applies no relu. Refused instead (found by the modelspec fuzz target).
    func refuseOptions(besides accepted: LayerFields.TextOptions) throws {
        if fields.activation != nil, !accepted.contains(.activation) {
            throw fail("\(head) takes no activation: add it as a layer of its own, e.g. \"\(head) …, relu\"")
        }
        if fields.padding != nil, !accepted.contains(.window) { throw fail("\(head) takes no padding (only conv and pooling do)") }
        if fields.stride != nil, !accepted.contains(.window) { throw fail("\(head) takes no stride (only conv and pooling do)") }
        if fields.momentum != nil || fields.epsilon != nil, !accepted.contains(.statistics) {
            throw fail("momentum= and epsilon= are batchnorm options")
        }
        if fields.l1 != nil || fields.l2 != nil || fields.initializer != nil, !accepted.contains(.weights) {
            throw fail("\(head) takes no l1=, l2= or init= (only conv and dense have a kernel)")
        }
    }
}

extension LayerSpec {
    /// The first words that name each kind in text.
    static let kindAliases: [String: Kind] = [
        "conv": .conv, "conv2d": .conv, "dense": .dense, "fc": .dense, "linear-layer": .dense,
        "maxpool": .maxpool, "maxpool2d": .maxpool, "avgpool": .avgpool, "avgpool2d": .avgpool,
        "dropout": .dropout, "flatten": .flatten, "batchnorm": .batchnorm, "bn": .batchnorm,
    ]

    static func settingsType(of kind: Kind) -> any LayerKindSpec.Type {
        switch kind {
        case .conv: return Conv2DSpec.self
        case .dense: return DenseSpec.self
        case .maxpool, .avgpool: return PoolSpec.self
        case .dropout: return DropoutSpec.self
        case .flatten: return FlattenSpec.self
        case .batchnorm: return BatchNormSpec.self
        case .activation: return ActivationSpec.self
        }
    }

    /// Parses one item of `spec` (see `ModelSpec(parsing:)`); errors name the item, or the
    /// layer's canonical text once its words are read.
    init(parsing item: String, spec: String) throws {
        let words = item.split(separator: " ").map { String($0).lowercased() }
        let head = words[0]
        if let act = Activation(rawValue: head) {
            guard words.count == 1 else { throw TrainError.invalidSpec(spec: spec, item: item, reason: "an activation takes no arguments") }
            self = .activation(ActivationSpec(act))
            return
        }
        guard let kind = Self.kindAliases[head] else {
            throw TrainError.invalidSpec(spec: spec, item: item, reason: "unknown layer type \"\(head)\" (expected one of: "
                + "conv, dense, maxpool, avgpool, dropout, flatten, batchnorm, relu, sigmoid, tanh, softmax)")
        }
        var text = LayerTextItem(item: item, spec: spec, head: head, fields: LayerFields(type: kind))
        try text.readWords(words[1...])
        let settings = Self.settingsType(of: kind)
        try text.refuseOptions(besides: settings.textOptions)
        try settings.readPositional(&text)
        try self.init(fields: text.fields, spec: spec)
    }
}

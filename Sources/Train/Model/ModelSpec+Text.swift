/// The compact text form of a model spec.
///
/// Items are separated by commas (or semicolons / newlines); words inside an item by spaces:
///
/// | item | meaning |
/// |---|---|
/// | `conv F K [KxK] [stride S] [same\|valid] [ACT] [l1=X] [l2=X] [init=he\|glorot] [frozen]` | Conv2D, F filters, K×K kernel |
/// | `dense U [ACT] [l1=X] [l2=X] [init=…] [frozen]` | Dense with U units |
/// | `maxpool P [stride S] [same\|valid]`, `avgpool P …` | pooling with a P×P window (stride P) |
/// | `dropout R` | Dropout with rate R |
/// | `flatten` | Flatten |
/// | `batchnorm [momentum=M] [epsilon=E] [frozen]` | BatchNorm (Keras defaults 0.99, 1e-3) |
/// | `relu`, `sigmoid`, `tanh`, `softmax`, `linear` | an activation on its own |
///
/// `ACT` is one of the activations; a kernel may also be written `3x5`, a stride `s2`.
extension ModelSpec {
    public init(parsing text: String) throws {
        let items = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw TrainError.invalidSpec(spec: text, item: "", reason: "no layers") }
        var layers: [LayerSpec] = []
        for item in items {
            let layer = try LayerSpec(parsing: item, spec: text)
            try layer.validate(spec: text)
            layers.append(layer)
        }
        self.init(layers: layers)
    }

    /// The canonical text form (`ModelSpec(parsing: spec.text) == spec` minus name and input).
    public var text: String { layers.map(\.text).joined(separator: ", ") }
}

extension LayerSpec {
    init(parsing item: String, spec: String) throws {
        var words = item.split(separator: " ").map { String($0).lowercased() }
        func fail(_ reason: String) -> TrainError { .invalidSpec(spec: spec, item: item, reason: reason) }
        let head = words.removeFirst()
        if let act = Activation(rawValue: head) {
            guard words.isEmpty else { throw fail("an activation takes no arguments") }
            self = .activation(act)
            return
        }
        guard let kind = Self.kindAliases[head] else {
            throw fail("unknown layer type \"\(head)\" (expected one of: conv, dense, maxpool, avgpool, dropout, flatten, batchnorm, relu, sigmoid, tanh, softmax)")
        }
        self.init(type: kind)
        var positional: [String] = []
        var i = 0
        func number<T: LosslessStringConvertible>(_ text: String, _ what: String) throws -> T {
            guard let v = T(text) else { throw fail("\(what) \"\(text)\" is not a number") }
            return v
        }
        while i < words.count {
            let w = words[i]
            if let p = Padding(rawValue: w) { padding = p }
            else if let a = Activation(rawValue: w) { activation = a }
            else if w == "frozen" { trainable = false }
            else if w == "stride" {
                guard i + 1 < words.count else { throw fail("stride needs a value") }
                let s: Int = try number(words[i + 1], "stride"); stride = [s, s]; i += 1
            } else if w.hasPrefix("s"), let s = Int(w.dropFirst()) { stride = [s, s] }
            else if let eq = w.firstIndex(of: "=") {
                let key = String(w[..<eq]), value = String(w[w.index(after: eq)...])
                switch key {
                case "l1": l1 = try number(value, "l1")
                case "l2": l2 = try number(value, "l2")
                case "stride": let s: Int = try number(value, "stride"); stride = [s, s]
                case "momentum": momentum = try number(value, "momentum")
                case "epsilon": epsilon = try number(value, "epsilon")
                case "init":
                    guard let v = Initializer(rawValue: value) else { throw fail("unknown initializer \"\(value)\" (he, glorot)") }
                    initializer = v
                default: throw fail("unknown option \"\(key)\"")
                }
            } else { positional.append(w) }
            i += 1
        }
        // An option the layer does not use would be silently dropped (and missing from `text`):
        // `maxpool 2 relu` applies no relu. Refused instead (found by the modelspec fuzz target).
        let geometric = kind == .conv || kind == .maxpool || kind == .avgpool
        if activation != nil, kind != .conv, kind != .dense {
            throw fail("\(head) takes no activation: add it as a layer of its own, e.g. \"\(head) …, relu\"")
        }
        if padding != nil, !geometric { throw fail("\(head) takes no padding (only conv and pooling do)") }
        if stride != nil, !geometric { throw fail("\(head) takes no stride (only conv and pooling do)") }
        if momentum != nil || epsilon != nil, kind != .batchnorm { throw fail("momentum= and epsilon= are batchnorm options") }
        func size(_ text: String) throws -> [Int] {
            let parts = text.split(separator: "x").map { Int($0) }
            guard (1...2).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) > 0 }) else { throw fail("bad size \"\(text)\"") }
            return parts.count == 1 ? [parts[0]!, parts[0]!] : [parts[0]!, parts[1]!]
        }
        switch kind {
        case .conv:
            guard positional.count == 2 else { throw fail("conv needs FILTERS and KERNEL, e.g. \"conv 32 3 same relu\"") }
            filters = try number(positional[0], "filters"); kernel = try size(positional[1])
            if stride == nil { stride = [1, 1] }
            if padding == nil { padding = .valid }
            if activation == nil { activation = .linear }
        case .dense:
            guard positional.count == 1 else { throw fail("dense needs UNITS, e.g. \"dense 128 relu\"") }
            units = try number(positional[0], "units")
            if activation == nil { activation = .linear }
        case .maxpool, .avgpool:
            guard positional.count <= 1 else { throw fail("pooling takes one SIZE, e.g. \"maxpool 2\"") }
            kernel = try size(positional.first ?? "2")
            if stride == nil { stride = kernel }
            if padding == nil { padding = .valid }
        case .dropout:
            guard positional.count == 1 else { throw fail("dropout needs a RATE, e.g. \"dropout 0.25\"") }
            rate = try number(positional[0], "rate")
        case .flatten, .batchnorm, .activation:
            guard positional.isEmpty else { throw fail("\(head) takes no positional arguments") }
        }
    }

    static let kindAliases: [String: Kind] = [
        "conv": .conv, "conv2d": .conv, "dense": .dense, "fc": .dense, "linear-layer": .dense,
        "maxpool": .maxpool, "maxpool2d": .maxpool, "avgpool": .avgpool, "avgpool2d": .avgpool,
        "dropout": .dropout, "flatten": .flatten, "batchnorm": .batchnorm, "bn": .batchnorm,
    ]

    /// Checks the fields a layer of this type needs; throws naming the layer.
    func validate(spec: String) throws {
        func fail(_ reason: String) -> TrainError { .invalidSpec(spec: spec, item: text, reason: reason) }
        switch type {
        case .conv:
            guard let f = filters, f > 0 else { throw fail("conv needs filters > 0") }
            guard let k = kernel, k.count == 2, k.allSatisfy({ $0 > 0 }) else { throw fail("conv needs a kernel [h, w] > 0") }
        case .dense:
            guard let u = units, u > 0 else { throw fail("dense needs units > 0") }
        case .maxpool, .avgpool:
            guard let k = kernel, k.count == 2, k.allSatisfy({ $0 > 0 }) else { throw fail("pooling needs a window [h, w] > 0") }
        case .dropout:
            guard let r = rate, r >= 0, r < 1 else { throw fail("dropout rate must be in [0, 1), got \(rate.map { "\($0)" } ?? "none")") }
        case .activation:
            guard activation != nil else { throw fail("activation layer needs an activation") }
        case .flatten, .batchnorm: break
        }
        if let s = stride, s.count != 2 || s.contains(where: { $0 <= 0 }) { throw fail("stride must be two positive numbers") }
        if let l1, l1 < 0 { throw fail("l1 must be ≥ 0") }
        if let l2, l2 < 0 { throw fail("l2 must be ≥ 0") }
        if let m = momentum, !(0...1).contains(m) { throw fail("momentum must be in [0, 1]") }
        if let e = epsilon, e <= 0 { throw fail("epsilon must be > 0") }
    }

    /// The canonical text of this layer.
    public var text: String {
        // JSON can hold any list (`"kernel": []`), and `validate` names the layer by this text
        // before refusing it: a list that is not [h, w] prints as a list (found by the modelspec
        // fuzz target, which trapped here on `[]`).
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

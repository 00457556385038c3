import Foundation
import Testing
@testable import DataPrep

/// `ClassMap`: the `--map` text, resolving it against a dataset's classes, and applying it.
@Suite struct ClassMapTests {
    let digits = (0..<10).map(String.init)

    @Test func parsesRulesInOrder() throws {
        let map = try ClassMap(parsing: " 0,1,2,3,4 = lt5 ; 5,6,7,8,9=ge5;")
        #expect(map.rules.map(\.keys) == [["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"]])
        #expect(map.rules.map(\.target) == [.named("lt5"), .named("ge5")])
        let relabeling = try map.resolved(against: digits)
        #expect(relabeling.classNames == ["lt5", "ge5"])
        #expect(relabeling.labels == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(relabeling.droppedClassNames.isEmpty)
    }

    @Test func keysAreNamesFirstThenIndices() throws {
        let names = ["cat", "dog", "7"]
        // "7" is a class name (label 2); "1" names no class, so it is label 1 (dog).
        let relabeling = try ClassMap(parsing: "7,1=b;cat=a").resolved(against: names)
        #expect(relabeling.classNames == ["b", "a"])
        #expect(relabeling.labels == [1, 0, 0])
        #expect(throws: ClassMapError.unknownClass(key: "3", classNames: names)) { try ClassMap(parsing: "3=x;*=y").resolved(against: names) }
    }

    @Test func catchAllAndDrop() throws {
        // Several rules may share a name; '-' drops; '*' takes the rest.
        let relabeling = try ClassMap(parsing: "0,2=even;1=odd;4=even;3=-;*=other").resolved(against: digits)
        #expect(relabeling.classNames == ["even", "odd", "other"])
        #expect(relabeling.labels == [0, 1, 0, nil, 0, 2, 2, 2, 2, 2])
        #expect(relabeling.droppedClassNames == ["3"])
        let dropRest = try ClassMap(parsing: "8=eight;*=-").resolved(against: digits)
        #expect(dropRest.classNames == ["eight"] && dropRest.labels == [nil, nil, nil, nil, nil, nil, nil, nil, 0, nil])
        // A catch-all that catches nothing adds no empty class.
        let full = try ClassMap(parsing: "*=rest;0,1,2,3,4=a;5,6,7,8,9=b").resolved(against: digits)
        #expect(full.classNames == ["a", "b"])
    }

    @Test func fileFormHasLinesAndComments() throws {
        let text = "# digit >= 5?\n0,1,2,3,4=lt5   # small\r\n\n5,6,7,8,9=ge5\n"
        let map = try ClassMap(file: text)
        #expect(map.rules.map(\.text) == ["0,1,2,3,4=lt5", "5,6,7,8,9=ge5"])
        #expect(try ClassMap(file: text).resolved(against: digits).labels == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    }

    @Test(arguments: [
        ("0,1", ClassMapError.syntax(rule: "0,1", reason: "expected KEYS=NAME (no '=')")),
        ("0=a=b", .syntax(rule: "0=a=b", reason: "expected KEYS=NAME (more than one '=')")),
        ("=a", .syntax(rule: "=a", reason: "no class before '='")),
        ("0,,1=a", .syntax(rule: "0,,1=a", reason: "empty class key at position 2")),
        ("*,0=a", .syntax(rule: "*,0=a", reason: "'*' must stand alone before '='")),
        ("0=a;*=b;*=c", .syntax(rule: "*=c", reason: "only one '*' rule is allowed")),
        ("0,1= ", .emptyName(rule: "0,1=")),
        (" ; ", .empty),
    ])
    func syntaxErrorsNameTheRule(text: String, error: ClassMapError) {
        #expect(throws: error) { try ClassMap(parsing: text) }
    }

    @Test func resolutionErrorsNameTheClasses() throws {
        #expect(throws: ClassMapError.mappedTwice(className: "1", first: "0,1=a", second: "1,2=b")) {
            try ClassMap(parsing: "0,1=a;1,2=b;*=c").resolved(against: digits)
        }
        #expect(throws: ClassMapError.mappedTwice(className: "cat", first: "cat,0=a", second: "cat,0=a")) {
            try ClassMap(parsing: "cat,0=a;*=b").resolved(against: ["cat", "dog"])
        }
        let unmapped = ClassMapError.unmapped(["5", "6", "7", "8", "9"])
        #expect(throws: unmapped) { try ClassMap(parsing: "0,1,2,3,4=lt5").resolved(against: digits) }
        #expect(unmapped.description.contains("classes 5, 6, 7, 8, 9 are not mapped") && unmapped.description.contains("'*=-'"))
        #expect(throws: ClassMapError.nothingLeft) { try ClassMap(parsing: "*=-").resolved(against: digits) }
        #expect(ClassMapError.unknownClass(key: "x", classNames: ["a", "b"]).description
                == "class map: no class 'x' in the data; keys are class names or label indices 0-1 (the data has 2 classes: a, b)")
    }

    @Test func applyRelabelsAndDropsSamples() throws {
        // Six 1x1 gray samples, pixel = index, labels 0 1 2 3 0 2; map 0,1 -> a, 2 -> b, drop 3.
        let data = ImageDataset(height: 1, width: 1, channels: 1, pixels: [0, 1, 2, 3, 4, 5], labels: [0, 1, 2, 3, 0, 2],
                                classNames: ["w", "x", "y", "z"], coarseLabels: [9, 8, 7, 6, 5, 4], coarseClassNames: (0..<10).map(String.init))
        let relabeling = try ClassMap(parsing: "w,x=a;y=b;z=-").resolved(against: data.classNames)
        let (out, kept) = try relabeling.apply(to: data)
        #expect(kept == [0, 1, 2, 4, 5])
        #expect(out.pixels == [0, 1, 2, 4, 5] && out.labels == [0, 0, 1, 0, 1] && out.classNames == ["a", "b"])
        #expect(out.coarseLabels == [9, 8, 7, 5, 4])
        // Nothing dropped: same pixels, new labels.
        let keepAll = try ClassMap(parsing: "w,x,y,z=all").resolved(against: data.classNames).apply(to: data)
        #expect(keepAll.data.pixels == data.pixels && keepAll.data.labels == [0, 0, 0, 0, 0, 0] && keepAll.kept == Array(0..<6))
    }

    @Test func loadedDatasetKeepsOriginsAligned() throws {
        let loaded = try LoadedDataset.load(path: "Fixtures/idx/mnist", options: .init(threads: 1, hashSources: true))
        let mapped = try loaded.relabeled(by: ClassMap(parsing: "0,1,2,3,4=lt5;5,6,7,8,9=ge5"), path: "Fixtures/idx/mnist")
        for (s, split) in mapped.splits.splits.enumerated() {
            let original = loaded.splits.splits[s].data
            #expect(split.data.classNames == ["lt5", "ge5"] && split.data.count == original.count)
            #expect(split.data.labels == original.labels.map { $0 < 5 ? 0 : 1 })
            #expect(mapped.origins[s] == loaded.origins[s] && mapped.sourceHashes[s] == loaded.sourceHashes[s])
        }
        let evens = try loaded.relabeled(by: ClassMap(parsing: "0,2,4,6,8=even;*=-"), path: "Fixtures/idx/mnist")
        let test = try #require(evens.splits["test"])
        #expect(test.count == 5 && test.classNames == ["even"])
        let originalTest = try #require(loaded.splits["test"])
        let keptOrigins = originalTest.labels.indices.filter { originalTest.labels[$0] % 2 == 0 }.map { loaded.origins[1][$0] }
        #expect(evens.origins[1].elementsEqual(keptOrigins))
    }

    @Test func manifestAndDescriptorGainColumnsOnlyWithAMap() throws {
        let plain = ManifestRow(split: "train", index: 0, source: "a.png", label: 1, className: "dog", sha256: "ab")
        #expect(Manifest.csv([plain]) == "split,index,source,label,class,sha256\ntrain,0,a.png,1,dog,ab\n")
        var mapped = plain
        mapped.originalLabel = 3; mapped.originalClassName = "big, dog"
        #expect(Manifest.csv([mapped]) == "split,index,source,label,class,sha256,original_label,original_class\n"
                + "train,0,a.png,1,dog,ab,3,\"big, dog\"\n")
        let plainJSON = String(decoding: try StableJSON.encode(plain), as: UTF8.self)
        #expect(!plainJSON.contains("original"))
        let mappedJSON = String(decoding: try StableJSON.encode(mapped), as: UTF8.self)
        #expect(mappedJSON.contains("\"originalClassName\" : \"big, dog\"") && mappedJSON.contains("\"originalLabel\" : 3"))

        var descriptor = DatasetDescriptor(height: 1, width: 1, channels: 1, dtype: "uint8", classNames: ["a"], normalization: nil,
                                           splits: [], seed: 1, command: "c")
        #expect(!String(decoding: try StableJSON.encode(descriptor), as: UTF8.self).contains("classMap"))
        descriptor.classMap = ClassRelabeling(originalClassNames: ["x", "y", "z"], classNames: ["a"], labels: [0, nil, 0])
        let bytes = try StableJSON.encode(descriptor)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"from\" : [\n      \"x\","))
        #expect(try JSONDecoder().decode(DatasetDescriptor.self, from: Data(bytes)) == descriptor)
        // A dataset.json whose map does not add up is refused, not trusted.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        object["classMap"] = ["from": ["x", "y", "z"], "to": ["a"], "labels": [5, NSNull(), 0]]
        let corrupt = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DatasetDescriptor.self, from: corrupt) }
    }

    @Test func splitJobStratifiesOverTheNewClasses() throws {
        // Fixtures/idx/mnist pools 30 images, 3 per digit: 15 below five, 15 from five.
        let job = SplitJob(source: "Fixtures/idx/mnist", spec: try SplitSpec(sizes: .perClass([10, 5])), seed: 4,
                           load: .init(threads: 1), classMap: try ClassMap(parsing: "0,1,2,3,4=lt5;5,6,7,8,9=ge5"))
        let result = try job.prepare()
        #expect(result.prepared.classNames == ["lt5", "ge5"])
        #expect(result.prepared.splits.map { $0.data.classHistogram } == [[10, 10], [5, 5]])
        #expect(result.prepared.descriptor.classMap?.labels == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        for row in result.prepared.manifest {
            let original = try #require(row.originalLabel)
            #expect(row.label == (original < 5 ? 0 : 1) && row.originalClassName == String(original))
            #expect(row.className == ["lt5", "ge5"][row.label])
        }
        // Every original sample is used once: 3 of each digit.
        let counts = Dictionary(grouping: result.prepared.manifest, by: { $0.originalLabel! }).mapValues(\.count)
        #expect(counts == Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, 3) }))
    }
}

import Foundation
import Testing
@testable import DataPrep

/// The built-in table and catalog files.
@Suite struct DownloadCatalogTests {
    @Test func builtInTablePassesValidation() throws {
        let builtIn = DownloadCatalog.builtIn
        let validated = try DownloadCatalog(datasets: builtIn.datasets, origin: "built-in")
        #expect(validated == builtIn)
        #expect(builtIn.names == ["mnist", "fashion-mnist", "cifar10", "cifar100"])
        for dataset in builtIn.datasets {
            #expect(!dataset.mirrors.isEmpty, "\(dataset.name)")
            for file in dataset.files { #expect(file.size != nil && file.md5 != nil, "\(dataset.name)/\(file.name)") }
        }
    }

    /// The numbers that matter, restated from FORMATS.md §b/§d (torchvision, CIFAR page).
    @Test func builtInChecksumsAreTheCanonicalOnes() throws {
        let catalog = DownloadCatalog.builtIn
        let mnist = try catalog.dataset(named: "mnist")
        #expect(mnist.mirrors.first == "https://ossci-datasets.s3.amazonaws.com/mnist/")
        #expect(mnist.files.map(\.md5) == ["f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                                           "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"])
        #expect(mnist.files.map(\.size) == [9_912_422, 28_881, 1_648_877, 4_542])
        let fashion = try catalog.dataset(named: "fashion-mnist")
        #expect(fashion.files.map(\.md5) == ["8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                                             "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"])
        // The *binary* archives (our decoders read these), not torchvision's python tarballs.
        let cifar10 = try catalog.dataset(named: "cifar10").files
        #expect(cifar10.map(\.name) == ["cifar-10-binary.tar.gz"])
        #expect(cifar10[0].md5 == "c32a1d4ab5d03f1284b67883e8d87530")
        #expect(cifar10[0].md5 != "c58f30108f718f92721af3b95e74349a")
        let cifar100 = try catalog.dataset(named: "cifar100").files
        #expect(cifar100[0].md5 == "03b5dce01913d631647c71ecec9e9cb8")
        #expect(cifar100[0].size == 168_513_733)
    }

    @Test func unknownDatasetListsTheValidNames() {
        #expect(throws: DownloadError.unknownDataset(name: "imagenet", known: ["mnist", "fashion-mnist", "cifar10", "cifar100"])) {
            try DownloadCatalog.builtIn.dataset(named: "imagenet")
        }
        let text = "\(DownloadError.unknownDataset(name: "imagenet", known: ["mnist", "cifar10"]))"
        #expect(text == "unknown dataset 'imagenet': expected one of mnist, cifar10")
    }

    @Test func jsonCatalogLoadsAndIsValidated() throws {
        let dir = try DownloadTestFiles.temporaryDirectory()
        defer { DownloadTestFiles.remove(dir) }
        let good = dir + "/good.json"
        try Data("""
        {"datasets": [{"name": "tiny", "mirrors": ["http://127.0.0.1:1/"],
          "files": [{"name": "a.bin", "size": 3, "sha256": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"}]}]}
        """.utf8).write(to: URL(fileURLWithPath: good))
        let catalog = try DownloadCatalog.load(jsonAt: good)
        let tiny = try catalog.dataset(named: "tiny")
        #expect(tiny.files == [RemoteFile(name: "a.bin", size: 3, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")])
        #expect(tiny.summary == "")

        let cases: [(String, String)] = [
            (#"{"datasets": [{"name": "x", "files": [{"name": "a"}]}]}"#, "needs an md5 or a sha256"),
            (#"{"datasets": [{"name": "x", "files": [{"name": "../a", "md5": "d41d8cd98f00b204e9800998ecf8427e"}]}]}"#, "without '/'"),
            (#"{"datasets": [{"name": "x", "files": [{"name": "a", "md5": "abc"}]}]}"#, "not 32 hex digits"),
            (#"{"datasets": [{"name": "x", "files": []}]}"#, "lists no files"),
            (#"{"sets": []}"#, "not a catalog"),
        ]
        for (json, message) in cases {
            let path = dir + "/bad.json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try DownloadCatalog.load(jsonAt: path)
                Issue.record("expected an error for \(json)")
            } catch let error as DownloadError {
                guard case .badCatalog(let p, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(p == path)
                #expect(reason.contains(message), "\(reason)")
            }
        }
    }
}

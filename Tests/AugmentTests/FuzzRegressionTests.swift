import DataPrep
import Testing
@testable import Augment

/// Inputs the `pipeline` fuzz target (Fuzz/Sources/fuzz-pipeline) found, kept as literals.
@Suite struct AugmentFuzzRegressionTests {
    /// A cutout size of 6.7e89 pixels passed validation (only > 0 and finite were checked) and
    /// trapped converting to Int when sampled. Now refused at decode, naming the field.
    @Test func hugeCutoutSizeIsRefusedAtDecode() throws {
        let json = #"{"ops": [{"op": "horizontalFlip"}, {"op": "randomCrop" ,"padding": 4}, {"op": "cutout", "size": 666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666666660}]}"#
        let reason = "ops[2].size: expected a fraction in (0, 1) or pixels 1...100000, found 6.666666666666667e+95"
        #expect(throws: AugmentError.invalidDocument(path: "fuzz.json", reason: reason)) {
            _ = try Pipeline.decode(json: Array(json.utf8), path: "fuzz.json")
        }
    }

    /// Even unvalidated, a hole never exceeds the image side and the conversion cannot trap.
    @Test func holeSizeIsClippedBeforeConversion() {
        #expect(Cutout(size: 1e300).holeSize(32) == 32)
        #expect(Cutout(size: 40).holeSize(32) == 32)
        #expect(Cutout(size: 5).holeSize(32) == 5)
        #expect(Cutout(size: 0.25).holeSize(32) == 8)
        #expect(Cutout(size: 100_000).holeSize(80) == 80)
    }
}

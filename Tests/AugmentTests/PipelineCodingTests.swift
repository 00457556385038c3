import DataPrep
import Foundation
import Testing
@testable import Augment

/// Pipelines as JSON: round trips, defaults, and errors that say where and what.
@Suite struct PipelineCodingTests {
    static let everyOperation = Pipeline([
        .rotation(Rotation(degrees: 40)), .shift(Shift(width: 0.2, height: 3)), .shear(Shear(degrees: 11.5)),
        .zoom(Zoom(lower: 0.8, upper: 1.25)), .horizontalFlip(HorizontalFlip()), .verticalFlip(VerticalFlip(probability: 0.25)),
        .randomResizedCrop(RandomResizedCrop(scale: 0.5...1)), .randomCrop(RandomCrop(padding: 4, fill: .reflect)),
        .brightness(Brightness(lower: 0.9, upper: 1.1)), .contrast(Contrast(lower: 0.7, upper: 1.3)),
        .channelShift(ChannelShift(intensity: 20)), .gaussianNoise(GaussianNoise(std: 0.03)),
        .cutout(Cutout(holes: 2, size: 0.25, value: 127)), .randomErasing(RandomErasing()), .randomGrayscale(RandomGrayscale(probability: 0.2)),
    ], fillMode: .reflect, cval: 12, interpolation: .nearest)

    @Test func everyOperationRoundTrips() throws {
        let pipeline = Self.everyOperation
        #expect(pipeline.operations.count == AugmentationOp.names.count)
        let bytes = pipeline.jsonBytes()
        let decoded = try Pipeline.decode(json: bytes, path: "p.json")
        #expect(decoded == pipeline)
        #expect(decoded.jsonBytes() == bytes)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"op\" : \"randomResizedCrop\""))
    }

    @Test func defaultsFillMissingOptionalFields() throws {
        let json = #"{"ops": [{"op": "horizontalFlip"}, {"op": "randomCrop", "padding": 4}, {"op": "cutout", "size": 8}]}"#
        let pipeline = try Pipeline.decode(json: Array(json.utf8), path: "p.json")
        #expect(pipeline == Pipeline([.horizontalFlip(HorizontalFlip(probability: 0.5)), .randomCrop(RandomCrop(padding: 4)),
                                      .cutout(Cutout(holes: 1, size: 8))], fillMode: .nearest, cval: 0, interpolation: .bilinear))
    }

    func error(_ json: String) -> String {
        do {
            _ = try Pipeline.decode(json: Array(json.utf8), path: "aug.json")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func errorsNameTheFileThePlaceAndTheProblem() {
        #expect(error(#"{"ops": [{"op": "rotation", "degrees": 10}, {"op": "rotate", "degrees": 5}]}"#)
            .hasPrefix("aug.json: invalid pipeline: ops[1].op: unknown operation 'rotate'; known operations: horizontalFlip, verticalFlip, rotation"))
        #expect(error(#"{"ops": [{"op": "rotation", "degrees": 500}]}"#)
            == "aug.json: invalid pipeline: ops[0].degrees: expected a number in 0.0...180.0, found 500.0")
        #expect(error(#"{"ops": [{"op": "zoom", "lower": 1.2, "upper": 0.8}]}"#)
            == "aug.json: invalid pipeline: ops[0]: expected lower <= upper, found [1.2, 0.8]")
        #expect(error(#"{"ops": [{"op": "rotation", "degree": 5}]}"#)
            == "aug.json: invalid pipeline: ops[0]: unknown field 'degree'; allowed: op, degrees")
        #expect(error(#"{"ops": [{"degrees": 5}]}"#).contains("ops[0]: expected an \"op\" field"))
        #expect(error(#"{"ops": [{"op": "shift", "width": 0.1}]}"#) == "aug.json: invalid pipeline: ops[0].height: missing required field")
        #expect(error(#"{"ops": [], "fill": "nearest"}"#).contains("unknown field 'fill'"))
        #expect(error(#"{"ops": [], "fillMode": "mirror"}"#).contains("fillMode"))
        #expect(error(#"{"ops": [}"#).hasPrefix("aug.json: invalid pipeline:"))
    }
}

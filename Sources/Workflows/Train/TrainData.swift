import DataPrep
import Foundation
import Train

/// Data-side checks of training: does the data fit the model, which loss the model implies,
/// and how a finished epoch reads.
public enum TrainData {
    /// Throws unless `data` has the network's input shape and as many classes as it has outputs.
    public static func check(_ data: ImageDataset, fits network: Network, classNames: [String]) throws {
        let input = network.inputShape
        guard data.height == input.height, data.width == input.width, data.channels == input.channels else {
            // Only the channel count differs: say which flag converts (never done silently).
            let hint = data.height == input.height && data.width == input.width && !input.isFlat && [1, 3].contains(input.channels)
                ? ": pass \(input.channels == 1 ? "--grayscale" : "--color") to convert" : ""
            throw TrainError.incompatibleData(reason: "the model takes \(input) inputs, the data is \(data.height)x\(data.width)x\(data.channels)\(hint)")
        }
        let outputs = network.outputShape.count, classes = classNames.count
        if network.outputActivation == .sigmoid && outputs == 1 {
            guard classes == 2 else { throw TrainError.incompatibleData(reason: "a single sigmoid output needs 2 classes, the data has \(classes)") }
        } else if outputs != classes {
            throw TrainError.incompatibleData(reason: "the model has \(outputs) outputs, the data has \(classes) classes (\(classNames.prefix(5).joined(separator: ", "))…): change the last dense layer")
        }
    }

    /// The loss the network's last layer implies: softmax → sparse categorical cross-entropy,
    /// one sigmoid unit → binary cross-entropy; anything else cannot be trained here.
    public static func loss(for network: Network) throws -> Loss {
        guard let loss = Loss.matching(activation: network.outputActivation, outputs: network.outputShape.count) else {
            throw TrainError.incompatibleData(reason: "the model must end in softmax (classes) or one sigmoid unit (binary), it ends in \(network.outputActivation.rawValue) with \(network.outputShape.count) outputs")
        }
        return loss
    }

    /// A finished epoch's figures as one line.
    public static func describe(_ r: EpochRecord, epochs: Int, best: Bool) -> String {
        var line = String(format: "epoch %d/%d  loss %.4f  acc %.4f", r.epoch, epochs, r.loss, r.accuracy)
        if let vl = r.validationLoss, let va = r.validationAccuracy { line += String(format: "  val_loss %.4f  val_acc %.4f", vl, va) }
        if let penalty = r.penalty, penalty > 0 { line += String(format: "  (penalty %.4f in both losses)", penalty) }
        line += String(format: "  lr %g  %.1fs  %.0f samples/s", r.learningRate, r.seconds, r.samplesPerSecond)
        return line + (best ? "  *best" : "")
    }
}

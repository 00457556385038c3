/// The vetted table of public datasets.
///
/// Where each number comes from (also summarised in `../shared/docs/FORMATS.md` §b and §d):
/// - **MNIST** MD5s: torchvision `datasets/mnist.py` `MNIST.resources` (checked against copies of
///   that list in several public repositories; note one public loader has a typo'd t10k-labels
///   MD5 `ec29112dd5afc8b6…`, which is why this table is the only place they live). Sizes: the
///   TensorFlow `input_data` download log ("Successfully downloaded train-images-idx3-ubyte.gz
///   9912422 bytes" …), identical in many public logs, and the torchvision progress bar
///   (`9912422/9912422`) for the ossci mirror. Mirrors: torchvision's `MNIST.mirrors`, with the
///   ossci S3 copy first because yann.lecun.com has answered 403 since about 2021.
/// - **Fashion-MNIST** MD5s: torchvision `FashionMNIST.resources`. Sizes: Keras and torchvision
///   download logs (`26421880/26421880`, `29515/29515`, `4422102/4422102`, `5148/5148`); the
///   project README only says "26 MBytes" etc. Mirror: torchvision's `FashionMNIST.mirrors`.
/// - **CIFAR-10 binary** MD5: the CIFAR page (`cs.toronto.edu/~kriz/cifar.html`, "CIFAR-10 binary
///   version (suitable for C programs) | 162 MB | c32a1d4a…"), the same in tfds-style loaders;
///   torchvision's `c58f3010…` is the *python* tarball and does not apply. Size 170,052,171 B and
///   SHA-256 `c4a38c50…`: two independent public records (a Go dataset table listing both, and a
///   reproduction log that matched the official MD5 and then recorded size and SHA-256); the
///   size also appears in TensorFlow's `cifar10` tutorial log.
/// - **CIFAR-100 binary** MD5: the CIFAR page ("CIFAR-100 binary version | 161 MB |
///   03b5dce0…") and many loaders (torchvision's `eb9058c3…` is the python tarball). Size
///   168,513,733 B: FORMATS.md and a Rust loader's `DatasetRemote`. No published SHA-256 found.
extension DownloadCatalog {
    /// MNIST, Fashion-MNIST, CIFAR-10 and CIFAR-100 (binary versions, as our decoders read).
    /// The entries are literals; `DownloadCatalogTests` runs them through the validating
    /// initialiser, so they skip it here (no `try!` in the library).
    public static let builtIn = DownloadCatalog(trusted: [mnist, fashionMNIST, cifar10, cifar100])

    static let mnist = RemoteDataset(
        name: "mnist",
        summary: "MNIST handwritten digits: 4 IDX .gz files, 11.6 MB",
        mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
        files: [
            RemoteFile(name: "train-images-idx3-ubyte.gz", size: 9_912_422, md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            RemoteFile(name: "train-labels-idx1-ubyte.gz", size: 28_881, md5: "d53e105ee54ea40749a09fcbcd1e9432"),
            RemoteFile(name: "t10k-images-idx3-ubyte.gz", size: 1_648_877, md5: "9fb629c4189551a2d022fa330f9573f3"),
            RemoteFile(name: "t10k-labels-idx1-ubyte.gz", size: 4_542, md5: "ec29112dd5afa0611ce80d1b7f02629c"),
        ])

    static let fashionMNIST = RemoteDataset(
        name: "fashion-mnist",
        summary: "Fashion-MNIST (Zalando): 4 IDX .gz files, 30.5 MB",
        mirrors: ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        files: [
            RemoteFile(name: "train-images-idx3-ubyte.gz", size: 26_421_880, md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            RemoteFile(name: "train-labels-idx1-ubyte.gz", size: 29_515, md5: "25c81989df183df01b3e8a0aad5dffbe"),
            RemoteFile(name: "t10k-images-idx3-ubyte.gz", size: 4_422_102, md5: "bef4ecab320f06d8554ea6380940ec79"),
            RemoteFile(name: "t10k-labels-idx1-ubyte.gz", size: 5_148, md5: "bb300cfdad3c16e7a12a480ee83cd310"),
        ])

    static let cifar10 = RemoteDataset(
        name: "cifar10",
        summary: "CIFAR-10 binary version: cifar-10-binary.tar.gz, 170 MB",
        mirrors: ["https://www.cs.toronto.edu/~kriz/"],
        files: [
            RemoteFile(name: "cifar-10-binary.tar.gz", size: 170_052_171, md5: "c32a1d4ab5d03f1284b67883e8d87530",
                       sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"),
        ])

    static let cifar100 = RemoteDataset(
        name: "cifar100",
        summary: "CIFAR-100 binary version: cifar-100-binary.tar.gz, 169 MB",
        mirrors: ["https://www.cs.toronto.edu/~kriz/"],
        files: [
            RemoteFile(name: "cifar-100-binary.tar.gz", size: 168_513_733, md5: "03b5dce01913d631647c71ecec9e9cb8"),
        ])
}

// swift-tools-version:6.1
import PackageDescription

// Kernels are hot Float32 loops over flat buffers: bounds checks off in release builds only.
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"], .when(configuration: .release))]

let package = Package(
    name: "gptx",
    products: [
        .executable(name: "gptx", targets: ["gptx"]),
        .library(name: "TinyGPT", targets: ["TinyGPT"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "TinyGPT", swiftSettings: kernelFlags),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .target(name: "Figures", dependencies: ["TinyGPT", "CCairo"]),
        .target(name: "Lessons", dependencies: [
            "TinyGPT", "Figures",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Ink", package: "Ink"),
        ]),
        .executableTarget(name: "gptx", dependencies: [
            "TinyGPT", "Figures", "Lessons",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TinyGPTTests", dependencies: [
            "TinyGPT", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TinyGPT"], exclude: ["Golden"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Figures", "TinyGPT"]),
        // Runs the built `gptx` binary as a user would: exit codes, stderr lines, JSON output.
        .testTarget(name: "CommandLineTests", dependencies: ["gptx", "TinyGPT"]),
    ]
)

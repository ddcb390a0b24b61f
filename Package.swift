// swift-tools-version:6.1
import PackageDescription

import Foundation

// Kernels are hot Float32 loops over flat buffers: bounds checks off, and in release builds AVX2 and
// FMA (x86-64 with `-target-cpu haswell`; `gptx` checks the CPU at start and refuses with one line
// where they are missing). `GPTX_PORTABLE=1 swift build -c release` builds for any CPU (slower).
// Everything else — the parsers of checkpoint and tokenizer files, the CLI — keeps its checks.
// On x86-64 the matrix product also has an AVX-512 register tile (target KernelsAVX512, compiled
// for AVX-512 in every configuration so the tests exercise it); `gemm` calls it only on CPUs that
// have AVX-512, and portable builds leave it out.
let portable = ProcessInfo.processInfo.environment["GPTX_PORTABLE"] == "1"
#if arch(x86_64)
let x86 = true
#else
let x86 = false
#endif
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
] + (portable || !x86 ? [] : [
    .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux, .macOS], configuration: .release)),
    .define("GPTX_NEEDS_AVX2", .when(configuration: .release)),
    .define("GPTX_AVX512_TILE"),
])
let avx512Flags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
] + (portable || !x86 ? [] : [.unsafeFlags(["-target-cpu", "skylake-avx512"])])

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
        .target(name: "CPUFeatures"),
        .target(name: "KernelsAVX512", swiftSettings: avx512Flags),
        .target(name: "Kernels", dependencies: ["CPUFeatures", "KernelsAVX512"], swiftSettings: kernelFlags),
        .target(name: "TinyGPT", dependencies: ["Kernels"]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .target(name: "Figures", dependencies: ["TinyGPT", "Kernels", "CCairo"]),
        .target(name: "Lessons", dependencies: [
            "TinyGPT", "Figures",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Ink", package: "Ink"),
        ]),
        .executableTarget(name: "gptx", dependencies: [
            "TinyGPT", "Kernels", "Figures", "Lessons",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "TinyGPTTests", dependencies: [
            "TinyGPT", "Kernels", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TinyGPT"], exclude: ["Golden"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Figures", "TinyGPT"]),
        // Runs the built `gptx` binary as a user would: exit codes, stderr lines, JSON output.
        .testTarget(name: "CommandLineTests", dependencies: ["gptx", "TinyGPT"]),
    ]
)

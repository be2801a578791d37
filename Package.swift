// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ltxpipe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ltxpipe", targets: ["ltxpipe"]),
        .library(name: "LTXCore", targets: ["LTXCore"]),
        .library(name: "LTXMedia", targets: ["LTXMedia"]),
        .library(name: "LTXAPI", targets: ["LTXAPI"]),
        .library(name: "LTXSimulator", targets: ["LTXSimulator"]),
        .library(name: "LTXGeneration", targets: ["LTXGeneration"]),
        .library(name: "LTXPipeline", targets: ["LTXPipeline"]),
        .library(name: "LTXDashboard", targets: ["LTXDashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through Hummingbird; named because the simulator imports them directly.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Module graph (lowest first; docs/ARCHITECTURE.md draws it): LTXCore → LTXMedia, LTXAPI → LTXGeneration
        // → LTXPipeline → ltxpipe; LTXSimulator (LTXCore, LTXMedia) is composed in by the CLI and the tests only.
        .target(name: "LTXCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LTXMedia", dependencies: ["CFFmpeg", "LTXCore"]),
        .target(
            name: "LTXAPI",
            dependencies: [
                "LTXCore", "LTXMedia", "CCurl",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LTXSimulator",
            dependencies: [
                "LTXCore", "LTXMedia",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Optimised in debug builds too: its own H.264 and JPEG code renders 1080p pictures pixel by pixel, which
            // unoptimised takes long enough to stall the tests' downloads on a loaded 2-core machine.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "LTXGeneration", dependencies: ["LTXCore", "LTXMedia", "LTXAPI"]),
        .target(
            name: "LTXPipeline",
            dependencies: [
                "LTXCore", "LTXMedia", "LTXAPI", "LTXGeneration",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `run --http`: the read-only web view of a running pipeline (Hummingbird), composed in by the CLI only.
        .target(
            name: "LTXDashboard",
            dependencies: [
                "LTXCore", "LTXPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ltxpipe",
            dependencies: [
                "LTXCore", "LTXMedia", "LTXAPI", "LTXGeneration", "LTXSimulator", "LTXPipeline", "LTXDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BuildCommitPlugin"]
        ),
        // Writes BuildCommit.swift (the git commit `ltxpipe --version` prints) before each build of ltxpipe.
        .plugin(name: "BuildCommitPlugin", capability: .buildTool(), path: "Plugins/BuildCommitPlugin"),
        .executableTarget(
            name: "ltxpipe-bench",
            dependencies: ["LTXCore", "LTXAPI", "LTXSimulator", "LTXPipeline", "LTXDashboard", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/Sources/ltxpipe-bench"
        ),
        // `make fuzz` builds this with libFuzzer (-sanitize=fuzzer -DLTXFUZZ, scratch path .build-fuzz); the plain build
        // is a replay tool for its findings.
        .executableTarget(
            name: "ltxpipe-fuzz",
            dependencies: ["LTXCore", "LTXMedia", "LTXAPI", "LTXPipeline"],
            path: "Fuzz/Sources/ltxpipe-fuzz"
        ),
        .testTarget(name: "LTXCoreTests", dependencies: ["LTXCore"]),
        .testTarget(name: "LTXMediaTests", dependencies: ["LTXMedia", "LTXCore"]),
        .testTarget(
            name: "LTXAPITests",
            dependencies: ["LTXCore", "LTXAPI", "LTXGeneration", "LTXSimulator", "LTXMedia", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "LTXSimulatorTests", dependencies: ["LTXSimulator", "LTXMedia", "LTXCore"]),
        .testTarget(
            name: "LTXPipelineTests",
            dependencies: ["LTXPipeline", "LTXGeneration", "LTXSimulator", "LTXAPI", "LTXMedia", "LTXCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "LTXDashboardTests", dependencies: ["LTXDashboard", "LTXPipeline", "LTXAPI", "LTXCore"]),
        .testTarget(name: "ltxpipeTests", dependencies: ["ltxpipe", "LTXCore", "LTXMedia", "LTXSimulator", "LTXPipeline", "LTXAPI"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ltxpipe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ltxpipe", targets: ["ltxpipe"]),
        .library(name: "LTXMedia", targets: ["LTXMedia"]),
        .library(name: "LTXAPI", targets: ["LTXAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        .target(name: "LTXMedia", dependencies: ["CFFmpeg"]),
        .target(name: "LTXAPI", dependencies: ["LTXMedia"]),
        .executableTarget(
            name: "ltxpipe",
            dependencies: [
                "LTXMedia", "LTXAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LTXMediaTests", dependencies: ["LTXMedia"]),
        .testTarget(name: "LTXAPITests", dependencies: ["LTXAPI"]),
        .testTarget(name: "ltxpipeTests", dependencies: ["ltxpipe", "LTXMedia"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
// A measuring stick, not product code: the least CPU any engine that reads through SwiftNIO's channels can
// use (bench/README.md, "What NIO's read path costs"). Build with bench/nio-floor/build.sh.
import PackageDescription

let package = Package(
    name: "nio-floor",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        .executableTarget(
            name: "nio-floor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        )
    ]
)
